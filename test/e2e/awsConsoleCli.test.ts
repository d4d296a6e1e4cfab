/**
 * `tsh aws console`: the console sign-in from a terminal. A real cluster,
 * the seed's app service (plus a web app that is not AWS), a second app
 * service whose own AWS credentials are a role session (so assuming the
 * user's role is role chaining), and the sandbox's federation endpoint,
 * which the printed URLs are followed against.
 */
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { startCluster, addUser, userEnv, tshLogin, type TestCluster } from '../helpers/cluster.js';
import { caPinOf, sandboxAwsEnv, startAppService, type TestAppService } from '../helpers/appService.js';
import { runBin } from '../helpers/binaries.js';
import { WebClient } from '../helpers/webClient.js';

const ROLE = 'arn:aws:iam::123456789012:role/ExampleTeleportDynamoDBRole';
const READER = 'arn:aws:iam::123456789012:role/ReadOnlyRole';
const password = 'correct horse battery staple';
let sandbox: Sandbox;
let cluster: TestCluster;
const agents: TestAppService[] = [];
let alice: Awaited<ReturnType<typeof userEnv>>;
let bin: string;

const tsh = (args: string[], env = alice.env) => runBin('tsh', args, { env });
const events = async (type: string) => JSON.parse((await cluster.tctl(['audit', 'events', '--since', '1h', '--type', type, '-f', 'json'])).stdout) as any[];

/** Follows a sign-in URL as the browser would; returns the page. */
async function follow(url: string): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { redirect: 'manual' });
  return { status: res.status, text: await res.text() };
}

before(async () => {
  sandbox = await startSandbox({ roles: [{ name: 'ExampleTeleportDynamoDBRole' }, { name: 'ReadOnlyRole' }, { name: 'BrokerRole' }] });
  cluster = await startCluster();
  const caPin = await caPinOf(cluster);
  agents.push(await startAppService(cluster, { caPin, env: sandboxAwsEnv(sandbox), apps: '  - name: aws\n    uri: https://console.aws.amazon.com/home/home\n  - name: grafana\n    uri: https://grafana.example.com\n' }));
  // An app service that runs as a role session itself (as on ECS or with a profile's role_arn).
  const sts = new STSClient({ endpoint: sandbox.stsEndpoint, region: 'us-east-1', credentials: sandbox.baseCredentials });
  const c = (await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/BrokerRole', RoleSessionName: 'app-service' }))).Credentials!;
  sts.destroy();
  const roleSession = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
  agents.push(await startAppService(cluster, { caPin, env: sandboxAwsEnv(sandbox, roleSession), apps: '  - name: aws-chained\n    uri: https://console.aws.amazon.com/console/home\n' }));
  await Promise.all(agents.map((a) => a.ready()));
  await addUser(cluster, 'alice', ['access'], password, { awsRoleArns: [ROLE, READER] });
  await addUser(cluster, 'bob', ['access'], password, { awsRoleArns: [ROLE] });
  await addUser(cluster, 'audrey', ['auditor'], password);
  alice = await userEnv();
  assert.equal((await tshLogin(alice.env, cluster.proxyAddr, 'alice', password)).code, 0);
  bin = await mkdtemp(join(tmpdir(), 'fake-browser-'));
});

after(async () => {
  for (const a of agents) await a.close();
  await cluster?.close();
  await sandbox?.close();
  await alice?.cleanup();
  if (bin) await rm(bin, { recursive: true, force: true });
});

describe('tsh aws console', () => {
  test('--print prints a URL that signs in as the app login\'s role, once', async () => {
    assert.equal((await tsh(['apps', 'login', '--aws-role', 'ExampleTeleportDynamoDBRole', 'aws'])).code, 0);
    const r = await tsh(['aws', 'console', '--print']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    const lines = r.stdout.split('\n');
    assert.deepEqual(lines.slice(1), [''], 'one line: the URL');
    const url = new URL(lines[0]);
    assert.equal(`${url.origin}${url.pathname}`, `${sandbox.signinEndpoint}/federation`);
    assert.deepEqual([url.searchParams.get('Action'), url.searchParams.get('Issuer'), url.searchParams.get('Destination')], ['login', `https://${cluster.proxyAddr}`, 'https://console.aws.amazon.com/home/home']);
    const page = await follow(lines[0]);
    assert.equal(page.status, 200);
    assert.match(page.text, /id="signed-in-as">ExampleTeleportDynamoDBRole\/alice</);
    assert.match(page.text, /id="destination">https:\/\/console\.aws\.amazon\.com\/home\/home</);
    assert.equal((await follow(lines[0])).status, 400, 'the sign-in link works once');

    const login = (await events('aws.console.login')).at(-1)!;
    const start = (await events('app.session.start')).at(-1)!;
    assert.equal(login.sid, start.sid, 'the console login names the app session of `tsh apps login`');
    assert.equal(start.via, 'tsh');
    assert.equal(login.aws_assumed_role, 'arn:aws:sts::123456789012:assumed-role/ExampleTeleportDynamoDBRole/alice');
    const token = sandbox.requests.filter((q) => q.action === 'getSigninToken').at(-1)!;
    assert.ok(token.sessionDuration! > 11 * 3600, 'long-lived base credentials: the console session follows the login (12 h here)');
  });

  test('--aws-role logs into the app with that role first; the same role again reuses the login', async () => {
    const r = await tsh(['aws', 'console', '--aws-role', 'ReadOnlyRole', '--print']);
    assert.equal(r.code, 0, r.stderr);
    assert.match((await follow(r.stdout.trim())).text, /id="signed-in-as">ReadOnlyRole\/alice</);
    const cfg = JSON.parse((await tsh(['apps', 'config', 'aws', '-f', 'json'])).stdout);
    assert.equal(cfg.aws_role_arn, READER, 'the app login now uses the role');
    const sessions = (await events('app.session.start')).length;
    const again = await tsh(['aws', 'console', '--aws-role', READER, '--print']);
    assert.equal(again.code, 0, again.stderr);
    assert.match((await follow(again.stdout.trim())).text, /id="signed-in-as">ReadOnlyRole\/alice</);
    assert.equal((await events('app.session.start')).length, sessions, 'no new app session');
  });

  test('a role outside the user\'s set is refused, with the allowed roles', async () => {
    const r = await tsh(['aws', 'console', '--aws-role', 'AdminRole', '--print']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /ERROR: failed to find the "AdminRole" role name/);
    assert.match(r.stdout, /ExampleTeleportDynamoDBRole\s+arn:aws:iam::123456789012:role\/ExampleTeleportDynamoDBRole\nReadOnlyRole\s+arn:aws:iam::123456789012:role\/ReadOnlyRole/);
    assert.equal(r.stdout.includes('federation'), false, 'no URL');
  });

  test('an app that is not an AWS app is refused', async () => {
    assert.equal((await tsh(['apps', 'login', 'grafana'])).code, 0);
    for (const args of [['aws', 'console', '--app', 'grafana', '--print'], ['aws', '--app', 'grafana', 'console', '--print'], ['aws', 'console', '--app', 'grafana', '--aws-role', 'ReadOnlyRole', '--print']]) {
      const r = await tsh(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, /ERROR: selected app "grafana" is not an AWS application/, args.join(' '));
    }
    assert.equal((await tsh(['apps', 'logout', 'grafana'])).code, 0);
  });

  test('without an app login (and no --aws-role) it says how to get one', async () => {
    const bob = await userEnv();
    try {
      assert.equal((await tshLogin(bob.env, cluster.proxyAddr, 'bob', password)).code, 0);
      const r = await tsh(['aws', 'console', '--print'], bob.env);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /please login to AWS app using 'tsh apps login' first/);
      // With --aws-role the app is the only AWS app there is; here there are two.
      const two = await tsh(['aws', 'console', '--aws-role', 'ExampleTeleportDynamoDBRole', '--print'], bob.env);
      assert.equal(two.code, 2);
      assert.match(two.stderr, /multiple AWS apps are available \(aws, aws-chained\), please specify one using --app/);
      const ok = await tsh(['aws', 'console', '--app', 'aws', '--aws-role', 'ExampleTeleportDynamoDBRole', '--print'], bob.env);
      assert.equal(ok.code, 0, ok.stderr);
      assert.match((await follow(ok.stdout.trim())).text, /id="signed-in-as">ExampleTeleportDynamoDBRole\/bob</);
    } finally {
      await bob.cleanup();
    }
  });

  test('without --print the URL goes to the default browser, as one argument, no shell in between', async () => {
    const seen = join(bin, 'seen');
    await writeFile(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$#" "$@" > '${seen}'\n`);
    await chmod(join(bin, 'xdg-open'), 0o755);
    const r = await tsh(['aws', 'console', '--aws-role', 'ExampleTeleportDynamoDBRole'], { ...alice.env, PATH: `${bin}:/usr/bin:/bin` });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^Opening the AWS Management Console for app aws as ExampleTeleportDynamoDBRole in your browser/);
    const [count, url] = (await readFile(seen, 'utf8')).split('\n');
    assert.equal(count, '1', 'the URL is one argument');
    assert.match((await follow(url)).text, /id="signed-in-as">ExampleTeleportDynamoDBRole\/alice</);
  });

  test('with no browser opener installed it says to use --print', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'no-opener-'));
    try {
      const r = await tsh(['aws', 'console'], { ...alice.env, PATH: empty });
      assert.equal(r.code, 127);
      assert.match(r.stderr, /ERROR: cannot open a browser: xdg-open is not installed/);
      assert.match(r.stderr, /--print/);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  test('an app service that is itself a role session chains roles: no SessionDuration, at most an hour of console', async () => {
    const before = sandbox.requests.length;
    const r = await tsh(['aws', 'console', '--app', 'aws-chained', '--aws-role', 'ExampleTeleportDynamoDBRole', '--print']);
    assert.equal(r.code, 0, r.stderr);
    const page = await follow(r.stdout.trim());
    assert.match(page.text, /id="signed-in-as">ExampleTeleportDynamoDBRole\/alice</);
    assert.match(page.text, /id="destination">https:\/\/console\.aws\.amazon\.com\/console\/home</);
    const ends = Date.parse(/id="session-ends">([^<]+)</.exec(page.text)![1]);
    assert.ok(ends - Date.now() <= 3_600_000 && ends - Date.now() > 3_500_000, 'the console session lasts as long as the chained credentials: an hour');
    const seen = sandbox.requests.slice(before);
    const assume = seen.find((q) => q.action === 'AssumeRole')!;
    assert.equal(assume.callerArn, 'arn:aws:sts::123456789012:assumed-role/BrokerRole/app-service', 'the app service assumed the role as a role session');
    const token = seen.find((q) => q.action === 'getSigninToken')!;
    assert.equal(token.status, 200);
    assert.equal(token.sessionDuration, undefined, 'no SessionDuration for role-chained credentials');
  });

});

test('the web UI\'s Audit page shows each AWS request with its service, action, status and assumed role', async () => {
  const awsConfig = join(bin, 'aws-config');
  await writeFile(awsConfig, '[default]\nregion = us-east-1\n');
  const env = { ...alice.env, PATH: `/usr/bin:/bin:${alice.env.PATH}`, AWS_CONFIG_FILE: awsConfig, AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_PAGER: '' };
  const r = await tsh(['aws', '--app', 'aws', 'dynamodb', 'list-tables'], env);
  assert.equal(r.code, 0, r.stderr);
  const web = new WebClient(cluster.proxyAddr);
  assert.equal((await web.signIn('audrey', password)).status, 303);
  // The app service sends its events in batches: wait for this one.
  const deadline = Date.now() + 20_000;
  let page = await web.get('/web/audit?type=app.session.dynamodb.request&user=alice&since=15m');
  while (!page.text.includes('ListTables') && Date.now() < deadline) {
    await new Promise((res) => setTimeout(res, 250));
    page = await web.get('/web/audit?type=app.session.dynamodb.request&user=alice&since=15m');
  }
  assert.equal(page.status, 200);
  assert.match(page.text, /<dt>Service<\/dt><dd>dynamodb<\/dd><dt>Action<\/dt><dd><code>DynamoDB_20120810\.ListTables<\/code><\/dd><dt>Status<\/dt><dd>200<\/dd><dt>Assumed role<\/dt><dd>arn:aws:sts::123456789012:assumed-role\/ExampleTeleportDynamoDBRole\/alice<\/dd>/);
  assert.deepEqual([...page.text.matchAll(/<tr data-event="([^"]+)"/g)].map((m) => m[1]), ['app.session.dynamodb.request'], 'only that type, only alice\'s');
  assert.match(page.text, /<option value="15m" selected>Last 15 minutes<\/option>/);
  assert.match(page.text, /<option value="app\.session\.dynamodb\.request" selected>/);
  const nobody = await web.get('/web/audit?user=nobody&since=15m');
  assert.match(nobody.text, /No events match\./);
});
