/**
 * Issue 4 end to end, with every real part: the Debian aws CLI v2 through
 * `tsh aws` (both modes), boto3 with the settings `tsh proxy aws -p PORT`
 * printed (both modes), and the JS SDK v3 in-process, all through the local
 * proxy -> cluster proxy -> app service (its own process) -> local AWS
 * sandbox (dynalite behind a SigV4-checking gateway). Every item written is
 * read back.
 */
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DynamoDBClient, CreateTableCommand, PutItemCommand, GetItemCommand, ScanCommand, DeleteTableCommand, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { HttpsProxyAgent } from 'hpagent';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { startCluster, addUser, userEnv, tshLogin, freePort, type TestCluster } from '../helpers/cluster.js';
import { startAppService, type TestAppService } from '../helpers/appService.js';
import { startTshProxy, type TshProxy } from '../helpers/tshProxy.js';
import { runBin, type RunResult } from '../helpers/binaries.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const ACCOUNT = '123456789012';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/ExampleTeleportDynamoDBRole`;
const ASSUMED = `arn:aws:sts::${ACCOUNT}:assumed-role/ExampleTeleportDynamoDBRole/alice`;
const password = 'correct horse battery staple';
let sandbox: Sandbox;
let cluster: TestCluster;
let agent: TestAppService;
let alice: Awaited<ReturnType<typeof userEnv>>;
let env: Record<string, string>;
const children = new Set<ChildProcess>();

before(async () => {
  sandbox = await startSandbox({ roles: [{ name: 'ExampleTeleportDynamoDBRole' }, { name: 'AuditorRole', allowedActions: ['dynamodb:ListTables', 'sts:GetCallerIdentity'] }] });
  cluster = await startCluster();
  agent = await startAppService(cluster, {
    args: ['--insecure'],
    env: { ...sandbox.endpointEnv(), AWS_ACCESS_KEY_ID: sandbox.baseCredentials.accessKeyId, AWS_SECRET_ACCESS_KEY: sandbox.baseCredentials.secretAccessKey, AWS_REGION: 'us-east-1' },
  });
  await agent.ready();
  await addUser(cluster, 'alice', ['access'], password, { awsRoleArns: [ROLE] });
  alice = await userEnv();
  const awsConfig = join(alice.home, 'aws-config');
  await writeFile(awsConfig, '[default]\nregion = us-east-1\n');
  // The Debian aws CLI and python3 first on PATH (another aws may come first on this machine).
  env = { ...alice.env, PATH: `/usr/bin:/bin:${alice.env.PATH}`, AWS_CONFIG_FILE: awsConfig, AWS_SHARED_CREDENTIALS_FILE: join(alice.home, 'none'), AWS_PAGER: '', AWS_MAX_ATTEMPTS: '2' };
  assert.equal((await tshLogin(env, cluster.proxyAddr, 'alice', password)).code, 0);
  const login = await runBin('tsh', ['apps', 'login', '--aws-role', 'ExampleTeleportDynamoDBRole', 'aws'], { env });
  assert.equal(login.code, 0, login.stderr);
});

after(async () => {
  for (const c of children) c.kill('SIGKILL');
  await agent?.close();
  await cluster?.close();
  await sandbox?.close();
  await alice?.cleanup();
});

const tshAws = (args: string[], extra: Record<string, string> = {}): Promise<RunResult> => runBin('tsh', ['aws', ...args], { env: { ...env, ...extra }, timeoutMs: 60_000 });
const json = (r: RunResult) => {
  assert.equal(r.code, 0, `exit ${r.code}: ${r.stderr}`);
  return r.stdout.trim() ? JSON.parse(r.stdout) : {};
};

/** The full DynamoDB round the issue asks for, through the aws CLI, with `tsh aws [--endpoint-url]`. */
async function cliRound(table: string, mode: string[]) {
  const run = (args: string[]) => tshAws([...mode, 'dynamodb', ...args]);
  json(await run(['create-table', '--table-name', table, '--attribute-definitions', 'AttributeName=pk,AttributeType=S', 'AttributeName=sk,AttributeType=N', '--key-schema', 'AttributeName=pk,KeyType=HASH', 'AttributeName=sk,KeyType=RANGE', '--billing-mode', 'PAY_PER_REQUEST']));
  assert.equal((await run(['wait', 'table-exists', '--table-name', table])).code, 0);
  json(await run(['put-item', '--table-name', table, '--item', '{"pk":{"S":"single"},"sk":{"N":"0"},"v":{"S":"hello"}}']));
  const got = json(await run(['get-item', '--table-name', table, '--key', '{"pk":{"S":"single"},"sk":{"N":"0"}}']));
  assert.equal(got.Item.v.S, 'hello');
  const batch = { [table]: Array.from({ length: 25 }, (_, i) => ({ PutRequest: { Item: { pk: { S: 'batch' }, sk: { N: String(i) }, n: { N: String(i * i) } } } })) };
  const written = json(await run(['batch-write-item', '--request-items', JSON.stringify(batch)]));
  assert.deepEqual(written.UnprocessedItems, {});
  const queried = json(await run(['query', '--table-name', table, '--key-condition-expression', 'pk = :p', '--expression-attribute-values', '{":p":{"S":"batch"}}']));
  assert.equal(queried.Count, 25);
  assert.deepEqual(queried.Items.map((i: any) => Number(i.n.N)).sort((a: number, b: number) => a - b), Array.from({ length: 25 }, (_, i) => i * i));
  // Scan in pages of 7: the CLI follows LastEvaluatedKey itself; every item comes back exactly once.
  const scanned = json(await run(['scan', '--table-name', table, '--page-size', '7']));
  assert.equal(scanned.Items.length, 26);
  const firstPage = json(await run(['scan', '--table-name', table, '--max-items', '10']));
  assert.equal(firstPage.Items.length, 10);
  assert.ok(firstPage.NextToken, 'a page token for the rest');
  const rest = json(await run(['scan', '--table-name', table, '--starting-token', firstPage.NextToken]));
  assert.equal(rest.Items.length, 16);
  const updated = json(await run(['update-item', '--table-name', table, '--key', '{"pk":{"S":"single"},"sk":{"N":"0"}}', '--update-expression', 'SET v = :v', '--expression-attribute-values', '{":v":{"S":"changed"}}', '--return-values', 'ALL_NEW']));
  assert.equal(updated.Attributes.v.S, 'changed');
  assert.equal(json(await run(['get-item', '--table-name', table, '--key', '{"pk":{"S":"single"},"sk":{"N":"0"}}'])).Item.v.S, 'changed');
  json(await run(['delete-table', '--table-name', table]));
  assert.ok(!json(await run(['list-tables'])).TableNames.includes(table));
}

/** Starts `tsh proxy aws` and returns the settings it printed (killed in `after` if a test leaves it running). */
async function startProxy(args: string[]): Promise<TshProxy> {
  const p = await startTshProxy(env, args);
  children.add(p.child);
  return p;
}

async function stopProxy(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  child.kill('SIGINT');
  const code = await exited;
  children.delete(child);
  return code;
}

const botoScript = `
import boto3, json, os, sys
kw = {'region_name': 'us-east-1'}
if os.environ.get('ENDPOINT_URL'): kw['endpoint_url'] = os.environ['ENDPOINT_URL']
ddb = boto3.client('dynamodb', **kw)
t = sys.argv[1]
out = {}
ddb.create_table(TableName=t, AttributeDefinitions=[{'AttributeName':'pk','AttributeType':'S'},{'AttributeName':'sk','AttributeType':'N'}],
  KeySchema=[{'AttributeName':'pk','KeyType':'HASH'},{'AttributeName':'sk','KeyType':'RANGE'}], BillingMode='PAY_PER_REQUEST')
ddb.get_waiter('table_exists').wait(TableName=t, WaiterConfig={'Delay': 1})
ddb.put_item(TableName=t, Item={'pk':{'S':'single'},'sk':{'N':'0'},'v':{'S':'hello'}})
out['get'] = ddb.get_item(TableName=t, Key={'pk':{'S':'single'},'sk':{'N':'0'}})['Item']['v']['S']
r = ddb.batch_write_item(RequestItems={t: [{'PutRequest':{'Item':{'pk':{'S':'batch'},'sk':{'N':str(i)},'n':{'N':str(i*i)}}}} for i in range(25)]})
out['unprocessed'] = r['UnprocessedItems']
out['query'] = sorted(int(i['n']['N']) for i in ddb.query(TableName=t, KeyConditionExpression='pk = :p', ExpressionAttributeValues={':p':{'S':'batch'}})['Items'])
pages = [len(p['Items']) for p in ddb.get_paginator('scan').paginate(TableName=t, PaginationConfig={'PageSize': 7})]
out['scan_pages'] = pages
ddb.update_item(TableName=t, Key={'pk':{'S':'single'},'sk':{'N':'0'}}, UpdateExpression='SET v = :v', ExpressionAttributeValues={':v':{'S':'changed'}})
out['updated'] = ddb.get_item(TableName=t, Key={'pk':{'S':'single'},'sk':{'N':'0'}})['Item']['v']['S']
ddb.delete_table(TableName=t)
out['tables_after'] = ddb.list_tables()['TableNames']
sts = boto3.client('sts', **kw)
out['caller'] = sts.get_caller_identity()['Arn']
print(json.dumps(out))
`;

async function botoRound(vars: Record<string, string>, table: string, endpointUrl?: string) {
  const child = spawn('/usr/bin/python3', ['-c', botoScript, table], {
    env: { PATH: '/usr/bin:/bin', HOME: alice.home, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_MAX_ATTEMPTS: '2', ...vars, ...(endpointUrl ? { ENDPOINT_URL: endpointUrl } : {}) },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const code = await new Promise((r) => child.on('close', r));
  assert.equal(code, 0, err);
  const r = JSON.parse(out);
  assert.equal(r.get, 'hello');
  assert.deepEqual(r.unprocessed, {});
  assert.deepEqual(r.query, Array.from({ length: 25 }, (_, i) => i * i));
  assert.equal(r.scan_pages.reduce((a: number, b: number) => a + b, 0), 26);
  assert.ok(r.scan_pages.length >= 4, `paginated: ${r.scan_pages}`);
  assert.equal(r.updated, 'changed');
  assert.ok(!r.tables_after.includes(table));
  assert.equal(r.caller, ASSUMED);
}

describe('real AWS clients through the whole chain', () => {
  test('aws CLI v2 through `tsh aws` (HTTPS proxy mode)', async () => {
    await cliRound('cli_proxy', []);
    const who = json(await tshAws(['sts', 'get-caller-identity']));
    assert.equal(who.Arn, ASSUMED);
  });

  test('aws CLI v2 through `tsh aws --endpoint-url`', async () => {
    await cliRound('cli_endpoint', ['--endpoint-url']);
  });

  test('boto3 with the settings `tsh proxy aws -p PORT` printed', async () => {
    const port = await freePort();
    const p = await startProxy(['-p', String(port)]);
    assert.match(p.stdout, new RegExp(`^Started AWS proxy on http://127\\.0\\.0\\.1:${port}\\.\\n`));
    assert.equal(p.vars.HTTPS_PROXY, `http://127.0.0.1:${port}`);
    await botoRound(p.vars, 'boto_proxy');
    assert.equal(await stopProxy(p.child), 130, 'Ctrl-C (SIGINT) exits 130, as the README says');
  });

  test('boto3 through `tsh proxy aws --endpoint-url`', async () => {
    const p = await startProxy(['--endpoint-url']);
    const url = /https:\/\/127\.0\.0\.1:\d+/.exec(p.stdout)![0];
    await botoRound(p.vars, 'boto_endpoint', url);
    await stopProxy(p.child);
  });

  test('the JS SDK v3 in-process, with a proxy agent and the local CA', async () => {
    const p = await startProxy([]);
    const ddb = new DynamoDBClient({
      region: 'us-east-1',
      credentials: { accessKeyId: p.vars.AWS_ACCESS_KEY_ID, secretAccessKey: p.vars.AWS_SECRET_ACCESS_KEY },
      requestHandler: new NodeHttpHandler({ httpsAgent: new HttpsProxyAgent({ proxy: p.vars.HTTPS_PROXY, ca: [await readFile(p.vars.AWS_CA_BUNDLE)] }) }),
      maxAttempts: 1,
    });
    await ddb.send(new CreateTableCommand({ TableName: 'js_sdk', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }));
    await waitUntilTableExists({ client: ddb, maxWaitTime: 20, minDelay: 1 }, { TableName: 'js_sdk' });
    for (let i = 0; i < 10; i++) await ddb.send(new PutItemCommand({ TableName: 'js_sdk', Item: { id: { S: `k${i}` }, body: { S: 'é'.repeat(1000 * i) } } }));
    for (let i = 0; i < 10; i++) assert.equal((await ddb.send(new GetItemCommand({ TableName: 'js_sdk', Key: { id: { S: `k${i}` } } }))).Item?.body.S, 'é'.repeat(1000 * i));
    assert.equal((await ddb.send(new ScanCommand({ TableName: 'js_sdk' }))).Count, 10);
    await ddb.send(new DeleteTableCommand({ TableName: 'js_sdk' }));
    ddb.destroy();
    await stopProxy(p.child);
  });

  test("the aws CLI's exit codes come back through `tsh aws` unchanged", async () => {
    assert.equal((await tshAws(['dynamodb', 'list-tables'])).code, 0);
    const usage = await tshAws(['dynamodb', 'get-item', '--table-name', 'x']);
    assert.equal(usage.code, 252, usage.stderr);
    const service = await tshAws(['dynamodb', 'describe-table', '--table-name', 'does-not-exist']);
    assert.equal(service.code, 254, service.stderr);
    assert.match(service.stderr, /ResourceNotFoundException/);
    const other = await tshAws(['dynamodb', 'list-tables', '--endpoint-url', 'http://127.0.0.1:9']);
    assert.equal(other.code, 255, other.stderr);
  });

  test('role chaining: credentials from an AssumeRole through the proxy act as the chained role', async () => {
    const p = await startProxy([]);
    const script = `
import boto3, json
sts = boto3.client('sts', region_name='us-east-1')
c = sts.assume_role(RoleArn='arn:aws:iam::${ACCOUNT}:role/AuditorRole', RoleSessionName='alice-audit')['Credentials']
kw = dict(region_name='us-east-1', aws_access_key_id=c['AccessKeyId'], aws_secret_access_key=c['SecretAccessKey'], aws_session_token=c['SessionToken'])
print(json.dumps({'arn': boto3.client('sts', **kw).get_caller_identity()['Arn'], 'tables': boto3.client('dynamodb', **kw).list_tables()['TableNames']}))`;
    const child = spawn('/usr/bin/python3', ['-c', script], { env: { PATH: '/usr/bin:/bin', HOME: alice.home, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_MAX_ATTEMPTS: '1', ...p.vars } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    assert.equal(await new Promise((r) => child.on('close', r)), 0, err);
    const r = JSON.parse(out);
    assert.equal(r.arn, `arn:aws:sts::${ACCOUNT}:assumed-role/AuditorRole/alice-audit`);
    assert.ok(Array.isArray(r.tables));
    await stopProxy(p.child);
  });
});

describe('refusals through the whole chain', () => {
  test('a wrong fake key is refused before anything leaves the machine', async () => {
    const p = await startProxy([]);
    const before = sandbox.requests.length;
    const r = await awsChild(['dynamodb', 'list-tables'], { ...p.vars, AWS_ACCESS_KEY_ID: 'AKIDWRONGWRONGWRONG1' });
    assert.equal(r.code, 254, r.err);
    assert.match(r.err, /access key/i);
    assert.equal(sandbox.requests.length, before, 'nothing reached AWS');
    await stopProxy(p.child);
  });

  test('after `tsh apps logout` in another terminal, the running proxy refuses and says why', async () => {
    const p = await startProxy(['--debug']);
    const run = () => awsChild(['dynamodb', 'list-tables'], p.vars);
    assert.equal((await run()).code, 0);
    assert.equal((await runBin('tsh', ['apps', 'logout', 'aws'], { env })).code, 0);
    // The running proxy notices within its 2 s poll (logout also removed the CA file; the proxy writes it back).
    await new Promise((r) => setTimeout(r, 2_500));
    const refused = await run();
    assert.notEqual(refused.code, 0);
    assert.match(refused.err, /tsh apps login/, p.stderr());
    await stopProxy(p.child);
    assert.equal((await runBin('tsh', ['apps', 'login', '--aws-role', 'ExampleTeleportDynamoDBRole', 'aws'], { env })).code, 0);
  });

  test('an app certificate that expires while the proxy runs is renewed', async () => {
    assert.equal((await runBin('tsh', ['apps', 'login', '--aws-role', 'ExampleTeleportDynamoDBRole', '--ttl', '0.15', 'aws'], { env })).code, 0);
    const p = await startProxy([]);
    const call = () => awsChild(['sts', 'get-caller-identity'], p.vars);
    const first = await call();
    assert.equal(first.code, 0, first.err);
    const expiresBefore = JSON.parse(await readFile(join(env.TELEPORT_HOME, '127.0.0.1.json'), 'utf8')).apps.aws.expires;
    // Past the 9-second certificate. (Shorter ones race on a loaded machine: the
    // aws CLI reads the CA bundle, then handshakes up to a quarter-lifetime later.)
    await new Promise((r) => setTimeout(r, 10_000));
    const later = await call();
    assert.equal(later.code, 0, later.err + p.stderr());
    assert.equal(JSON.parse(later.out).Arn, ASSUMED);
    const expiresAfter = JSON.parse(await readFile(join(env.TELEPORT_HOME, '127.0.0.1.json'), 'utf8')).apps.aws.expires;
    assert.ok(Date.parse(expiresAfter) > Date.parse(expiresBefore), 'a renewed certificate');
    await stopProxy(p.child);
    assert.equal((await runBin('tsh', ['apps', 'login', '--aws-role', 'ExampleTeleportDynamoDBRole', 'aws'], { env })).code, 0);
  });
});

/** Runs the Debian aws CLI directly with the given settings (as a user's own shell would). */
function awsChild(args: string[], vars: Record<string, string>): Promise<{ code: unknown; out: string; err: string }> {
  const child = spawn('/usr/bin/aws', args, { env: { PATH: '/usr/bin:/bin', HOME: alice.home, AWS_CONFIG_FILE: env.AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_MAX_ATTEMPTS: '1', ...vars } });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  return new Promise((res) => child.on('close', (code) => res({ code, out, err })));
}
