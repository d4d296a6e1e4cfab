/**
 * The app service's request path against hostile and failing input, with a
 * real cluster, an app service in its own process, real app certificates and
 * real clients (raw TLS, the JS SDK, the aws CLI through `tsh aws`):
 * role chaining decided from the keys the app service handed out (never from
 * a header), origin-form targets only, errors in the protocol of the service
 * called, the AWS upstream down, STS throttling. The sandbox's request log
 * says what reached "AWS" and signed by whom; the audit log says what was
 * recorded.
 */
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import net from 'node:net';
import { STSClient, AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { startCluster, addUser, userEnv, tshLogin, type TestCluster } from '../helpers/cluster.js';
import { startAppService, type TestAppService } from '../helpers/appService.js';
import { appCertAgent, appTls, readAppCredentials } from '../helpers/appClient.js';
import { rawExchange, rawRequest } from '../helpers/rawHttp.js';
import { runBin, type RunResult } from '../helpers/binaries.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const ACCOUNT = '123456789012';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/ExampleTeleportDynamoDBRole`;
const AUDITOR = `arn:aws:iam::${ACCOUNT}:role/AuditorRole`;
const sessionArn = (user: string) => `arn:aws:sts::${ACCOUNT}:assumed-role/ExampleTeleportDynamoDBRole/${user}`;
const password = 'correct horse battery staple';
let sandbox: Sandbox;
let cluster: TestCluster;
let agent: TestAppService;
/** A port nothing listens on: the app service's S3 endpoint, "AWS down". */
let deadPort: number;
const homes: Array<Awaited<ReturnType<typeof userEnv>>> = [];

/** A user logged in to the app with the DynamoDB role; their env and app credentials. */
async function appUser(name: string) {
  await addUser(cluster, name, ['access'], password, { awsRoleArns: [ROLE] });
  const u = await userEnv();
  homes.push(u);
  const awsConfig = join(u.home, 'aws-config');
  await writeFile(awsConfig, '[default]\nregion = us-east-1\n');
  const env: Record<string, string> = { ...u.env, PATH: `/usr/bin:/bin:${u.env.PATH}`, AWS_CONFIG_FILE: awsConfig, AWS_SHARED_CREDENTIALS_FILE: join(u.home, 'none'), AWS_PAGER: '', AWS_MAX_ATTEMPTS: '1' };
  assert.equal((await tshLogin(env, cluster.proxyAddr, name, password)).code, 0);
  const login = await runBin('tsh', ['apps', 'login', '--aws-role', 'ExampleTeleportDynamoDBRole', 'aws'], { env });
  assert.equal(login.code, 0, login.stderr);
  return { env, creds: await readAppCredentials(env.TELEPORT_HOME, '127.0.0.1', name, 'test.example.com', 'aws') };
}

/** SDK clients that reach the cluster with an app certificate directly, signing with `keys`. */
function sdk(creds: { key: string; cert: string; ca: string }, keys: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) {
  const common = { region: 'us-east-1', credentials: keys, requestHandler: new NodeHttpHandler({ httpsAgent: appCertAgent({ proxyAddr: cluster.proxyAddr, ...creds }) }), maxAttempts: 1 };
  return { sts: new STSClient(common), ddb: new DynamoDBClient(common) };
}

/** Audit events so far, after the app service had time to ship what it spooled. */
async function auditEvents(): Promise<any[]> {
  const r = await cluster.tctl(['audit', 'events', '--since', '1h', '-f', 'json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

/** Waits (generously) until the audit log holds an event matching `match`, and returns all such events. */
async function audited(match: (e: any) => boolean, what: string): Promise<any[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const found = (await auditEvents()).filter(match);
    if (found.length) return found;
    if (Date.now() > deadline) throw new Error(`no audit event for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const tshAws = (env: Record<string, string>, args: string[]): Promise<RunResult> => runBin('tsh', ['aws', ...args], { env, timeoutMs: 90_000 });

before(async () => {
  sandbox = await startSandbox({ roles: [{ name: 'ExampleTeleportDynamoDBRole' }, { name: 'AuditorRole', allowedActions: ['dynamodb:ListTables', 'sts:GetCallerIdentity'] }] });
  deadPort = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
  cluster = await startCluster();
  agent = await startAppService(cluster, {
    args: ['--insecure'],
    env: {
      ...sandbox.endpointEnv(),
      AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${deadPort}`,
      AWS_ACCESS_KEY_ID: sandbox.baseCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: sandbox.baseCredentials.secretAccessKey,
      AWS_REGION: 'us-east-1',
    },
  });
  await agent.ready();
});

after(async () => {
  await agent?.close();
  await cluster?.close();
  await sandbox?.close();
  for (const h of homes) await h.cleanup();
});

describe('role chaining is decided by the app service', () => {
  test('a forged chained-role header is ignored: the request is re-signed as the session\'s role, and the forged ARN is audited nowhere', async () => {
    const alice = await appUser('alice');
    const forged = 'arn:aws:iam::999999999999:role/ForgedAdmin';
    const before = sandbox.requests.length;
    const res = await rawExchange(
      await appTls({ proxyAddr: cluster.proxyAddr, ...alice.creds }),
      rawRequest(
        'POST / HTTP/1.1',
        {
          host: 'dynamodb.us-east-1.amazonaws.com',
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'DynamoDB_20120810.ListTables',
          'x-amz-date': '20260101T000000Z',
          'x-amz-security-token': 'forged-token',
          authorization: `AWS4-HMAC-SHA256 Credential=ASIAFORGEDFORGEDKEY1/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=${'0'.repeat(64)}`,
          'x-tsh-aws-assumed-role': forged,
        },
        '{}',
      ),
    );
    assert.equal(res.status, 200, res.body);
    const reached = sandbox.requests.slice(before).filter((r) => r.service === 'dynamodb');
    assert.equal(reached.length, 1);
    assert.equal(reached[0].callerArn, sessionArn('alice'), 're-signed with the session\'s role');
    assert.notEqual(reached[0].accessKeyId, 'ASIAFORGEDFORGEDKEY1', 'the client\'s Authorization never reached AWS');
    const [event] = await audited((e) => e.user === 'alice' && e.target === 'DynamoDB_20120810.ListTables', 'the forged request');
    assert.equal(event.aws_assumed_role, sessionArn('alice'));
    assert.ok(!JSON.stringify(await auditEvents()).includes('ForgedAdmin'), 'the forged ARN is nowhere in the audit log');
  });

  test('a key from an AssumeRole through one app session is honoured there, and re-signed as the session\'s role in another', async () => {
    const carol = await appUser('carol');
    const dave = await appUser('dave');
    const assumed = await sdk(carol.creds, { accessKeyId: 'ANYKEY', secretAccessKey: 'any' }).sts.send(new AssumeRoleCommand({ RoleArn: AUDITOR, RoleSessionName: 'carol-audit' }));
    const chained = { accessKeyId: assumed.Credentials!.AccessKeyId!, secretAccessKey: assumed.Credentials!.SecretAccessKey!, sessionToken: assumed.Credentials!.SessionToken! };
    const chainedArn = `arn:aws:sts::${ACCOUNT}:assumed-role/AuditorRole/carol-audit`;

    const inSession = await sdk(carol.creds, chained).sts.send(new GetCallerIdentityCommand({}));
    assert.equal(inSession.Arn, chainedArn, 'carol\'s own session: sent as signed, AWS sees the chained role');
    const elsewhere = await sdk(dave.creds, chained).sts.send(new GetCallerIdentityCommand({}));
    assert.equal(elsewhere.Arn, sessionArn('dave'), 'another session: re-signed as that session\'s role');

    const events = await audited((e) => (e.user === 'carol' || e.user === 'dave') && e.aws_service === 'sts' && e.path === '/' && e.status_code === 200, 'the STS calls');
    const carolCalls = events.filter((e) => e.user === 'carol').map((e) => e.aws_assumed_role);
    assert.deepEqual(carolCalls, [sessionArn('carol'), chainedArn], 'AssumeRole as the session role, then the chained principal');
    assert.deepEqual(events.filter((e) => e.user === 'dave').map((e) => e.aws_assumed_role), [sessionArn('dave')]);
  });
});

describe('request targets: origin form only', () => {
  test('absolute-form, asterisk-form and authority-form targets are refused with a 400 before anything is signed or sent, and audited', async () => {
    const erin = await appUser('erin');
    // Warm the role cache, so any STS call below would come from signing a refused request.
    await sdk(erin.creds, { accessKeyId: 'ANYKEY', secretAccessKey: 'any' }).ddb.send(new ListTablesCommand({}));
    const dynamodbPort = new URL(sandbox.dynamodbEndpoint).port;
    for (const [method, target] of [
      ['POST', `http://127.0.0.1:${dynamodbPort}/`],
      ['GET', 'https://169.254.169.254/latest/meta-data/iam/security-credentials/'],
      ['OPTIONS', '*'],
      ['CONNECT', '169.254.169.254:80'],
    ]) {
      const before = sandbox.requests.length;
      const res = await rawExchange(
        await appTls({ proxyAddr: cluster.proxyAddr, ...erin.creds }),
        rawRequest(`${method} ${target} HTTP/1.1`, {
          host: 'dynamodb.us-east-1.amazonaws.com',
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'DynamoDB_20120810.ListTables',
          'x-amz-date': '20260101T000000Z',
          authorization: `AWS4-HMAC-SHA256 Credential=ANYKEY/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=${'0'.repeat(64)}`,
        }, method === 'POST' ? '{}' : ''),
      );
      assert.equal(res.status, 400, `${method} ${target}: ${res.body}`);
      const err = JSON.parse(res.body);
      assert.equal(err.__type, 'ValidationException');
      assert.match(err.message, /is not a path: AWS API requests name only a path and query/);
      assert.equal(sandbox.requests.length, before, `${method} ${target} reached AWS`);
    }
    const refused = await audited((e) => e.user === 'erin' && e.reason === 'bad_request', 'the refused targets');
    assert.ok(refused.length >= 3, `refusals audited: ${refused.length}`);
    assert.ok(refused.every((e) => e.status_code === 400 && /is not a path/.test(e.error)));
  });
});

describe('errors in the protocol of the service called, and faults upstream', () => {
  test('AWS down (S3): the aws CLI prints why, naming the endpoint; the request is audited as unreachable', async () => {
    const frank = await appUser('frank');
    const r = await tshAws(frank.env, ['s3', 'ls']);
    assert.equal(r.code, 254, r.stderr);
    assert.match(r.stderr, /An error occurred \(ServiceUnavailable\) when calling the ListBuckets operation.*: the app service could not reach AWS at s3[.a-z0-9-]*\.amazonaws\.com \(http:\/\/127\.0\.0\.1:\d+, set by AWS_ENDPOINT_URL_S3\): ECONNREFUSED/);
    assert.doesNotMatch(r.stderr, /An error occurred \(503\)/);
    const [event] = await audited((e) => e.user === 'frank' && e.aws_service === 's3', 'the S3 request');
    assert.equal(event.status_code, 503);
    assert.equal(event.reason, 'upstream_unreachable');
    assert.match(event.error, /could not reach AWS at s3/);
  });

  test('STS throttling the app service: retried with backoff, then a clear error the aws CLI prints (STS speaks XML)', async () => {
    const grace = await appUser('grace');
    sandbox.throttleSts({ requests: 1000 });
    const before = sandbox.requests.length;
    let r: RunResult;
    try {
      r = await tshAws(grace.env, ['sts', 'get-caller-identity']);
    } finally {
      sandbox.throttleSts({});
    }
    assert.equal(r.code, 254, r.stderr);
    assert.match(r.stderr, /An error occurred \(ServiceUnavailable\) when calling the GetCallerIdentity operation.*: AWS STS \(http:\/\/127\.0\.0\.1:\d+\) is throttling the app service's calls to assume arn:aws:iam::123456789012:role\/ExampleTeleportDynamoDBRole \(Throttling: Rate exceeded, after 3 attempts\)/);
    const attempts = sandbox.requests.slice(before).filter((x) => x.service === 'sts');
    assert.equal(attempts.length, 3, 'three AssumeRole attempts, then the answer');
    assert.ok(attempts.every((x) => x.action === 'AssumeRole' && x.errorCode === 'Throttling'));
    const [event] = await audited((e) => e.user === 'grace' && e.aws_service === 'sts', 'the throttled request');
    assert.equal(event.reason, 'sts_failure');
    assert.equal(event.status_code, 503);
  });

  test('STS throttling for a moment: the retries get through, and the request succeeds', async (t) => {
    const henry = await appUser('henry');
    sandbox.throttleSts({ requests: 2 });
    const before = sandbox.requests.length;
    const r = await tshAws(henry.env, ['sts', 'get-caller-identity']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).Arn, sessionArn('henry'));
    const assumes = sandbox.requests.slice(before).filter((x) => x.action === 'AssumeRole');
    assert.deepEqual(assumes.map((x) => x.errorCode ?? 'ok'), ['Throttling', 'Throttling', 'ok']);
    t.diagnostic(`recovery: STS throttled twice, the role was assumed ${assumes[2].time.getTime() - assumes[0].time.getTime()} ms after the first attempt`);
  });
});
