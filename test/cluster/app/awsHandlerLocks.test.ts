/**
 * The AWS handler's lock check, on its own: the app service refuses every
 * request of a locked identity before anything else happens (no RBAC
 * look-up, no STS call, nothing sent to AWS), with the lock's message in
 * AWS's error shape; identities no lock targets go on as before. (The e2e
 * lock tests show the same through the proxy, which stops them first.)
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { request } from 'undici';
import { connectionContexts, createAwsHandler } from '../../../src/cluster/app/awsHandler.js';
import { AssumeRoleCache } from '../../../src/cluster/app/assumeRole.js';
import type { Lock } from '../../../src/shared/resources/types.js';
import { silentLogger } from '../../../src/cluster/logger.js';
import type { Identity } from '../../../src/shared/identity/identity.js';
import { appIdentity, lockCheckDeps } from '../../helpers/lockedApp.js';

const app = { name: 'aws', uri: 'https://console.aws.amazon.com/', labels: {} } as never;
const identity = appIdentity;
const locks: Lock[] = [
  { kind: 'lock', version: 'v2', metadata: { name: 'l1' }, spec: { target: { role: 'contractor' }, message: 'Contractors are off today.' } },
  { kind: 'lock', version: 'v2', metadata: { name: 'l2' }, spec: { target: { user: 'old' }, expires: new Date(Date.now() - 1000).toISOString() } },
];
let server: http.Server;
let url = '';
let next: Identity;
const reachedRbac: string[] = [];

before(async () => {
  const handler = createAwsHandler({
    ...lockCheckDeps(locks, reachedRbac),
    credentials: new AssumeRoleCache(),
    audit: { begin: async () => 'uid', complete() {}, record() {} },
    log: silentLogger,
  });
  server = http.createServer(handler);
  server.on('connection', (socket) => connectionContexts.set(socket, { app, identity: next }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

async function send(who: Identity) {
  next = who;
  const res = await request(url, {
    method: 'POST',
    headers: {
      host: 'dynamodb.us-east-1.amazonaws.com',
      connection: 'close',
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': 'DynamoDB_20120810.ListTables',
      authorization: `AWS4-HMAC-SHA256 Credential=ANYKEY/20300101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`,
    },
    body: '{}',
  });
  return { status: res.statusCode, body: (await res.body.json()) as { __type: string; message: string } };
}

test('a locked role is refused before RBAC, STS or AWS, with the lock message', async () => {
  const r = await send(identity('bob', ['access', 'contractor']));
  assert.equal(r.status, 403);
  assert.equal(r.body.__type, 'AccessDeniedException');
  assert.match(r.body.message, /^lock targeting Role:"contractor" is in force: Contractors are off today\. \(an administrator lifts it/);
  assert.deepEqual(reachedRbac, [], 'nothing past the lock check ran');
});

test('an identity no lock targets (or only an expired one) goes on to the usual checks', async () => {
  for (const who of [identity('carol', ['access']), identity('old', ['access'])]) {
    const r = await send(who);
    assert.match(r.body.message, /is denied for user/, `${who.username} reached RBAC`);
  }
  assert.deepEqual(reachedRbac, ['carol', 'old']);
});
