/**
 * The local proxy's small pure pieces: fake keys, NO_PROXY rules, the
 * child's NO_PROXY, the printed settings in each shell's syntax, the AWS
 * host for an endpoint-mode scope, AssumeRole responses, loopback checks.
 */
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { describe, test } from 'node:test';
import { makeFakeCredentials } from '../../../src/client/localproxy/fakeCredentials.js';
import { excludedByNoProxy, systemProxyFor } from '../../../src/client/localproxy/systemProxy.js';
import { fixNoProxy } from '../../../src/client/aws/childEnv.js';
import { announceProxy, formatVariable } from '../../../src/client/aws/announceProxy.js';
import { awsHostForScope } from '../../../src/client/localproxy/scopeHost.js';
import { AssumedRoleStore } from '../../../src/client/localproxy/assumedRoles.js';
import { isAssumeRoleCall, parseAssumeRoleResponse, requestedRoleArn } from '../../../src/shared/aws/assumeRoleCall.js';
import { isLoopbackAddress } from '../../../src/client/localproxy/listenLoopback.js';
import { parseAuthorization } from '../../../src/shared/sigv4/parseAuthorization.js';
import { TshError } from '../../../src/shared/errors.js';
import { quickVerify } from '../../../src/shared/sigv4/quickVerify.js';
import { signRequest } from '../../../src/shared/sigv4/signRequest.js';
import { verifySignature } from '../../../src/shared/sigv4/verifySignature.js';
import { createHash } from 'node:crypto';
import type { SignedRequest } from '../../../src/shared/sigv4/types.js';

describe('fake credentials', () => {
  test('random per run, at least 128 bits each, and usable in a SigV4 Credential', () => {
    const a = makeFakeCredentials({});
    const b = makeFakeCredentials({});
    assert.notEqual(a.accessKeyId, b.accessKeyId);
    assert.notEqual(a.secretAccessKey, b.secretAccessKey);
    assert.match(a.accessKeyId, /^TSH[A-Z2-7]{26}$/); // 26 base32 chars = 130 bits >= 128 random bits
    assert.ok(!/^(AKIA|ASIA)/.test(a.accessKeyId));
    assert.equal(a.secretAccessKey.length, 40); // 240 bits
    parseAuthorization(`AWS4-HMAC-SHA256 Credential=${a.accessKeyId}/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`);
  });

  test('pinned by TELEPORT_AWS_ACCESS_KEY_ID / TELEPORT_AWS_SECRET_ACCESS_KEY, checked', () => {
    const pinned = makeFakeCredentials({ TELEPORT_AWS_ACCESS_KEY_ID: 'MYPINNEDKEY0000001', TELEPORT_AWS_SECRET_ACCESS_KEY: 'pinned-secret' });
    assert.deepEqual(pinned, { accessKeyId: 'MYPINNEDKEY0000001', secretAccessKey: 'pinned-secret' });
    assert.throws(() => makeFakeCredentials({ TELEPORT_AWS_ACCESS_KEY_ID: 'short' }), (e: unknown) => e instanceof TshError && e.code === 'USAGE');
    assert.throws(() => makeFakeCredentials({ TELEPORT_AWS_ACCESS_KEY_ID: 'has-dashes-0000000000' }), TshError);
  });
});

describe('the user\'s HTTPS_PROXY and NO_PROXY', () => {
  test('NO_PROXY entries: *, domains and subdomains, ports, CIDRs', () => {
    assert.equal(excludedByNoProxy('a.example.com', 443, 'example.com'), true);
    assert.equal(excludedByNoProxy('example.com', 443, '.example.com'), true);
    assert.equal(excludedByNoProxy('a.example.com', 443, '*.example.com'), true);
    assert.equal(excludedByNoProxy('badexample.com', 443, 'example.com'), false);
    assert.equal(excludedByNoProxy('a.example.com', 443, 'example.com:8443'), false);
    assert.equal(excludedByNoProxy('a.example.com', 8443, 'other.com, example.com:8443'), true);
    assert.equal(excludedByNoProxy('10.1.2.3', 443, '10.0.0.0/8'), true);
    assert.equal(excludedByNoProxy('11.1.2.3', 443, '10.0.0.0/8'), false);
    assert.equal(excludedByNoProxy('anything', 443, '*'), true);
  });

  test('HTTPS_PROXY (or https_proxy) applies unless excluded; loopback never goes through it', () => {
    assert.equal(systemProxyFor('example.com', 443, {})?.href, undefined);
    assert.equal(systemProxyFor('example.com', 443, { https_proxy: 'proxy.corp:3128' })?.href, 'http://proxy.corp:3128/');
    assert.equal(systemProxyFor('example.com', 443, { HTTPS_PROXY: 'https://p:1', NO_PROXY: 'example.com' }), undefined);
    assert.equal(systemProxyFor('127.0.0.1', 443, { HTTPS_PROXY: 'http://p:1' }), undefined);
  });

  test('the child\'s NO_PROXY cannot exclude AWS hosts, and includes loopback', () => {
    assert.equal(fixNoProxy(''), '127.0.0.1,localhost,::1');
    assert.equal(fixNoProxy('*,.amazonaws.com,s3.amazonaws.com,amazonaws.com.cn,.api.aws,com,corp.example.com,localhost'), 'corp.example.com,localhost,127.0.0.1,::1');
  });
});

describe('what `tsh proxy aws` prints', () => {
  const input = {
    mode: 'proxy' as const,
    port: 23456,
    url: 'http://127.0.0.1:23456',
    app: 'aws',
    role: 'arn:aws:iam::123456789012:role/reader',
    settings: { AWS_ACCESS_KEY_ID: 'TSHKEY', AWS_SECRET_ACCESS_KEY: 's', AWS_CA_BUNDLE: '/h/a b/ca.pem', HTTPS_PROXY: 'http://127.0.0.1:23456' },
    pid: 42,
  };

  test('unix, with the port hint when no port was chosen', () => {
    assert.equal(
      announceProxy(input, 'unix', false).stdout,
      'Started AWS proxy on http://127.0.0.1:23456.\n' +
        '[To avoid port randomization, you can choose the listening port using the --port flag.]\n\n' +
        'Use the following credentials and HTTPS proxy setting to connect to the proxy:\n' +
        '  export AWS_ACCESS_KEY_ID="TSHKEY"\n  export AWS_SECRET_ACCESS_KEY="s"\n  export AWS_CA_BUNDLE="/h/a b/ca.pem"\n  export HTTPS_PROXY="http://127.0.0.1:23456"\n',
    );
    assert.doesNotMatch(announceProxy(input, 'unix', true).stdout, /port randomization/);
  });

  test('each shell\'s syntax, quoted', () => {
    assert.equal(formatVariable('text', 'K', 'V'), 'K=V');
    assert.equal(formatVariable('command-prompt', 'K', 'V'), 'set K=V');
    assert.equal(formatVariable('powershell', 'K', 'a"$b'), '$Env:K="a`"`$b"');
    assert.equal(formatVariable('fish', 'K', 'a"$b'), 'set -gx K "a\\"\\$b"');
    assert.equal(formatVariable('unix', 'K', 'a"$`b'), 'export K="a\\"\\$\\`b"');
  });

  test('endpoint mode: its URL and three credentials; json: one object', () => {
    const { HTTPS_PROXY: _h, ...three } = input.settings;
    const e = announceProxy({ ...input, mode: 'endpoint', url: 'https://127.0.0.1:23456', settings: three }, 'text', true).stdout;
    assert.match(e, /^Started AWS proxy which serves as an AWS endpoint URL at https:\/\/127\.0\.0\.1:23456\.\n\nIn addition to the endpoint URL, use the following credentials to connect to the proxy:\n {2}AWS_ACCESS_KEY_ID=TSHKEY\n/);
    assert.equal(e.split('\n').filter((l) => l.startsWith('  ')).length, 3);
    const j = announceProxy(input, 'json', false);
    assert.deepEqual(JSON.parse(j.stdout), { ...input.settings, port: 23456, app: 'aws', role: input.role, pid: 42 });
    assert.match(j.stderr, /Started AWS proxy/);
  });
});

describe('endpoint mode: the AWS host from the scope', () => {
  test('regional, China, global services', () => {
    assert.equal(awsHostForScope('dynamodb', 'us-east-1'), 'dynamodb.us-east-1.amazonaws.com');
    assert.equal(awsHostForScope('sts', 'us-west-2'), 'sts.us-west-2.amazonaws.com');
    assert.equal(awsHostForScope('dynamodb', 'cn-north-1'), 'dynamodb.cn-north-1.amazonaws.com.cn');
    assert.equal(awsHostForScope('iam', 'us-east-1'), 'iam.amazonaws.com');
    assert.equal(awsHostForScope('ses', 'eu-west-1'), 'email.eu-west-1.amazonaws.com');
  });
});

describe('role chaining', () => {
  const xml = (token: string) =>
    `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><AssumedRoleUser><Arn>arn:aws:sts::1:assumed-role/r/s</Arn></AssumedRoleUser>` +
    `<Credentials><AccessKeyId>ASIAX</AccessKeyId><SecretAccessKey>sec/ret</SecretAccessKey><SessionToken>${token}</SessionToken><Expiration>2030-01-01T00:00:00Z</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>`;

  test('XML (plain or gzip) and JSON responses', () => {
    const a = parseAssumeRoleResponse(Buffer.from(xml('to&amp;ken')))!;
    assert.deepEqual(a.credentials, { accessKeyId: 'ASIAX', secretAccessKey: 'sec/ret', sessionToken: 'to&ken' });
    assert.equal(a.assumedRoleArn, 'arn:aws:sts::1:assumed-role/r/s');
    assert.equal(a.expiration.toISOString(), '2030-01-01T00:00:00.000Z');
    assert.equal(parseAssumeRoleResponse(gzipSync(xml('t')), 'gzip')?.credentials.accessKeyId, 'ASIAX');
    const json = JSON.stringify({ AssumedRoleUser: { Arn: 'x' }, Credentials: { AccessKeyId: 'ASIAJ', SecretAccessKey: 's', SessionToken: 't', Expiration: 1893456000 } });
    assert.equal(parseAssumeRoleResponse(Buffer.from(json))?.credentials.accessKeyId, 'ASIAJ');
    assert.equal(parseAssumeRoleResponse(Buffer.from('<GetCallerIdentityResponse/>')), undefined);
  });

  test('request recognition and the store\'s expiry', () => {
    assert.equal(isAssumeRoleCall('', Buffer.from('Action=AssumeRole&RoleArn=x'), 'application/x-www-form-urlencoded'), true);
    assert.equal(isAssumeRoleCall('', Buffer.from('Action=AssumeRoleWithSAML'), 'application/x-www-form-urlencoded'), false);
    assert.equal(isAssumeRoleCall('Action=AssumeRole&Version=1', Buffer.alloc(0), undefined), true);
    assert.equal(requestedRoleArn('', Buffer.from('Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fr')), 'arn:aws:iam::1:role/r');
    let now = new Date('2029-12-31T23:00:00Z');
    const store = new AssumedRoleStore(() => now);
    store.add({ ...parseAssumeRoleResponse(Buffer.from(xml('t')))!, roleArn: 'r' });
    assert.equal(store.get('ASIAX')?.roleArn, 'r');
    now = new Date('2030-01-01T00:00:01Z');
    assert.equal(store.has('ASIAX'), true);
    assert.equal(store.get('ASIAX'), undefined);
  });
});

test('loopback addresses', () => {
  for (const ok of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) assert.equal(isLoopbackAddress(ok), true, ok);
  for (const bad of ['0.0.0.0', '::', '192.168.1.1', '10.0.0.1', 'example.com', '128.0.0.1']) assert.equal(isLoopbackAddress(bad), false, bad);
});

describe('the quick SigV4 check', () => {
  const creds = { accessKeyId: 'TSHQUICKQUICKQUICK0001', secretAccessKey: 'quick-secret' };
  const sign = async (headers: Record<string, string>, body: string, opts: { path?: string; query?: string; sessionToken?: string; service?: string } = {}) => {
    const req: SignedRequest = { method: 'POST', path: opts.path ?? '/', query: opts.query ?? '', headers: { ...headers }, body: Buffer.from(body) };
    const c = opts.sessionToken ? { ...creds, sessionToken: opts.sessionToken } : creds;
    const signed = await signRequest(req, c, { region: 'us-east-1', service: opts.service ?? 'dynamodb', signedHeaders: [...Object.keys(headers), 'x-amz-date'] });
    Object.assign(req.headers, signed);
    return { req, c };
  };
  const quick = (req: SignedRequest, c: typeof creds) => quickVerify(req, c, parseAuthorization(String(req.headers.authorization)), new Date(), 15 * 60_000);

  test('accepts what the full check accepts, for the shapes clients send', async () => {
    const body = '{"TableName":"t"}';
    const cases = [
      await sign({ host: 'dynamodb.us-east-1.amazonaws.com', 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.GetItem' }, body),
      await sign({ host: 'h', 'amz-sdk-invocation-id': 'abc', 'amz-sdk-request': 'attempt=1; max=3', 'content-length': String(body.length), 'x-amz-content-sha256': createHash('sha256').update(body).digest('hex'), 'x-amz-user-agent': 'aws-sdk-js/3' }, body),
      await sign({ host: 'h', 'x-custom': '  a    b \t c ' }, body),
      await sign({ host: 'sts.amazonaws.com', 'content-type': 'application/x-www-form-urlencoded' }, 'Action=GetCallerIdentity', { sessionToken: 'tok' }),
      await sign({ host: 'h' }, '', { path: '/2015-03-31/functions/f/invocations' }),
    ];
    for (const { req, c } of cases) {
      assert.equal((await verifySignature(req, c)).ok, true);
      assert.equal(quick(req, c), true, JSON.stringify(req.headers));
    }
  });

  test('never accepts a changed request; leaves unusual shapes to the full check', async () => {
    const { req, c } = await sign({ host: 'h', 'x-amz-target': 'a' }, '{}');
    assert.equal(quick({ ...req, body: Buffer.from('{ }') }, c), false);
    assert.equal(quick({ ...req, headers: { ...req.headers, 'x-amz-target': 'b' } }, c), false);
    assert.equal(quick({ ...req, method: 'PUT' }, c), false);
    assert.equal(quick(req, { ...c, secretAccessKey: 'other' }), false);
    assert.equal(quick({ ...req, headers: { ...req.headers, 'x-amz-security-token': 'x' } }, c), false);
    const q = await sign({ host: 'h' }, '', { query: 'a=1' });
    assert.equal(quick(q.req, q.c), false, 'queries go to the full check');
    const p = await sign({ host: 'h' }, '', { path: '/a%20b' });
    assert.equal(quick(p.req, p.c), false, 'escaped paths go to the full check');
    assert.equal((await verifySignature(p.req, p.c)).ok, true);
  });
});
