/**
 * Issue 3 end to end: a cluster, an app service in its own process joined
 * with a token exactly as the guide says, the local AWS sandbox standing in
 * for AWS, and a user whose DynamoDB and STS requests, signed with any key
 * and sent with the app certificate, reach AWS as the assumed role.
 */
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DynamoDBClient, CreateTableCommand, PutItemCommand, GetItemCommand, ListTablesCommand, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { startCluster, addUser, userEnv, tshLogin, type TestCluster } from '../helpers/cluster.js';
import { startAppService, type TestAppService } from '../helpers/appService.js';
import { appCertAgent, readAppCredentials } from '../helpers/appClient.js';
import { runBin, binPath, cleanEnv } from '../helpers/binaries.js';
import { spawn } from 'node:child_process';

const ROLE = 'arn:aws:iam::123456789012:role/ExampleTeleportDynamoDBRole';
const password = 'correct horse battery staple';
let sandbox: Sandbox;
let cluster: TestCluster;
let agent: TestAppService;
let alice: Awaited<ReturnType<typeof userEnv>>;

function clients(creds: { key: string; cert: string; ca: string }) {
  const requestHandler = new NodeHttpHandler({ httpsAgent: appCertAgent({ proxyAddr: cluster.proxyAddr, ...creds }) });
  const common = { region: 'us-east-1', credentials: { accessKeyId: 'ANYKEY', secretAccessKey: 'any-secret' }, requestHandler, maxAttempts: 1 };
  return { ddb: new DynamoDBClient(common), sts: new STSClient(common) };
}

before(async () => {
  sandbox = await startSandbox({ roles: [{ name: 'ExampleTeleportDynamoDBRole' }, { name: 'ReadOnly', allowedActions: ['dynamodb:ListTables'] }] });
  cluster = await startCluster();
  const status = await cluster.tctl(['status']);
  const caPin = /CA pin\s+(\S+)/.exec(status.stdout)![1];
  agent = await startAppService(cluster, {
    caPin,
    env: { ...sandbox.endpointEnv(), AWS_ACCESS_KEY_ID: sandbox.baseCredentials.accessKeyId, AWS_SECRET_ACCESS_KEY: sandbox.baseCredentials.secretAccessKey, AWS_REGION: 'us-east-1' },
  });
  await agent.ready();
  await addUser(cluster, 'alice', ['access'], password, { awsRoleArns: [ROLE] });
  alice = await userEnv();
  const login = await tshLogin(alice.env, cluster.proxyAddr, 'alice', password);
  assert.equal(login.code, 0, login.stderr);
});

after(async () => {
  await agent?.close();
  await cluster?.close();
  await sandbox?.close();
  await alice?.cleanup();
});

describe('app access through the cluster', () => {
  test('tsh apps ls shows the app; tsh apps login picks the role by name', async () => {
    const ls = await runBin('tsh', ['apps', 'ls'], { env: alice.env });
    assert.equal(ls.code, 0, ls.stderr);
    assert.match(ls.stdout, /^aws\s+aws\.127\.0\.0\.1/m);
    const login = await runBin('tsh', ['apps', 'login', '--aws-role', 'ExampleTeleportDynamoDBRole', 'aws'], { env: alice.env });
    assert.equal(login.code, 0, login.stderr);
    assert.match(login.stdout, /^Logged into AWS app aws\./);
    assert.match(login.stdout, /tsh aws s3 ls/);
  });

  test('DynamoDB and STS requests signed with any key reach AWS as the assumed role', async () => {
    const creds = await readAppCredentials(alice.env.TELEPORT_HOME, '127.0.0.1', 'alice', 'test.example.com', 'aws');
    const { ddb, sts } = clients(creds);
    await ddb.send(new CreateTableCommand({ TableName: 'orders', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }));
    await waitUntilTableExists({ client: ddb, maxWaitTime: 20, minDelay: 1 }, { TableName: 'orders' });
    await ddb.send(new PutItemCommand({ TableName: 'orders', Item: { id: { S: 'o-1' }, total: { N: '42' } } }));
    const got = await ddb.send(new GetItemCommand({ TableName: 'orders', Key: { id: { S: 'o-1' } } }));
    assert.equal(got.Item?.total.N, '42');
    const tables = await ddb.send(new ListTablesCommand({}));
    assert.deepEqual(tables.TableNames, ['orders']);
    const who = await sts.send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, 'arn:aws:sts::123456789012:assumed-role/ExampleTeleportDynamoDBRole/alice');
    const seen = sandbox.requests.filter((r) => r.service === 'dynamodb' && r.status === 200);
    assert.ok(seen.length >= 4);
    assert.ok(seen.every((r) => r.callerArn === 'arn:aws:sts::123456789012:assumed-role/ExampleTeleportDynamoDBRole/alice'));
  });

  test('every request is audited, in storage and in the JSON lines file', async () => {
    // The app service sends events in batches; give it a moment.
    await new Promise((r) => setTimeout(r, 1200));
    const r = await cluster.tctl(['audit', 'events', '--since', '10m', '-f', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const events = JSON.parse(r.stdout) as any[];
    const start = events.find((e) => e.event === 'app.session.start');
    assert.equal(start.user, 'alice');
    assert.equal(start.aws_role_arn, ROLE);
    const put = events.find((e) => e.event === 'app.session.dynamodb.request' && e.target === 'DynamoDB_20120810.PutItem');
    assert.ok(put, 'a PutItem event');
    assert.equal(put.user, 'alice');
    assert.equal(put.app_name, 'aws');
    assert.equal(put.aws_service, 'dynamodb');
    assert.equal(put.aws_region, 'us-east-1');
    assert.equal(put.aws_host, 'dynamodb.us-east-1.amazonaws.com');
    assert.equal(put.aws_assumed_role, 'arn:aws:sts::123456789012:assumed-role/ExampleTeleportDynamoDBRole/alice');
    assert.equal(put.method, 'POST');
    assert.equal(put.status_code, 200);
    const sts = events.find((e) => e.event === 'app.session.request' && e.aws_service === 'sts');
    assert.ok(sts, 'the STS call is audited as a generic app request');
    const lines = (await readFile(join(cluster.dataDir, 'log', 'events.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    assert.ok(lines.some((e) => e.uid === put.uid), 'the same event is in the JSON lines file');
  });

  test('tsh apps ls -f json and tsh apps config describe the app and the login', async () => {
    // Teleport's app resources: scripts read .metadata.name and .spec.public_addr.
    const ls = JSON.parse((await runBin('tsh', ['apps', 'ls', '-f', 'json'], { env: alice.env })).stdout);
    assert.equal(ls[0].kind, 'app');
    assert.equal(ls[0].metadata.name, 'aws');
    assert.equal(ls[0].spec.cloud, 'AWS');
    assert.match(ls[0].spec.public_addr, /^aws\.127\.0\.0\.1$/);
    const yaml = await runBin('tsh', ['apps', 'ls', '-f', 'yaml'], { env: alice.env });
    assert.match(yaml.stdout, /^- kind: app$/m);
    assert.match(yaml.stdout, /^ {4}name: aws$/m);
    const cfg = JSON.parse((await runBin('tsh', ['apps', 'config', '-f', 'json'], { env: alice.env })).stdout);
    assert.deepEqual(Object.keys(cfg), ['name', 'uri', 'ca', 'cert', 'key', 'curl', 'aws_role_arn']);
    assert.equal(cfg.curl, `curl \\\n  --cert "${cfg.cert}" \\\n  --key "${cfg.key}" \\\n  ${cfg.uri}`);
    assert.equal(cfg.aws_role_arn, ROLE);
    assert.match(cfg.uri, /^https:\/\/aws\.127\.0\.0\.1:\d+$/);
    // File store: paths to PEM files a tool such as curl can use.
    assert.match(await readFile(cfg.cert, 'utf8'), /BEGIN CERTIFICATE/);
    assert.match(await readFile(cfg.key, 'utf8'), /PRIVATE KEY/);
    assert.match(await readFile(cfg.ca, 'utf8'), /BEGIN CERTIFICATE/);
    assert.equal((await runBin('tsh', ['apps', 'config', 'aws', '-f', 'uri'], { env: alice.env })).stdout.trim(), cfg.uri);
    const text = await runBin('tsh', ['apps', 'config'], { env: alice.env });
    assert.match(text.stdout, /^AWS ARN:\s+arn:aws:iam::123456789012:role\/ExampleTeleportDynamoDBRole$/m);
    const none = await runBin('tsh', ['apps', 'config', 'nope'], { env: alice.env });
    assert.match(none.stderr, /not logged into app "nope"/);
  });

  test('`teleport app start` from the flags `tctl tokens add` prints (a GovCloud console app)', async () => {
    const tok = await cluster.tctl(['tokens', 'add', '--type=app', '--app-name=aws-gov', '--app-uri=https://console.amazonaws-us-gov.com/']);
    const command = /> (teleport app start[\s\S]+?)\n\n/.exec(tok.stdout)![1].replace(/\\\n\s*/g, '');
    const args = command.split(/\s+/).slice(1);
    const dataDir = join(agent.dir, 'flags-data');
    const child = spawn(process.execPath, [binPath('teleport'), ...args, `--data-dir=${dataDir}`], { env: cleanEnv({ ...sandbox.endpointEnv(), AWS_ACCESS_KEY_ID: sandbox.baseCredentials.accessKeyId, AWS_SECRET_ACCESS_KEY: sandbox.baseCredentials.secretAccessKey }), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stderr!.on('data', (d) => (out += d));
    try {
      const deadline = Date.now() + 20_000;
      while (!/tunnel to the proxy at .* is up/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.match(out, /tunnel to the proxy at .* is up/);
      const apps = JSON.parse((await cluster.tctl(['apps', 'ls', '-f', 'json'])).stdout);
      assert.deepEqual(apps.map((a: any) => a.spec.app.metadata.name).sort(), ['aws', 'aws-gov']);
      const ls = JSON.parse((await runBin('tsh', ['apps', 'ls', '-f', 'json'], { env: alice.env })).stdout);
      const gov = ls.find((a: any) => a.metadata.name === 'aws-gov');
      assert.equal(gov.spec.cloud, 'AWS', 'a GovCloud console URI is an AWS app');
      assert.deepEqual(gov.spec.aws, { region: 'us-gov-west-1' }, "the partition's region");
    } finally {
      child.kill('SIGTERM');
    }
  });

  test('after the app service restarts, requests work again with no new login', async () => {
    await agent.stop();
    await agent.start();
    await agent.ready();
    const creds = await readAppCredentials(alice.env.TELEPORT_HOME, '127.0.0.1', 'alice', 'test.example.com', 'aws');
    const { ddb } = clients(creds);
    const tables = await ddb.send(new ListTablesCommand({}));
    assert.deepEqual(tables.TableNames, ['orders']);
  });
});
