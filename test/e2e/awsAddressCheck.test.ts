/**
 * Where an AWS name resolves, end to end: a cluster with auth, proxy and app
 * service in one process (the demo's shape), a DNS answer pointing
 * `dynamodb.us-east-1.amazonaws.com` at loopback (what a rebinding or
 * poisoned resolver would do), and a user's DynamoDB request with a real app
 * certificate. The app service refuses to connect, says why, and audits it
 * in its spool like any other request.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { startTeleport, type TeleportProcess } from '../../src/cluster/teleportProcess.js';
import { silentLogger } from '../../src/cluster/logger.js';
import { addUser, userEnv, tshLogin, type TestCluster } from '../helpers/cluster.js';
import { appCertAgent, readAppCredentials } from '../helpers/appClient.js';
import { cleanEnv, runBin } from '../helpers/binaries.js';

const ROLE = 'arn:aws:iam::123456789012:role/ExampleTeleportDynamoDBRole';
let sandbox: Sandbox;
let proc: TeleportProcess;
let work: string;
let user: Awaited<ReturnType<typeof userEnv>>;
const lookedUp: string[] = [];

before(async () => {
  sandbox = await startSandbox({ roles: [{ name: 'ExampleTeleportDynamoDBRole' }] });
  // STS is the sandbox's (an override the operator set); DynamoDB is left to DNS.
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_STS: sandbox.stsEndpoint,
    AWS_ACCESS_KEY_ID: sandbox.baseCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: sandbox.baseCredentials.secretAccessKey,
    AWS_REGION: 'us-east-1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  work = await mkdtemp(join(tmpdir(), 'tsh-addrcheck-'));
  const dataDir = join(work, 'data');
  proc = await startTeleport(
    {
      source: 'test',
      dataDir,
      auth: { clusterName: 'test.example.com', listenAddr: '127.0.0.1:0', secondFactor: 'off' },
      proxy: { webListenAddr: '127.0.0.1:0' },
      app: { enabled: true, apps: [{ name: 'aws', uri: 'https://console.aws.amazon.com/home/home', labels: {} }] },
    },
    {
      log: silentLogger,
      resolve: async (host) => {
        lookedUp.push(host);
        return [{ address: '127.0.0.1', family: 4 }];
      },
    },
  );
  await proc.app!.ready;
  const configPath = join(work, 'teleport.yaml');
  await writeFile(configPath, `version: v3\nteleport:\n  data_dir: ${dataDir}\nauth_service:\n  cluster_name: test.example.com\n  listen_addr: 127.0.0.1:0\nproxy_service:\n  web_listen_addr: 127.0.0.1:0\n`);
  const cluster = { proxyAddr: proc.proxyAddr!, tctl: (args: string[]) => runBin('tctl', ['-c', configPath, ...args], { env: cleanEnv() }) } as TestCluster;
  await addUser(cluster, 'alice', ['access'], 'correct horse battery staple', { awsRoleArns: [ROLE] });
  user = await userEnv();
  assert.equal((await tshLogin(user.env, proc.proxyAddr!, 'alice', 'correct horse battery staple')).code, 0);
  const login = await runBin('tsh', ['apps', 'login', '--aws-role', 'ExampleTeleportDynamoDBRole', 'aws'], { env: user.env });
  assert.equal(login.code, 0, login.stderr);
});

after(async () => {
  await proc?.close();
  await sandbox?.close();
  await user?.cleanup();
  if (work) await rm(work, { recursive: true, force: true });
});

test('an AWS name that resolves to loopback is refused before connecting, with the reason, and audited', async () => {
  const creds = await readAppCredentials(user.env.TELEPORT_HOME, '127.0.0.1', 'alice', 'test.example.com', 'aws');
  const ddb = new DynamoDBClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'ANYKEY', secretAccessKey: 'any' },
    requestHandler: new NodeHttpHandler({ httpsAgent: appCertAgent({ proxyAddr: proc.proxyAddr!, ...creds }) }),
    maxAttempts: 1,
  });
  await assert.rejects(ddb.send(new ListTablesCommand({})), (e: any) => {
    assert.equal(e.name, 'AccessDeniedException');
    assert.match(e.message, /"dynamodb\.us-east-1\.amazonaws\.com" resolves to 127\.0\.0\.1, a loopback, private, link-local or metadata address; the app service sends AWS requests only to public AWS endpoints/);
    return true;
  });
  assert.deepEqual(lookedUp, ['dynamodb.us-east-1.amazonaws.com'], 'the override-named STS endpoint is not looked up');
  assert.ok(!sandbox.requests.some((r) => r.service === 'dynamodb'), 'nothing reached AWS');

  await proc.app!.flushAudit();
  const events = await proc.auth!.ctx.audit.search({ since: new Date(Date.now() - 600_000), event: 'app.session.dynamodb.request' });
  assert.equal(events.length, 1);
  assert.equal(events[0].reason, 'bad_target');
  assert.equal(events[0].status_code, 403);
  // The app service in the proxy's process spools like a standalone one.
  assert.equal((await stat(join(work, 'data', 'spool', 'audit.jsonl'))).mode & 0o777, 0o600);
});
