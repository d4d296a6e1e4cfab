/**
 * Locks and user removal with the real binaries, as an administrator uses
 * them during an incident: `tctl lock` stops a user (or every holder of a
 * role) at once, everywhere (a live `tsh proxy aws` with the JS SDK and the
 * aws CLI behind it, `tsh login`, cluster API calls, the app service), until
 * `tctl rm lock/ID` or the lock's TTL; `tctl users rm` ends a user's app
 * certificate at once. Each refusal names the lock's message.
 */
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { startCluster, addUser, userEnv, tshLogin, type TestCluster } from '../helpers/cluster.js';
import { startAppService, type TestAppService } from '../helpers/appService.js';
import { appCertAgent, readAppCredentials } from '../helpers/appClient.js';
import { runBin, runProgram, type RunResult } from '../helpers/binaries.js';
import { startTshProxy, dynamoDbThrough, type TshProxy } from '../helpers/tshProxy.js';
import { eventually } from '../helpers/eventually.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const ROLE = 'arn:aws:iam::123456789012:role/ExampleTeleportDynamoDBRole';
const password = 'correct horse battery staple';
let sandbox: Sandbox;
let cluster: TestCluster;
let agent: TestAppService;
const homes: Array<Awaited<ReturnType<typeof userEnv>>> = [];
const proxies: TshProxy[] = [];

const json = (r: RunResult) => {
  assert.equal(r.code, 0, `exit ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout);
};
const lockIdOf = (r: RunResult) => {
  assert.equal(r.code, 0, `exit ${r.code}: ${r.stderr}`);
  const m = /^Created a lock with name "([0-9a-f-]{36})"\.\n$/.exec(r.stdout);
  assert.ok(m, r.stdout);
  return m[1];
};
const refusedBy = (pattern: RegExp) => (e: any) => e.name === 'AccessDeniedException' && e.$metadata?.httpStatusCode === 403 && pattern.test(e.message);

/** A user who logged in and into the app, with the Debian aws CLI first on PATH. */
async function loggedIn(name: string, roles: string[]) {
  await addUser(cluster, name, roles, password, { awsRoleArns: [ROLE] });
  const u = await userEnv();
  homes.push(u);
  const awsConfig = join(u.home, 'aws-config');
  await writeFile(awsConfig, '[default]\nregion = us-east-1\n');
  const env: Record<string, string> = { ...u.env, PATH: `/usr/bin:/bin:${u.env.PATH}`, AWS_CONFIG_FILE: awsConfig, AWS_SHARED_CREDENTIALS_FILE: join(u.home, 'none'), AWS_PAGER: '', AWS_MAX_ATTEMPTS: '1' };
  assert.equal((await tshLogin(env, cluster.proxyAddr, name, password)).code, 0);
  const login = await runBin('tsh', ['apps', 'login', '--aws-role', 'ExampleTeleportDynamoDBRole', 'aws'], { env });
  assert.equal(login.code, 0, login.stderr);
  return { ...u, env };
}

async function proxyFor(env: Record<string, string>) {
  const p = await startTshProxy(env);
  proxies.push(p);
  return { proxy: p, ddb: await dynamoDbThrough(p) };
}

/** The aws CLI with the settings `tsh proxy aws` printed, as a user pastes them. */
const awsCli = (p: TshProxy, home: string, args: string[]) =>
  runProgram('/usr/bin/aws', args, { env: { PATH: '/usr/bin:/bin', HOME: home, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_DEFAULT_REGION: 'us-east-1', AWS_MAX_ATTEMPTS: '1', ...p.vars } });

before(async () => {
  sandbox = await startSandbox({ roles: [{ name: 'ExampleTeleportDynamoDBRole' }] });
  cluster = await startCluster();
  await writeFile(join(cluster.dir, 'contractor.yaml'), 'kind: role\nversion: v5\nmetadata: {name: contractor}\nspec:\n  allow:\n    app_labels: {"*": "*"}\n');
  assert.equal((await cluster.tctl(['create', join(cluster.dir, 'contractor.yaml')])).code, 0);
  agent = await startAppService(cluster, {
    args: ['--insecure'],
    env: { ...sandbox.endpointEnv(), AWS_ACCESS_KEY_ID: sandbox.baseCredentials.accessKeyId, AWS_SECRET_ACCESS_KEY: sandbox.baseCredentials.secretAccessKey, AWS_REGION: 'us-east-1' },
  });
  await agent.ready();
});

after(async () => {
  for (const p of proxies) await p.stop();
  await agent?.close();
  await cluster?.close();
  await sandbox?.close();
  for (const h of homes) await h.cleanup();
});

describe('tctl lock', () => {
  test('a user lock stops a live tsh proxy aws, logins and API calls at once; removing it lets everything work again', async (t) => {
    const alice = await loggedIn('alice', ['access']);
    const { proxy, ddb } = await proxyFor(alice.env);
    assert.ok((await ddb.send(new ListTablesCommand({}))).TableNames, 'works before the lock');

    const asked = Date.now();
    const id = lockIdOf(await cluster.tctl(['lock', '--user=alice', '--message=Suspicious activity.']));
    const message = /lock targeting User:"alice" is in force: Suspicious activity\./;
    await eventually('the SDK to be refused', () => ddb.send(new ListTablesCommand({})).then(() => false, (e) => refusedBy(message)(e)));
    t.diagnostic(`the JS SDK behind tsh proxy aws was refused ${Date.now() - asked} ms after tctl lock started (tctl itself included)`);
    const agentSaw = await eventually('the app service to enforce the lock', () => /^(\S+) INFO +\[APP\] locks in force here: User:"alice"/m.exec(agent.logs()));
    t.diagnostic(`the app service had the lock ${Date.parse(agentSaw[1]) - asked} ms after tctl lock started`);

    const cli = await awsCli(proxy, alice.home, ['dynamodb', 'list-tables']);
    assert.notEqual(cli.code, 0);
    assert.match(cli.stderr, /AccessDeniedException.*lock targeting User:"alice" is in force: Suspicious activity\./);
    const login = await tshLogin(alice.env, cluster.proxyAddr, 'alice', password);
    assert.equal(login.code, 1);
    assert.match(login.stderr, /ERROR: lock targeting User:"alice" is in force: Suspicious activity\./);
    const ls = await runBin('tsh', ['apps', 'ls'], { env: alice.env });
    assert.equal(ls.code, 1, 'the cluster API refuses her login certificate too');
    assert.match(ls.stderr, /lock targeting User:"alice" is in force/);
    assert.match(ls.stderr, /Hint: an administrator lifts it with `tctl rm lock\/ID`/);

    const listed = json(await cluster.tctl(['locks', 'ls', '-f', 'json']));
    assert.equal(listed.length, 1);
    assert.equal(listed[0].kind, 'lock');
    assert.equal(listed[0].version, 'v2');
    assert.equal(listed[0].metadata.name, id);
    assert.deepEqual(listed[0].spec.target, { user: 'alice' });
    assert.equal(listed[0].spec.message, 'Suspicious activity.');
    assert.equal(listed[0].spec.created_by, 'admin');
    assert.ok(Date.parse(listed[0].spec.created_at) <= Date.now());
    assert.equal(listed[0].spec.expires, undefined, 'no --ttl: in force until removed');
    const text = await cluster.tctl(['locks', 'ls']);
    assert.match(text.stdout, /^ID\s+Target\s+Message\s+Expires\n/);
    assert.match(text.stdout, new RegExp(`^${id}\\s+User:"alice"\\s+Suspicious activity\\.\\s+never$`, 'm'));
    assert.match((await cluster.tctl(['get', 'locks'])).stdout, new RegExp(`kind: lock\\nversion: v2\\nmetadata:\\n  name: ${id}\\n`));
    assert.deepEqual(json(await cluster.tctl(['get', `lock/${id}`, '--format', 'json'])), listed);

    const rm = await cluster.tctl(['rm', `lock/${id}`]);
    assert.equal(rm.code, 0, rm.stderr);
    assert.equal(rm.stdout, `lock "${id}" has been deleted\n`);
    await eventually('the SDK to work again, with the same login', async () => (await ddb.send(new ListTablesCommand({}))).TableNames);
    assert.equal((await awsCli(proxy, alice.home, ['dynamodb', 'list-tables'])).code, 0);
    assert.equal((await runBin('tsh', ['apps', 'ls'], { env: alice.env })).code, 0);
    assert.equal((await tshLogin(alice.env, cluster.proxyAddr, 'alice', password)).code, 0);
    assert.match((await cluster.tctl(['locks', 'ls'])).stdout, /No locks are in force/);
    await eventually('the app service to lift it', () => /no locks in force here/.test(agent.logs()));

    const events = json(await cluster.tctl(['audit', 'events', '--since', '10m', '-f', 'json']));
    const created = events.find((e: any) => e.event === 'lock.created' && e.name === id);
    assert.equal(created.code, 'TLK00I');
    assert.equal(created.user, 'admin');
    assert.equal(created.target, 'User:"alice"');
    assert.equal(events.find((e: any) => e.event === 'lock.deleted' && e.name === id)?.code, 'TLK01I');
    ddb.destroy();
  });

  test('a role lock stops every holder of the role until its --ttl runs out', async () => {
    const bob = await loggedIn('bob', ['access', 'contractor']);
    const carol = await loggedIn('carol', ['access']);
    const b = await proxyFor(bob.env);
    const c = await proxyFor(carol.env);
    await b.ddb.send(new ListTablesCommand({}));
    const id = lockIdOf(await cluster.tctl(['lock', '--role=contractor', '--ttl=6s', '--message', 'All contractor access is disabled.']));
    await eventually('bob to be refused', () => b.ddb.send(new ListTablesCommand({})).then(() => false, (e) => refusedBy(/lock targeting Role:"contractor" is in force: All contractor access is disabled\./)(e)));
    assert.ok((await c.ddb.send(new ListTablesCommand({}))).TableNames, 'carol, without the role, is not stopped');
    const login = await tshLogin(bob.env, cluster.proxyAddr, 'bob', password);
    assert.match(login.stderr, /lock targeting Role:"contractor" is in force/);
    const listed = json(await cluster.tctl(['locks', 'ls', '-f', 'json']));
    assert.equal(listed.find((l: any) => l.metadata.name === id).spec.target.role, 'contractor');
    assert.ok(Date.parse(listed[0].spec.expires) > Date.now(), 'it expires');
    await eventually('the lock to expire', async () => (await b.ddb.send(new ListTablesCommand({}))).TableNames, { timeoutMs: 20_000 });
    assert.doesNotMatch((await cluster.tctl(['locks', 'ls'])).stdout, new RegExp(id), 'an expired lock is no longer listed');
    b.ddb.destroy();
    c.ddb.destroy();
  });

  test('a kind: lock document made with tctl create is in force like one from tctl lock', async () => {
    const erin = await loggedIn('erin', ['access']);
    const e = await proxyFor(erin.env);
    await e.ddb.send(new ListTablesCommand({}));
    await writeFile(join(cluster.dir, 'lock.yaml'), 'kind: lock\nversion: v2\nmetadata:\n  name: erin-lock\nspec:\n  target:\n    user: erin\n  message: "Please come back tomorrow."\n');
    const created = await cluster.tctl(['create', join(cluster.dir, 'lock.yaml')]);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /lock "erin-lock" has been created/);
    await eventually('erin to be refused', () => e.ddb.send(new ListTablesCommand({})).then(() => false, (err) => refusedBy(/Please come back tomorrow\./)(err)));
    assert.equal((await cluster.tctl(['rm', 'locks/erin-lock'])).code, 0, 'the plural works as in Teleport\'s guide');
    await eventually('erin to work again', async () => (await e.ddb.send(new ListTablesCommand({}))).TableNames);
    e.ddb.destroy();
  });

  test('bad input gets a clear error and makes no lock', async () => {
    const cases: Array<[string[], RegExp, RegExp?]> = [
      [['lock'], /ERROR: a lock needs a target/, /Hint: pass --user=NAME or --role=NAME/],
      [['lock', '--user=alice', '--role=contractor'], /ERROR: a lock has one target: a user or a role, not both/],
      [['lock', '--user=alice', '--ttl=soon'], /ERROR: invalid --ttl "soon"/, /Hint: write it like 30m, 1h/],
      [['lock', '--user=alice', '--ttl=0s'], /ERROR: --ttl must be longer than zero/],
      [['lock', '--user=alice', '--ttl=1h', '--expires=2099-01-01T00:00:00Z'], /ERROR: a lock takes --ttl or --expires, not both/],
      [['lock', '--user=alice', '--expires=tomorrow'], /ERROR: invalid lock expiry "tomorrow"/, /RFC 3339/],
      [['lock', '--user=alice', '--expires=2001-01-01T00:00:00Z'], /ERROR: the lock expiry 2001-01-01T00:00:00Z is in the past/],
      [['lock', '--user=not a name'], /ERROR: invalid user name "not a name" for a lock/],
      [['lock', '--user=alice', `--message=${'x'.repeat(1001)}`], /ERROR: the lock message is longer than 1000 characters/],
      [['rm', 'lock/00000000-0000-0000-0000-000000000000'], /ERROR: lock "00000000-0000-0000-0000-000000000000" not found/, /Hint: list the locks with `tctl locks ls`/],
      [['get', 'lock/nope'], /ERROR: lock "nope" not found/],
      [['rm', 'lock'], /ERROR: "lock" names no resource/],
    ];
    for (const [args, error, hint] of cases) {
      const r = await cluster.tctl(args);
      assert.notEqual(r.code, 0, args.join(' '));
      assert.match(r.stderr, error, args.join(' '));
      if (hint) assert.match(r.stderr, hint, args.join(' '));
    }
    await writeFile(join(cluster.dir, 'bad-lock.yaml'), 'kind: lock\nversion: v2\nmetadata: {name: both}\nspec:\n  target: {user: a, role: b}\n');
    const bad = await cluster.tctl(['create', join(cluster.dir, 'bad-lock.yaml')]);
    assert.match(bad.stderr, /bad-lock\.yaml:5: document 1 \(lock "both"\): "spec\.target" needs exactly one of user and role/);
    assert.deepEqual(json(await cluster.tctl(['locks', 'ls', '-f', 'json'])), [], 'none of them made a lock');
    const plain = homes[0];
    const denied = await runBin('tctl', ['lock', '--user=bob'], { env: plain.env });
    assert.equal(denied.code, 1);
    assert.match(denied.stderr, /access denied to perform action "create" on "lock"/, 'the access role may not lock anyone');
  });
});

describe('tctl users rm', () => {
  test("stops the removed user's app certificate at once", async () => {
    const dave = await loggedIn('dave', ['access']);
    const creds = await readAppCredentials(dave.env.TELEPORT_HOME, '127.0.0.1', 'dave', 'test.example.com', 'aws');
    // The outside tester's case: the SDK straight to the cluster proxy with dave's app certificate, on a kept-alive connection.
    const ddb = new DynamoDBClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'ANYKEY', secretAccessKey: 'any' },
      requestHandler: new NodeHttpHandler({ httpsAgent: appCertAgent({ proxyAddr: cluster.proxyAddr, ...creds }), requestTimeout: 20_000 }),
      maxAttempts: 1,
    });
    await ddb.send(new ListTablesCommand({}));
    const rm = await cluster.tctl(['users', 'rm', 'dave']);
    assert.equal(rm.code, 0, rm.stderr);
    // "At once": the proxy closes his connections before tctl returns; the next request opens a new one and is refused.
    await eventually('his requests to be refused', () => ddb.send(new ListTablesCommand({})).then(() => false, (e) => refusedBy(/the app session for "aws" has ended/)(e)), { timeoutMs: 5_000 });
    const ls = await runBin('tsh', ['apps', 'ls'], { env: dave.env });
    assert.match(ls.stderr, /user "dave" no longer exists/);
    const events = json(await cluster.tctl(['audit', 'events', '--since', '10m', '--type', 'app.session.end', '-f', 'json']));
    assert.ok(events.some((e: any) => e.user === 'dave'), 'the session end is audited');
    ddb.destroy();
  });
});
