/**
 * The app service's STS step against the local sandbox: the base identity
 * from the environment (as the SDK's default chain reads it), ExternalId,
 * long user names, the cache that spares STS a call per request, and what
 * an STS that is down or failing looks like.
 */
import { test, before, after } from 'node:test';
import http from 'node:http';
import net from 'node:net';
import assert from 'node:assert/strict';
import { startSandbox, type Sandbox } from '../../../src/sandbox/index.js';
import { AssumeRoleCache, roleSessionName } from '../../../src/cluster/app/assumeRole.js';

let sandbox: Sandbox;
const saved = { ...process.env };

before(async () => {
  sandbox = await startSandbox({ roles: [{ name: 'Plain' }, { name: 'Partner', externalId: 'partner-secret-1' }] });
  Object.assign(process.env, sandbox.endpointEnv(), { AWS_ACCESS_KEY_ID: sandbox.baseCredentials.accessKeyId, AWS_SECRET_ACCESS_KEY: sandbox.baseCredentials.secretAccessKey, AWS_REGION: 'us-east-1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });
});
after(async () => {
  process.env = saved;
  await sandbox?.close();
});

test('RoleSessionName is the user, shortened with a hash past 64 characters', () => {
  assert.equal(roleSessionName('alice'), 'alice');
  const long = 'a'.repeat(50) + '@example.com.very.long.domain.name';
  const name = roleSessionName(long);
  assert.equal(name.length, 64);
  assert.match(name, /^a{47}-[0-9a-f]{16}$/);
  assert.notEqual(roleSessionName(long + 'x'), name);
});

test('assumes the role as the user, and caches until near expiry', async () => {
  const cache = new AssumeRoleCache();
  const before = sandbox.requests.filter((r) => r.action === 'AssumeRole').length;
  const a = await cache.get('arn:aws:iam::123456789012:role/Plain', 'alice');
  const b = await cache.get('arn:aws:iam::123456789012:role/Plain', 'alice');
  const [c, d] = await Promise.all([cache.get('arn:aws:iam::123456789012:role/Plain', 'bob'), cache.get('arn:aws:iam::123456789012:role/Plain', 'bob')]);
  assert.equal(a.assumedRoleArn, 'arn:aws:sts::123456789012:assumed-role/Plain/alice');
  assert.equal(b.accessKeyId, a.accessKeyId);
  assert.equal(c.accessKeyId, d.accessKeyId, 'concurrent requests share one STS call');
  assert.equal(sandbox.requests.filter((r) => r.action === 'AssumeRole').length - before, 2);
});

test('ExternalId is passed when configured, and a role that needs one refuses without it', async () => {
  const cache = new AssumeRoleCache();
  const ok = await cache.get('arn:aws:iam::123456789012:role/Partner', 'alice', 'partner-secret-1');
  assert.equal(ok.assumedRoleArn, 'arn:aws:sts::123456789012:assumed-role/Partner/alice');
  await assert.rejects(cache.get('arn:aws:iam::123456789012:role/Partner', 'carol'), (e: any) => e.code === 'ACCESS_DENIED' && /could not assume arn:aws:iam::123456789012:role\/Partner/.test(e.message));
  await assert.rejects(cache.get('arn:aws:iam::123456789012:role/Missing', 'alice'), (e: any) => e.code === 'ACCESS_DENIED');
});

test('STS that cannot be reached, or fails, is a 503 that names it and the attempts, not an access refusal', async () => {
  const saved = process.env.AWS_ENDPOINT_URL_STS;
  const dead = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
  const failing = http.createServer((req, res) => {
    req.resume();
    const body = '<ErrorResponse><Error><Type>Receiver</Type><Code>InternalFailure</Code><Message>STS broke</Message></Error><RequestId>r</RequestId></ErrorResponse>';
    res.writeHead(500, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', resolve));
  try {
    process.env.AWS_ENDPOINT_URL_STS = `http://127.0.0.1:${dead}`;
    await assert.rejects(new AssumeRoleCache().get('arn:aws:iam::123456789012:role/Plain', 'alice'), (e: any) => {
      assert.equal(e.code, 'UNAVAILABLE');
      assert.match(e.message, new RegExp(`the app service cannot reach AWS STS \\(http://127\\.0\\.0\\.1:${dead}\\) to assume arn:aws:iam::123456789012:role/Plain \\(ECONNREFUSED, after 3 attempts\\)`));
      return true;
    });
    process.env.AWS_ENDPOINT_URL_STS = `http://127.0.0.1:${(failing.address() as net.AddressInfo).port}`;
    await assert.rejects(new AssumeRoleCache().get('arn:aws:iam::123456789012:role/Plain', 'alice'), (e: any) => {
      assert.equal(e.code, 'UNAVAILABLE');
      assert.match(e.message, /AWS STS \(http:\/\/127\.0\.0\.1:\d+\) failed to assume arn:aws:iam::123456789012:role\/Plain \(InternalFailure: STS broke, after 3 attempts\)/);
      return true;
    });
  } finally {
    process.env.AWS_ENDPOINT_URL_STS = saved;
    await new Promise((r) => failing.close(r));
  }
});
