/**
 * An app service started with `--diag-addr`, as an operator watching it
 * would: /healthz, /readyz (ready only while its tunnel to the proxy is up;
 * 503 with the reason once the proxy is gone), and /metrics, whose request
 * counter moves by exactly the number of requests sent, by service, action
 * and status, with the per-hop latency histograms and process metrics beside it.
 */
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DynamoDBClient, ListTablesCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { startCluster, addUser, userEnv, tshLogin, type TestCluster } from '../helpers/cluster.js';
import { startAppService, type TestAppService } from '../helpers/appService.js';
import { appCertAgent, readAppCredentials } from '../helpers/appClient.js';
import { runBin } from '../helpers/binaries.js';
import { eventually } from '../helpers/longRunning.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const ROLE = 'arn:aws:iam::123456789012:role/ExampleTeleportDynamoDBRole';
const N = 7;
let sandbox: Sandbox;
let cluster: TestCluster;
let agent: TestAppService;
let alice: Awaited<ReturnType<typeof userEnv>>;
let diag: string;

const get = async (path: string) => {
  const r = await fetch(`http://${diag}${path}`);
  return { status: r.status, type: r.headers.get('content-type') ?? '', text: await r.text() };
};
/** A sample's value in a Prometheus text exposition (0 when the series does not exist yet). */
const sample = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
};

before(async () => {
  sandbox = await startSandbox({ roles: [{ name: 'ExampleTeleportDynamoDBRole', allowedActions: ['dynamodb:ListTables'] }] });
  cluster = await startCluster();
  agent = await startAppService(cluster, {
    env: { ...sandbox.endpointEnv(), AWS_ACCESS_KEY_ID: sandbox.baseCredentials.accessKeyId, AWS_SECRET_ACCESS_KEY: sandbox.baseCredentials.secretAccessKey, AWS_REGION: 'us-east-1' },
    args: ['--diag-addr', '127.0.0.1:0', '--insecure'],
  });
  diag = await eventually('the app service writes its diag address', async () => JSON.parse(await readFile(join(agent.dir, 'data', 'process.json'), 'utf8')).diag_addr);
  await agent.ready();
  await addUser(cluster, 'alice', ['access'], 'diag-password-1', { awsRoleArns: [ROLE] });
  alice = await userEnv();
  assert.equal((await tshLogin(alice.env, cluster.proxyAddr, 'alice', 'diag-password-1')).code, 0);
  assert.equal((await runBin('tsh', ['apps', 'login', 'aws'], { env: alice.env })).code, 0);
});

after(async () => {
  await agent?.close();
  await cluster?.close();
  await sandbox?.close();
  await alice?.cleanup();
});

describe('the diagnostics listener of an app service', () => {
  test('/healthz answers while it runs; /readyz once the tunnel is up', async () => {
    const health = await get('/healthz');
    assert.deepEqual([health.status, JSON.parse(health.text)], [200, { status: 'ok' }]);
    const ready = await eventually('/readyz says ok', async () => {
      const r = await get('/readyz');
      return r.status === 200 ? r : undefined;
    });
    assert.deepEqual(JSON.parse(ready.text), { status: 'ok' });
    assert.equal((await get('/nothing')).status, 404);
  });

  test(`/metrics: ${N} requests move the request counter by exactly ${N}, by service, action and status`, async () => {
    const series = 'tsh_aws_app_requests_total{service="dynamodb",action="ListTables",status="200"}';
    const denied = 'tsh_aws_app_requests_total{service="dynamodb",action="DescribeTable",status="400"}';
    const before = (await get('/metrics')).text;
    const creds = await readAppCredentials(alice.env.TELEPORT_HOME, '127.0.0.1', 'alice', 'test.example.com', 'aws');
    const ddb = new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'ANYKEY', secretAccessKey: 'any' }, maxAttempts: 1, requestHandler: new NodeHttpHandler({ httpsAgent: appCertAgent({ proxyAddr: cluster.proxyAddr, ...creds }) }) });
    for (let i = 0; i < N; i++) await ddb.send(new ListTablesCommand({}));
    // The role may only list tables: AWS (the sandbox) answers this one with an error, counted by its status.
    await assert.rejects(ddb.send(new DescribeTableCommand({ TableName: 'nope' })));
    ddb.destroy();
    const m = await get('/metrics');
    assert.equal(m.status, 200);
    assert.match(m.type, /^text\/plain; version=0\.0\.4/);
    assert.equal(sample(m.text, series) - sample(before, series), N);
    assert.equal(sample(m.text, denied) - sample(before, denied), 1);
    const upstream = 'tsh_aws_app_upstream_duration_seconds_count{service="dynamodb"}';
    assert.equal(sample(m.text, upstream) - sample(before, upstream), N + 1, 'one latency sample per request sent to AWS');
    assert.match(m.text, /^tsh_aws_app_request_duration_seconds_bucket\{le="\+Inf",service="dynamodb"\} \d+$/m);
    assert.equal(sample(m.text, 'tsh_aws_tunnel_up'), 1);
    assert.match(m.text, /^# TYPE tsh_aws_tunnel_reconnects_total counter$/m);
    assert.match(m.text, /^# TYPE tsh_aws_audit_backlog_events gauge$/m);
    assert.match(m.text, /^process_cpu_seconds_total \d/m);
    assert.match(m.text, /^nodejs_eventloop_lag_seconds \d/m);
  });

  test('/readyz is 503 with the reason once the proxy is gone, and the tunnel gauge drops', async () => {
    await cluster.stop();
    const r = await eventually('/readyz says not ready', async () => {
      const x = await get('/readyz');
      return x.status === 503 ? x : undefined;
    });
    assert.match(JSON.parse(r.text).status, /^app service: the tunnel to the proxy at 127\.0\.0\.1:\d+ is down$/);
    assert.equal(sample((await get('/metrics')).text, 'tsh_aws_tunnel_up'), 0);
    assert.equal((await get('/healthz')).status, 200, 'still alive');
  });
});
