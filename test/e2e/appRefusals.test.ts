/**
 * Every way app access is refused, each seen by the user as a clear error:
 * roles the user may not pick, RBAC deny rules and labels, revoked, stolen,
 * foreign and expired certificates, hosts that are not AWS, bodies too big.
 */
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DynamoDBClient, ListTablesCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { readIdentity } from '../../src/shared/identity/identity.js';
import { ApiClient } from '../../src/shared/http/apiClient.js';
import { startCluster, addUser, userEnv, tshLogin, type TestCluster } from '../helpers/cluster.js';
import { startAppService, type TestAppService } from '../helpers/appService.js';
import { appCertAgent, readAppCredentials } from '../helpers/appClient.js';
import { runBin } from '../helpers/binaries.js';
import { forgeAppCert, readUserCa } from '../helpers/forge.js';
import https from 'node:https';
import tls from 'node:tls';

const ACCOUNT = '123456789012';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/ExampleTeleportDynamoDBRole`;
const password = 'correct horse battery staple';
let sandbox: Sandbox;
let cluster: TestCluster;
let agent: TestAppService;
const homes: Array<Awaited<ReturnType<typeof userEnv>>> = [];

async function loggedIn(name: string, roles: string[], arns: string[]) {
  await addUser(cluster, name, roles, password, { awsRoleArns: arns });
  const u = await userEnv();
  homes.push(u);
  const r = await tshLogin(u.env, cluster.proxyAddr, name, password);
  assert.equal(r.code, 0, r.stderr);
  return u;
}

function ddbWith(creds: { key: string; cert: string; ca: string }) {
  return new DynamoDBClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'ANYKEY', secretAccessKey: 'any' },
    requestHandler: new NodeHttpHandler({ httpsAgent: appCertAgent({ proxyAddr: cluster.proxyAddr, ...creds }) }),
    maxAttempts: 1,
  });
}

/** One raw request to the proxy over mTLS with an app certificate; returns status and parsed AWS error. */
function rawRequest(creds: { key: string; cert: string; ca: string }, opts: { host: string; body?: Buffer; headers?: Record<string, string> }): Promise<{ status: number; body: any }> {
  const i = cluster.proxyAddr.lastIndexOf(':');
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        method: 'POST',
        path: '/',
        headers: {
          host: opts.host,
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'DynamoDB_20120810.ListTables',
          'x-amz-date': '20261124T000000Z',
          authorization: 'AWS4-HMAC-SHA256 Credential=ANY/20261124/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=' + '0'.repeat(64),
          ...opts.headers,
        },
        createConnection: () => tls.connect({ host: cluster.proxyAddr.slice(0, i), port: Number(cluster.proxyAddr.slice(i + 1)), key: creds.key, cert: creds.cert, ca: [creds.ca], servername: 'localhost', ALPNProtocols: ['tsh-app-v1'] }),
      } as https.RequestOptions,
      (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
      },
    );
    req.on('error', reject);
    req.end(opts.body ?? '{}');
  });
}

before(async () => {
  sandbox = await startSandbox({ roles: [{ name: 'ExampleTeleportDynamoDBRole' }] });
  cluster = await startCluster();
  agent = await startAppService(cluster, {
    args: ['--insecure'],
    env: { ...sandbox.endpointEnv(), AWS_ACCESS_KEY_ID: sandbox.baseCredentials.accessKeyId, AWS_SECRET_ACCESS_KEY: sandbox.baseCredentials.secretAccessKey, AWS_REGION: 'us-east-1' },
  });
  await agent.ready();
  await writeFile(
    join(cluster.dir, 'roles.yaml'),
    `kind: role
version: v5
metadata: {name: prod-only}
spec:
  allow:
    app_labels: {env: prod}
    aws_role_arns: ['${ROLE}']
---
kind: role
version: v5
metadata: {name: no-dynamo}
spec:
  deny:
    aws_role_arns: ['${ROLE}']
---
kind: role
version: v5
metadata: {name: later-deny}
spec:
  deny:
    aws_role_arns: []
`,
  );
  const r = await cluster.tctl(['create', join(cluster.dir, 'roles.yaml')]);
  assert.equal(r.code, 0, r.stderr);
});

after(async () => {
  await agent?.close();
  await cluster?.close();
  await sandbox?.close();
  for (const h of homes) await h.cleanup();
});

describe('refusals', () => {
  test('a role the user may not assume: the login lists the allowed roles', async () => {
    const u = await loggedIn('alice', ['access'], [ROLE]);
    const byName = await runBin('tsh', ['apps', 'login', '--aws-role', 'AdminRole', 'aws'], { env: u.env });
    assert.equal(byName.code, 1);
    assert.match(byName.stderr, /failed to find the "AdminRole" role name/);
    assert.match(byName.stdout, /Available AWS roles:\nRole Name\s+Role ARN\n-+\s+-+\nExampleTeleportDynamoDBRole\s+arn:aws:iam::123456789012:role\/ExampleTeleportDynamoDBRole/);
    const byArn = await runBin('tsh', ['apps', 'login', '--aws-role', `arn:aws:iam::${ACCOUNT}:role/AdminRole`, 'aws'], { env: u.env });
    assert.equal(byArn.code, 1);
    assert.match(byArn.stderr, /failed to find the "arn:aws:iam::123456789012:role\/AdminRole" role ARN/);
  });

  test('the cluster refuses a role outside the allowed list even when the client asks directly', async () => {
    const u = homes[0];
    const base = join(u.env.TELEPORT_HOME, 'keys', '127.0.0.1', 'alice');
    const api = new ApiClient({ addr: cluster.proxyAddr, key: await readFile(`${base}.key`, 'utf8'), cert: await readFile(`${base}.crt`, 'utf8'), insecure: true });
    const { generateKeyPair } = await import('../../src/shared/pki/generateKeyPair.js');
    await assert.rejects(api.rpc('appSessions.create', { app: 'aws', awsRoleArn: `arn:aws:iam::${ACCOUNT}:role/AdminRole`, publicKey: (await generateKeyPair()).publicKey }), (e: any) => e.code === 'ACCESS_DENIED' && /not allowed/.test(e.message));
    api.close();
  });

  test('an ambiguous role name asks for the full ARN', async () => {
    const u = await loggedIn('dave', ['access'], ['arn:aws:iam::111111111111:role/Shared', 'arn:aws:iam::222222222222:role/Shared']);
    const r = await runBin('tsh', ['apps', 'login', '--aws-role', 'Shared', 'aws'], { env: u.env });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /provided role name "Shared" is ambiguous, please specify full role ARN/);
    assert.match(r.stdout, /arn:aws:iam::111111111111:role\/Shared/);
    assert.match(r.stdout, /arn:aws:iam::222222222222:role\/Shared/);
    const noFlag = await runBin('tsh', ['apps', 'login', 'aws'], { env: u.env });
    assert.equal(noFlag.code, 2);
    assert.match(noFlag.stderr, /--aws-role flag is required/);
    const byArn = await runBin('tsh', ['apps', 'login', '--aws-role', 'arn:aws:iam::222222222222:role/Shared', 'aws'], { env: u.env });
    assert.equal(byArn.code, 0, byArn.stderr);
  });

  test('a deny rule removes the role', async () => {
    const u = await loggedIn('erin', ['access', 'no-dynamo'], [ROLE]);
    const r = await runBin('tsh', ['apps', 'login', '--aws-role', 'ExampleTeleportDynamoDBRole', 'aws'], { env: u.env });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /your roles allow no IAM role on app "aws"/);
  });

  test('a deny rule added after login stops requests at the app service', async () => {
    const u = await loggedIn('frank', ['access', 'later-deny'], [ROLE]);
    assert.equal((await runBin('tsh', ['apps', 'login', 'aws'], { env: u.env })).code, 0);
    const ddb = ddbWith(await readAppCredentials(u.env.TELEPORT_HOME, '127.0.0.1', 'frank', 'test.example.com', 'aws'));
    await ddb.send(new ListTablesCommand({}));
    await writeFile(join(cluster.dir, 'deny.yaml'), `kind: role\nversion: v5\nmetadata: {name: later-deny}\nspec:\n  deny:\n    aws_role_arns: ['${ROLE}']\n`);
    assert.equal((await cluster.tctl(['create', '-f', join(cluster.dir, 'deny.yaml')])).code, 0);
    await new Promise((r) => setTimeout(r, 5_500)); // the app service caches role definitions for 5 s
    await assert.rejects(ddb.send(new ListTablesCommand({})), (e: any) => e.name === 'AccessDeniedException' && /is denied for user "frank"/.test(e.message));
  });

  test('app_labels that do not match hide the app', async () => {
    const u = await loggedIn('grace', ['prod-only'], []);
    const ls = await runBin('tsh', ['apps', 'ls'], { env: u.env });
    assert.equal(ls.code, 0, ls.stderr);
    assert.match(ls.stdout, /No apps are available to you/);
    const r = await runBin('tsh', ['apps', 'login', 'aws'], { env: u.env });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /app "aws" not found/);
  });

  test("a logged-out session's certificate is refused", async () => {
    const u = await loggedIn('henry', ['access'], [ROLE]);
    assert.equal((await runBin('tsh', ['apps', 'login', 'aws'], { env: u.env })).code, 0);
    const creds = await readAppCredentials(u.env.TELEPORT_HOME, '127.0.0.1', 'henry', 'test.example.com', 'aws');
    const ddb = ddbWith(creds);
    await ddb.send(new ListTablesCommand({}));
    const out = await runBin('tsh', ['apps', 'logout', 'aws'], { env: u.env });
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /Logged out of app "aws"/);
    await assert.rejects(ddbWith(creds).send(new ListTablesCommand({})), (e: any) => e.name === 'AccessDeniedException' && /app session for "aws" has ended/.test(e.message));
  });

  test("another user's session is refused", async () => {
    const u = await loggedIn('ivan', ['access'], [ROLE]);
    assert.equal((await runBin('tsh', ['apps', 'login', 'aws'], { env: u.env })).code, 0);
    const ivan = await readAppCredentials(u.env.TELEPORT_HOME, '127.0.0.1', 'ivan', 'test.example.com', 'aws');
    const stolen = readIdentity(ivan.cert);
    // A certificate for mallory that carries ivan's session id.
    const forged = await forgeAppCert({ ...stolen, username: 'mallory' }, { ca: readUserCa(cluster.dataDir), notAfter: new Date(Date.now() + 600e3) });
    await assert.rejects(ddbWith({ ...forged, ca: ivan.ca }).send(new ListTablesCommand({})), (e: any) => e.name === 'AccessDeniedException' && /belongs to another user/.test(e.message));
  });

  test('a certificate from another cluster is refused', async () => {
    const ivan = await readAppCredentials(homes[homes.length - 1].env.TELEPORT_HOME, '127.0.0.1', 'ivan', 'test.example.com', 'aws');
    const foreign = await forgeAppCert(readIdentity(ivan.cert), { notAfter: new Date(Date.now() + 600e3) });
    await assert.rejects(ddbWith({ ...foreign, ca: ivan.ca }).send(new ListTablesCommand({})), (e: any) => e.name === 'AccessDeniedException' && /not issued by this cluster/.test(e.message));
  });

  test('an expired app certificate is refused', async () => {
    const ivan = await readAppCredentials(homes[homes.length - 1].env.TELEPORT_HOME, '127.0.0.1', 'ivan', 'test.example.com', 'aws');
    const expired = await forgeAppCert(readIdentity(ivan.cert), { ca: readUserCa(cluster.dataDir), notBefore: new Date(Date.now() - 7200e3), notAfter: new Date(Date.now() - 60e3) });
    await assert.rejects(ddbWith({ ...expired, ca: ivan.ca }).send(new ListTablesCommand({})), (e: any) => e.name === 'ExpiredTokenException' && /app certificate has expired/.test(e.message));
  });

  test('hosts that are not AWS are refused, and nothing is sent there', async () => {
    const ivan = await readAppCredentials(homes[homes.length - 1].env.TELEPORT_HOME, '127.0.0.1', 'ivan', 'test.example.com', 'aws');
    for (const host of ['169.254.169.254', 'localhost', '10.0.0.1', 'example.com', 'dynamodb.us-east-1.amazonaws.com.evil.test', 'evil.test#.amazonaws.com']) {
      const r = await rawRequest(ivan, { host });
      assert.equal(r.status, 403, host);
      assert.equal(r.body.__type, 'AccessDeniedException');
      assert.match(r.body.message, /is not an AWS endpoint/);
    }
  });

  test('a body over 16 MiB is refused', async () => {
    const ivan = await readAppCredentials(homes[homes.length - 1].env.TELEPORT_HOME, '127.0.0.1', 'ivan', 'test.example.com', 'aws');
    const r = await rawRequest(ivan, { host: 'dynamodb.us-east-1.amazonaws.com', body: Buffer.alloc(17 << 20, 'a') });
    assert.equal(r.status, 413);
    assert.match(r.body.message, /larger than the 16 MiB limit/);
    // The SDK sends the body's hash, so the app service streams the body rather than hold it: DynamoDB's own limit
    // (the sandbox's, like AWS's, 16 MiB) refuses it, in DynamoDB's shape.
    const ok = ddbWith(ivan);
    await assert.rejects(ok.send(new PutItemCommand({ TableName: 'none', Item: { id: { S: 'x' }, blob: { S: 'b'.repeat(17 << 20) } } })), (e: any) => e.$metadata?.httpStatusCode === 413 && /larger than/.test(e.message));
  });

  test('the app service audits its refusals, each with its reason', async () => {
    const deadline = Date.now() + 20_000;
    const byReason = new Map<string, any[]>();
    for (;;) {
      const r = await cluster.tctl(['audit', 'events', '--since', '10m', '-f', 'json']);
      byReason.clear();
      for (const e of JSON.parse(r.stdout) as any[]) if (e.reason) byReason.set(`${e.user} ${e.reason}`, [...(byReason.get(`${e.user} ${e.reason}`) ?? []), e]);
      if (byReason.has('frank access_denied') && (byReason.get('ivan bad_target')?.length ?? 0) >= 6 && byReason.has('ivan body_too_large')) break;
      assert.ok(Date.now() < deadline, `refusals audited so far: ${[...byReason.keys()].join(', ')}`);
      await new Promise((res) => setTimeout(res, 200));
    }
    assert.match(byReason.get('frank access_denied')![0].error, /is denied for user "frank"/);
    assert.equal(byReason.get('frank access_denied')![0].status_code, 403);
    assert.deepEqual(new Set(byReason.get('ivan bad_target')!.map((e) => e.aws_host)), new Set(['169.254.169.254', 'localhost', '10.0.0.1', 'example.com', 'dynamodb.us-east-1.amazonaws.com.evil.test', 'evil.test#.amazonaws.com']));
    assert.equal(byReason.get('ivan body_too_large')![0].status_code, 413);
  });

  test('an app service may record only per-request events, and a batch with anything else is refused whole', async () => {
    // The agent's own host identity, as it calls audit.emit (it joined with --insecure).
    const host = JSON.parse(await readFile(join(agent.dir, 'data', 'host', 'identity.json'), 'utf8'));
    const api = new ApiClient({ addr: cluster.proxyAddr, key: host.key, cert: host.cert, insecure: true });
    try {
      const events = [
        { event: 'app.session.dynamodb.request', fields: { user: 'forger', target: 'DynamoDB_20120810.ListTables' } },
        { event: 'user.login', fields: { user: 'forger' } },
      ];
      await assert.rejects(api.rpc('audit.emit', { events }), (e: any) => e.code === 'BAD_INPUT' && /app services may not emit "user\.login"/.test(e.message));
    } finally {
      api.close();
    }
    const r = await cluster.tctl(['audit', 'events', '--since', '10m', '-f', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual((JSON.parse(r.stdout) as any[]).filter((e) => e.user === 'forger'), [], 'nothing of the batch was stored');
  });

  test('tctl apps ls shows the app and its agent', async () => {
    const r = await cluster.tctl(['apps', 'ls', '-f', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const servers = JSON.parse(r.stdout);
    assert.equal(servers.length, 1);
    assert.equal(servers[0].kind, 'app_server');
    assert.equal(servers[0].spec.app.metadata.name, 'aws');
    assert.equal(servers[0].spec.app.spec.uri, 'https://console.aws.amazon.com/home/home');
  });
});
