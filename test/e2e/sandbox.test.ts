/**
 * `teleport sandbox` as the by-hand guide uses it: started in its own
 * terminal on chosen ports, its printed environment pasted into the app
 * service's, and a user's `tsh aws dynamodb scan` answered by it, end to end;
 * Ctrl-C stops it.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startCluster, addUser, userEnv, tshLogin, type TestCluster } from '../helpers/cluster.js';
import { startAppService, type TestAppService } from '../helpers/appService.js';
import { cleanEnv, runBin } from '../helpers/binaries.js';
import { startLongRunning, type LongRunning } from '../helpers/longRunning.js';

let cluster: TestCluster;
let sandbox: LongRunning;
let agent: TestAppService | undefined;

/** A port P with P + 1 and P + 2 free too (the sandbox takes consecutive ports: STS, DynamoDB, sign-in). */
async function freeRun(): Promise<number> {
  const take = (port: number) =>
    new Promise<net.Server | undefined>((resolve) => {
      const s = net.createServer().once('error', () => resolve(undefined));
      s.listen(port, '127.0.0.1', () => resolve(s));
    });
  const close = (s: net.Server | undefined) => new Promise((r) => (s ? s.close(r) : r(undefined)));
  for (let i = 0; i < 50; i++) {
    const first = await take(0);
    const port = (first!.address() as net.AddressInfo).port;
    const rest = [await take(port + 1), await take(port + 2), await take(port + 3)];
    await Promise.all([first, ...rest].map(close));
    if (rest.every(Boolean)) return port;
  }
  throw new Error('no three consecutive free ports');
}

before(async () => {
  cluster = await startCluster();
});

after(async () => {
  await agent?.close();
  await sandbox?.stop();
  await cluster?.close();
});

test('teleport sandbox --port P: its printed environment runs an app service, and a user scans the guide\'s table through it', async () => {
  const port = await freeRun();
  sandbox = startLongRunning('teleport', ['sandbox', '--port', String(port)], cleanEnv());
  await sandbox.waitFor(/Press Ctrl-C to stop\./);
  const out = sandbox.stdout();
  assert.match(out, /^IAM roles \(trusting the account\): arn:aws:iam::123456789012:role\/ExampleTeleportDynamoDBRole$/m);
  const vars = Object.fromEntries([...out.matchAll(/^ {2}export (\w+)="([^"]*)"$/gm)].map((m) => [m[1], m[2]]));
  assert.equal(vars.AWS_ENDPOINT_URL_STS, `http://127.0.0.1:${port}`);
  assert.equal(vars.AWS_ENDPOINT_URL_DYNAMODB, `http://127.0.0.1:${port + 1}`);
  assert.equal(vars.AWS_ENDPOINT_URL_SIGNIN, `http://127.0.0.1:${port + 2}`);
  assert.equal(vars.AWS_ENDPOINT_URL_S3, `http://127.0.0.1:${port + 3}`);
  assert.match(vars.AWS_ACCESS_KEY_ID, /^\w{16,}$/);
  assert.ok(vars.AWS_SECRET_ACCESS_KEY);

  // The app service gets exactly what was printed (as pasted into its shell or EnvironmentFile).
  agent = await startAppService(cluster, { env: vars, args: ['--insecure'] });
  await agent.ready();
  await addUser(cluster, 'alice', ['access'], 'sandbox-password-1', { awsRoleArns: ['arn:aws:iam::123456789012:role/ExampleTeleportDynamoDBRole'] });
  const alice = await userEnv({ PATH: `/usr/bin:/bin:${process.env.PATH}`, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_PAGER: '' });
  try {
    assert.equal((await tshLogin(alice.env, cluster.proxyAddr, 'alice', 'sandbox-password-1')).code, 0);
    assert.equal((await runBin('tsh', ['apps', 'login', '--aws-role', 'ExampleTeleportDynamoDBRole', 'aws'], { env: alice.env })).code, 0);
    const scan = await runBin('tsh', ['aws', 'dynamodb', 'scan', '--table-name', 'my-dynamodb-table'], { env: alice.env });
    assert.equal(scan.code, 0, scan.stderr);
    assert.deepEqual(JSON.parse(scan.stdout).Items.map((i: any) => i.id.S).sort(), ['order-1', 'order-2']);
    const who = await runBin('tsh', ['aws', 'sts', 'get-caller-identity'], { env: alice.env });
    assert.equal(JSON.parse(who.stdout).Arn, 'arn:aws:sts::123456789012:assumed-role/ExampleTeleportDynamoDBRole/alice');
  } finally {
    await alice.cleanup();
  }

  assert.equal(await sandbox.stop('SIGINT'), 0, sandbox.stderr());
  const refused = await new Promise<boolean>((resolve) => net.connect(port, '127.0.0.1').once('error', () => resolve(true)).once('connect', () => resolve(false)));
  assert.ok(refused, 'its ports are closed after Ctrl-C');
});

test('teleport sandbox on a port in use names the port', async () => {
  const blocker = net.createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
  const port = (blocker.address() as net.AddressInfo).port;
  try {
    const r = await runBin('teleport', ['sandbox', '--port', String(port)], { env: cleanEnv() });
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`^ERROR: 127\\.0\\.0\\.1:${port} is already in use\\nHint: choose other ports with --port`, 'm'));
  } finally {
    blocker.close();
  }
});
