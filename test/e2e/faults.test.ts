/**
 * Faults with real processes, as an operator meets them: the cluster (auth
 * and proxy) killed and restarted on its address, the app service killed
 * under load and restarted, teleport killed in the middle of writes, AWS
 * (DynamoDB) gone and back. After each, everything heals by itself: no new
 * `tsh login`, `tsh apps login` or join token, nothing acknowledged is lost,
 * and the recovery times (from the processes' own logs, or from the moment
 * the fault ended to the first request served) are printed as test
 * diagnostics, `recovery: ...` lines the README's table quotes.
 */
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import tls from 'node:tls';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from 'undici';
import { DynamoDBClient, CreateTableCommand, ListTablesCommand, PutItemCommand, ScanCommand, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { ApiClient } from '../../src/shared/http/apiClient.js';
import { adminIdentityPaths } from '../../src/cluster/auth/authService.js';
import { startCluster, addUser, userEnv, tshLogin, freePort, type TestCluster } from '../helpers/cluster.js';
import { startAppService, type TestAppService } from '../helpers/appService.js';
import { appCertAgent, readAppCredentials } from '../helpers/appClient.js';
import { runBin, type RunResult } from '../helpers/binaries.js';
import { startTshProxy, dynamoDbThrough } from '../helpers/tshProxy.js';
import { eventually } from '../helpers/eventually.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const ROLE = 'arn:aws:iam::123456789012:role/ExampleTeleportDynamoDBRole';
const password = 'correct horse battery staple';
let sandbox: Sandbox;
let cluster: TestCluster;
let agent: TestAppService;
let alice: Awaited<ReturnType<typeof userEnv>>;
let env: Record<string, string>;
/** A stand-in AWS endpoint that takes requests and answers none, so a request can be caught in flight. */
let hanging: http.Server;
const held: http.ServerResponse[] = [];
/** DynamoDB as the app service reaches it: a TCP relay to the sandbox's, on a fixed port, that can be taken down and brought back. */
let dynamodb: { url: string; down(): Promise<void>; up(): Promise<void>; close(): Promise<void> };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ok = (r: RunResult) => {
  assert.equal(r.code, 0, `exit ${r.code}: ${r.stderr}`);
  return r.stdout;
};
const json = (r: RunResult) => JSON.parse(ok(r));
const listedApps = async () => (json(await cluster.tctl(['apps', 'ls', '-f', 'json'])) as Array<{ spec: { app: { metadata: { name: string } } } }>).map((s) => s.spec.app.metadata.name);
/** The time a log line was written (every service line starts with an ISO timestamp). */
const loggedAt = (text: string, re: RegExp) => {
  const all = [...text.matchAll(new RegExp(`^(\\S+) .*${re.source}`, 'gm'))];
  return all.length ? Date.parse(all[all.length - 1][1]) : undefined;
};

before(async () => {
  sandbox = await startSandbox({ roles: [{ name: 'ExampleTeleportDynamoDBRole' }] });
  hanging = http.createServer((req, res) => {
    req.resume();
    held.push(res);
  });
  await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
  dynamodb = await startRelay(Number(new URL(sandbox.dynamodbEndpoint).port));
  cluster = await startCluster({ fixedPort: true });
  const caPin = /CA pin\s+(\S+)/.exec((await cluster.tctl(['status'])).stdout)![1];
  agent = await startAppService(cluster, {
    caPin,
    env: {
      ...sandbox.endpointEnv(),
      AWS_ENDPOINT_URL_SQS: `http://127.0.0.1:${(hanging.address() as { port: number }).port}`,
      AWS_ENDPOINT_URL_DYNAMODB: dynamodb.url,
      AWS_ACCESS_KEY_ID: sandbox.baseCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: sandbox.baseCredentials.secretAccessKey,
      AWS_REGION: 'us-east-1',
    },
  });
  await agent.ready();
  await addUser(cluster, 'alice', ['access', 'editor'], password, { awsRoleArns: [ROLE] });
  alice = await userEnv();
  const awsConfig = join(alice.home, 'aws-config');
  await writeFile(awsConfig, '[default]\nregion = us-east-1\n');
  env = { ...alice.env, PATH: `/usr/bin:/bin:${alice.env.PATH}`, AWS_CONFIG_FILE: awsConfig, AWS_SHARED_CREDENTIALS_FILE: join(alice.home, 'none'), AWS_PAGER: '' };
  assert.equal((await tshLogin(env, cluster.proxyAddr, 'alice', password)).code, 0);
  ok(await runBin('tsh', ['apps', 'login', '--aws-role', 'ExampleTeleportDynamoDBRole', 'aws'], { env }));
});

after(async () => {
  for (const res of held) res.destroy();
  hanging?.close();
  await dynamodb?.close();
  await agent?.close();
  await cluster?.close();
  await sandbox?.close();
  await alice?.cleanup();
});

/** A TCP relay on a free port to 127.0.0.1:`to`; down() closes it and every connection through it, up() listens on the same port again. */
async function startRelay(to: number) {
  const port = await freePort();
  const open = new Set<net.Socket>();
  let server: net.Server | undefined;
  const up = () =>
    new Promise<void>((resolve, reject) => {
      if (server) return resolve();
      server = net.createServer((client) => {
        const upstream = net.connect(to, '127.0.0.1');
        for (const s of [client, upstream]) {
          open.add(s);
          s.on('close', () => open.delete(s));
          s.on('error', () => {});
        }
        client.pipe(upstream).pipe(client);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
  const down = async () => {
    const closed = new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    for (const s of open) s.destroy();
    await closed;
    server = undefined;
  };
  await up();
  return { url: `http://127.0.0.1:${port}`, up, down, close: down };
}

/** The SDK straight to the cluster proxy with alice's app certificate, as in the outside tests. */
async function directDynamoDb(maxAttempts: number): Promise<DynamoDBClient> {
  const creds = await readAppCredentials(alice.env.TELEPORT_HOME, '127.0.0.1', 'alice', 'test.example.com', 'aws');
  return new DynamoDBClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'ANYKEY', secretAccessKey: 'any' },
    requestHandler: new NodeHttpHandler({ httpsAgent: appCertAgent({ proxyAddr: cluster.proxyAddr, ...creds }), requestTimeout: 20_000 }),
    maxAttempts,
  });
}

describe('faults', () => {
  test('the cluster killed and restarted: the app service stays up and is served again; tsh needs no new login; a running tsh proxy aws heals', async (t) => {
    const proxy = await startTshProxy(env);
    try {
      const ddb = await dynamoDbThrough(proxy);
      await ddb.send(new CreateTableCommand({ TableName: 'faults', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }));
      await waitUntilTableExists({ client: ddb, maxWaitTime: 20, minDelay: 1 }, { TableName: 'faults' });
      const mark = agent.logs().length;
      await cluster.kill();
      await eventually('the app service to log the loss', () => /WARN +\[APP\] lost the tunnel to the proxy at 127\.0\.0\.1:\d+/.test(agent.logs().slice(mark)));
      // The outage an operator's restart makes: long enough for the agent's backoff to reach its cap.
      await sleep(3_000);
      assert.ok(agent.alive(), `the app service is still running:\n${agent.logs().slice(mark)}`);
      await cluster.start();
      await eventually('the app service to be served again', () => /tunnel to the proxy at .* is up again after/.test(agent.logs().slice(mark)));
      const since = agent.logs().slice(mark);
      assert.equal(since.match(/WARN .*lost the tunnel/g)?.length, 1, `the loss is logged once:\n${since}`);
      assert.doesNotMatch(since, /retrying until it answers/, 'the retries say nothing more');
      const servedAfter = loggedAt(since, /is up again after/)! - loggedAt(cluster.logs(), /Web proxy service is listening/)!;
      t.diagnostic(`recovery: the app service was served again ${servedAfter} ms after the restarted proxy listened`);
      assert.ok(servedAfter >= 0, `served again after the proxy came back (${servedAfter} ms)`);
      assert.deepEqual(await listedApps(), ['aws'], 'its heartbeat resumed with the tunnel');

      const proxyBack = Date.now();
      await eventually('the running tsh proxy aws to serve again', async () => (await ddb.send(new ListTablesCommand({}))).TableNames?.includes('faults'), { everyMs: 50 });
      t.diagnostic(`recovery: a running tsh proxy aws served again ${Date.now() - proxyBack} ms after the restarted proxy was up (no new login)`);
      const tables = json(await runBin('tsh', ['aws', 'dynamodb', 'list-tables'], { env, timeoutMs: 60_000 }));
      assert.deepEqual(tables.TableNames, ['faults'], 'tsh aws works with the same login and app login');
      assert.equal(proxy.child.exitCode, null, 'tsh proxy aws kept running');
      ddb.destroy();
    } finally {
      await proxy.stop();
    }
  });

  test('the app service killed: a request in flight gets an AWS-shaped 503 and the agent leaves the listing at once', async () => {
    const creds = await readAppCredentials(alice.env.TELEPORT_HOME, '127.0.0.1', 'alice', 'test.example.com', 'aws');
    const [host, port] = cluster.proxyAddr.split(':');
    const client = new Client(`https://${cluster.proxyAddr}`, {
      connect: (_opts, cb) => {
        const s = tls.connect({ host, port: Number(port), key: creds.key, cert: creds.cert, ca: [creds.ca], servername: 'localhost', ALPNProtocols: ['tsh-app-v1'] });
        s.once('secureConnect', () => cb(null, s));
        s.once('error', (e) => cb(e, null));
      },
    });
    try {
      const date = new Date().toISOString().replace(/[-:]|\.\d+/g, '');
      const inFlight = client.request({
        method: 'POST',
        path: '/',
        headers: {
          host: 'sqs.us-east-1.amazonaws.com',
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'AmazonSQS.ListQueues',
          'x-amz-date': date,
          authorization: `AWS4-HMAC-SHA256 Credential=ANYKEY/${date.slice(0, 8)}/us-east-1/sqs/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
        },
        body: '{}',
      });
      await eventually('the request to reach AWS', () => held.length > 0);
      await agent.kill();
      const res = await inFlight;
      assert.equal(res.statusCode, 503, 'an SDK retries a 503');
      assert.equal(res.headers.connection, 'close');
      const body = (await res.body.json()) as { __type: string; message: string };
      assert.equal(body.__type, 'ServiceUnavailableException');
      assert.match(body.message, /the app service serving "aws" went away while the request was in flight/);
    } finally {
      await client.close().catch(() => {});
    }
    await eventually('the dead agent to leave `tctl apps ls`', async () => (await listedApps()).length === 0);
    const ls = await runBin('tsh', ['apps', 'ls'], { env });
    assert.match(ls.stdout, /No apps are available/, 'and `tsh apps ls`');
    await assert.rejects((await directDynamoDb(1)).send(new ListTablesCommand({})), (e: any) => e.$metadata?.httpStatusCode === 503 && /no app service is serving app "aws"/.test(e.message));
  });

  test('the app service restarted under load comes back with its identity; SDK requests retry across the outage and nothing is lost', async (t) => {
    if (agent.alive()) await agent.kill();
    await agent.start();
    await agent.ready();
    let stop = false;
    let sinceRestart = 0;
    const written: string[] = [];
    let retried = 0;
    const loop = async (n: number) => {
      const ddb = await directDynamoDb(10);
      for (let i = 0; !stop; i++) {
        const id = `load-${n}-${i}`;
        const out = await ddb.send(new PutItemCommand({ TableName: 'faults', Item: { id: { S: id } } }));
        if ((out.$metadata.attempts ?? 1) > 1) retried++;
        written.push(id);
        sinceRestart++;
      }
      ddb.destroy();
    };
    const loops = Array.from({ length: 4 }, (_, n) => loop(n));
    await eventually('some writes', () => written.length >= 20);
    const mark = agent.logs().length;
    await agent.kill();
    await sleep(500);
    const restarted = Date.now();
    await agent.start();
    await agent.ready();
    const backMs = Date.now() - restarted;
    t.diagnostic(`recovery: the restarted app service process was served again ${backMs} ms after it started (no new login or token)`);
    sinceRestart = 0;
    await eventually('writes after the restart', () => sinceRestart >= 40, { timeoutMs: 30_000 });
    stop = true;
    await Promise.all(loops);
    assert.ok(retried > 0, 'requests that met the outage were retried by the SDK');
    assert.doesNotMatch(agent.logs().slice(mark), /joined cluster/, 'the restarted app service uses its stored identity: no new token');
    const scan = await (await directDynamoDb(3)).send(new ScanCommand({ TableName: 'faults' }));
    const stored = new Set(scan.Items!.map((i) => i.id.S));
    assert.deepEqual(written.filter((id) => !stored.has(id)), [], 'every acknowledged write is stored');
  });

  test('teleport killed during writes starts again with every acknowledged change', async (t) => {
    const ids = adminIdentityPaths(cluster.dataDir);
    const [key, cert, ca] = await Promise.all([readFile(ids.key, 'utf8'), readFile(ids.cert, 'utf8'), readFile(ids.ca, 'utf8')]);
    const api = new ApiClient({ addr: cluster.authAddr, key, cert, ca: [ca], servername: 'localhost' });
    const roles: string[] = [];
    const users: string[] = [];
    let dead = false;
    const roleLoop = async (n: number) => {
      for (let i = 0; !dead; i++) {
        const name = `crash-${n}-${i}`;
        const doc = { kind: 'role', version: 'v5', metadata: { name }, spec: { allow: { app_labels: { env: name } } } };
        try {
          await api.rpc('resources.create', { docs: [doc], overwrite: false });
          roles.push(name);
        } catch {
          return;
        }
      }
    };
    const userLoop = async () => {
      for (let i = 0; !dead; i++) {
        const r = await cluster.tctl(['users', 'add', `crash-user-${i}`, '--roles=access']);
        if (r.code !== 0) return;
        users.push(`crash-user-${i}`);
      }
    };
    const loops = [...Array.from({ length: 4 }, (_, n) => roleLoop(n)), userLoop()];
    await eventually('writes under way', () => roles.length >= 100 && users.length >= 3, { timeoutMs: 60_000 });
    await cluster.kill();
    dead = true;
    await Promise.all(loops);
    api.close();
    const restarted = Date.now();
    await cluster.start();
    t.diagnostic(`recovery: teleport killed during writes served again ${Date.now() - restarted} ms after it was started (storage reopened, ${roles.length} roles and ${users.length} users acknowledged)`);
    const storedRoles = new Set((json(await cluster.tctl(['get', 'roles', '--format', 'json'])) as Array<{ metadata: { name: string } }>).map((r) => r.metadata.name));
    const storedUsers = new Set((json(await cluster.tctl(['users', 'ls', '-f', 'json'])) as Array<{ name: string }>).map((u) => u.name));
    assert.deepEqual(roles.filter((r) => !storedRoles.has(r)), [], `all ${roles.length} acknowledged roles are there`);
    assert.deepEqual(users.filter((u) => !storedUsers.has(u)), [], `all ${users.length} acknowledged users are there`);
    assert.equal((await cluster.tctl(['users', 'add', 'after-crash', '--roles=access'])).code, 0, 'storage takes writes again');
    await eventually('the app service to be back', async () => (await listedApps()).includes('aws'));
  });

  test('AWS (DynamoDB) gone: requests get a 503 naming it; back: served again, with nothing restarted', async (t) => {
    const ddb = await directDynamoDb(1);
    try {
      await ddb.send(new ListTablesCommand({}));
      await dynamodb.down();
      await assert.rejects(ddb.send(new ListTablesCommand({})), (e: any) => {
        assert.equal(e.$metadata?.httpStatusCode, 503);
        assert.equal(e.name, 'ServiceUnavailableException');
        assert.match(e.message, /the app service could not reach AWS at dynamodb\.us-east-1\.amazonaws\.com \(http:\/\/127\.0\.0\.1:\d+, set by AWS_ENDPOINT_URL_DYNAMODB\): ECONNREFUSED/);
        return true;
      });
      await dynamodb.up();
      const back = Date.now();
      await eventually('DynamoDB to be served again', async () => (await ddb.send(new ListTablesCommand({}))).TableNames !== undefined, { everyMs: 50 });
      t.diagnostic(`recovery: requests were served again ${Date.now() - back} ms after DynamoDB was back (the app service's pooled connections to it had died)`);
    } finally {
      ddb.destroy();
      await dynamodb.up().catch(() => {});
    }
  });
});
