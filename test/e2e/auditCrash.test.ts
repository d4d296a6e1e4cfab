/**
 * Audit that survives a crash: the app service in its own process, under
 * load from the JS SDK through `tsh proxy aws` (concurrent PutItems of
 * distinct items), is killed with SIGKILL mid-run and started again. Then
 * the sandbox's request log (what "AWS" executed) is held against the audit
 * log: every executed request has its event, events of requests whose answer
 * the dead process never saw are marked `completed: false`, and no event is
 * stored twice.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { HttpsProxyAgent } from 'hpagent';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { startCluster, addUser, userEnv, tshLogin, type TestCluster } from '../helpers/cluster.js';
import { startAppService, type TestAppService } from '../helpers/appService.js';
import { binPath, runBin } from '../helpers/binaries.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const ROLE = 'arn:aws:iam::123456789012:role/ExampleTeleportDynamoDBRole';
const PUT = 'DynamoDB_20120810.PutItem';
const WORKERS = 16;
let sandbox: Sandbox;
let cluster: TestCluster;
let agent: TestAppService;
let alice: Awaited<ReturnType<typeof userEnv>>;
let proxy: ChildProcess | undefined;

before(async () => {
  sandbox = await startSandbox({ roles: [{ name: 'ExampleTeleportDynamoDBRole' }], tables: [{ name: 'crash_items' }] });
  cluster = await startCluster();
  agent = await startAppService(cluster, {
    args: ['--insecure'],
    env: { ...sandbox.endpointEnv(), AWS_ACCESS_KEY_ID: sandbox.baseCredentials.accessKeyId, AWS_SECRET_ACCESS_KEY: sandbox.baseCredentials.secretAccessKey, AWS_REGION: 'us-east-1' },
  });
  await agent.ready();
  await addUser(cluster, 'alice', ['access'], 'correct horse battery staple', { awsRoleArns: [ROLE] });
  alice = await userEnv();
  assert.equal((await tshLogin(alice.env, cluster.proxyAddr, 'alice', 'correct horse battery staple')).code, 0);
  assert.equal((await runBin('tsh', ['apps', 'login', '--aws-role', 'ExampleTeleportDynamoDBRole', 'aws'], { env: alice.env })).code, 0);
});

after(async () => {
  proxy?.kill('SIGKILL');
  await agent?.close();
  await cluster?.close();
  await sandbox?.close();
  await alice?.cleanup();
});

/** Starts `tsh proxy aws -f json` and returns the settings it printed. */
async function startProxy(): Promise<Record<string, string>> {
  proxy = spawn(process.execPath, [binPath('tsh'), 'proxy', 'aws', '-f', 'json'], { env: alice.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    proxy!.stdout!.on('data', (d) => {
      out += d;
      try {
        resolve(JSON.parse(out));
      } catch {
        // not the whole object yet
      }
    });
    proxy!.once('exit', (code) => reject(new Error(`tsh proxy aws exited ${code}`)));
  });
}

async function until(cond: () => boolean | Promise<boolean>, what: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const executedPuts = () => sandbox.requests.filter((r) => r.service === 'dynamodb' && r.action === 'PutItem').length;

test('SIGKILL under load, then a restart: every request AWS executed has exactly one audit event, unfinished ones marked, none twice', async (t) => {
  const vars = await startProxy();
  const ddb = new DynamoDBClient({
    region: 'us-east-1',
    credentials: { accessKeyId: vars.AWS_ACCESS_KEY_ID, secretAccessKey: vars.AWS_SECRET_ACCESS_KEY },
    requestHandler: new NodeHttpHandler({ httpsAgent: new HttpsProxyAgent({ proxy: vars.HTTPS_PROXY, ca: [await readFile(vars.AWS_CA_BUNDLE)], keepAlive: true, maxSockets: WORKERS }) }),
    maxAttempts: 1,
  });
  let next = 0;
  let ok = 0;
  let failed = 0;
  let stop = false;
  const worker = async () => {
    while (!stop) {
      const id = `item-${next++}`;
      try {
        await ddb.send(new PutItemCommand({ TableName: 'crash_items', Item: { id: { S: id }, v: { S: 'x'.repeat(100) } } }));
        ok++;
      } catch {
        failed++;
        await new Promise((r) => setTimeout(r, 20)); // the app service is down: a client backs off
      }
    }
  };
  const workers = Array.from({ length: WORKERS }, worker);

  await until(() => executedPuts() >= 150, '150 PutItems to reach AWS');
  await agent.kill();
  const atKill = executedPuts();
  await agent.start();
  await agent.ready();
  const okAtRestart = ok;
  await until(() => ok - okAtRestart >= 150, '150 PutItems after the restart');
  stop = true;
  await Promise.all(workers);
  ddb.destroy();
  assert.ok(failed > 0, 'some requests failed while the app service was down');

  const executed = executedPuts();
  let events: any[] = [];
  // Shipping is asynchronous (and the leftovers of the crash go first): wait until the log holds at least what AWS executed.
  await until(async () => {
    const r = await cluster.tctl(['audit', 'events', '--since', '1h', '--type', 'app.session.dynamodb.request', '-f', 'json']);
    events = (JSON.parse(r.stdout) as any[]).filter((e) => e.user === 'alice' && e.target === PUT);
    return events.filter((e) => !e.reason).length >= executed;
  }, 'the audit log to catch up', 30_000);
  // One more look after a pause: nothing arrives late as a duplicate.
  await new Promise((r) => setTimeout(r, 1_000));
  const r = await cluster.tctl(['audit', 'events', '--since', '1h', '--type', 'app.session.dynamodb.request', '-f', 'json']);
  events = (JSON.parse(r.stdout) as any[]).filter((e) => e.user === 'alice' && e.target === PUT);

  const uids = events.map((e) => e.uid);
  assert.equal(new Set(uids).size, uids.length, 'no event is stored twice');
  const sent = events.filter((e) => !e.reason);
  const unfinished = sent.filter((e) => e.completed === false);
  const finished = sent.filter((e) => e.completed !== false);
  // Each request the app service sent has one event, written before it was sent; the sandbox counts what it executed.
  assert.ok(finished.length <= executed, `${finished.length} answered events but only ${executed} requests executed`);
  assert.ok(executed <= sent.length, `${executed} requests executed but only ${sent.length} events: ${executed - sent.length} lost`);
  assert.ok(unfinished.length >= 1, 'the requests in flight at the kill are marked completed: false');
  assert.ok(unfinished.length <= WORKERS, `${unfinished.length} unfinished events, more than requests could be in flight`);
  assert.ok(finished.every((e) => e.status_code === 200), 'answered events carry their status');
  assert.ok(executed > atKill, 'load went on after the restart');

  t.diagnostic(`AWS executed ${executed} PutItems (${atKill} before the kill); ${sent.length} events, ${unfinished.length} of them unfinished; ${failed} requests failed while the app service was down`);
  const siem = (await readFile(join(cluster.dataDir, 'log', 'events.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l).uid);
  assert.equal(new Set(siem).size, siem.length, 'no line twice in events.jsonl');
  assert.match(agent.logs(), /the audit spool holds \d+ events not yet in the audit log \(\d+ of requests whose answer was never recorded\); sending them/);
  assert.equal((await stat(join(agent.dir, 'data', 'spool', 'audit.jsonl'))).mode & 0o777, 0o600);
});
