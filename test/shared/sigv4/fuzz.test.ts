/**
 * Properties of the SigV4 parser and verifiers (shared/sigv4), over inputs
 * fast-check makes up: parseAuthorization refuses anything it cannot read
 * with a BAD_INPUT and never anything else; quickVerify and verifySignature
 * never throw and never hang on any request; and no forgery is accepted: a
 * request signed by the real signer verifies, and the same request changed
 * in any one way that matters after signing never does, by either check.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fc from 'fast-check';
import { parseAuthorization } from '../../../src/shared/sigv4/parseAuthorization.js';
import { quickVerify } from '../../../src/shared/sigv4/quickVerify.js';
import { verifySignature } from '../../../src/shared/sigv4/verifySignature.js';
import { signRequest } from '../../../src/shared/sigv4/signRequest.js';
import type { AwsCredentials, ParsedAuthorization, SignedRequest } from '../../../src/shared/sigv4/types.js';
import { TshError } from '../../../src/shared/errors.js';
import { fuzzRuns, HANG_MS } from '../../helpers/fuzz.js';

const creds: AwsCredentials = { accessKeyId: 'TSHFUZZKEYFUZZKEY0001', secretAccessKey: 'fuzz/secret+key/0123456789abcdefghijklmn' };
const MAX_SKEW_MS = 15 * 60_000;

/** Pieces an Authorization header is made of, right and wrong, so that fast-check gets past the first check often. */
const authPiece = fc.oneof(
  fc.constantFrom('AWS4-HMAC-SHA256', 'AWS4-ECDSA-P256-SHA256', 'Credential=', 'SignedHeaders=', 'Signature=', ',', ', ', ' ', '/', ';', '=', 'aws4_request', '20261124', 'us-east-1', 'dynamodb', creds.accessKeyId, 'host', 'x-amz-date', '0'.repeat(64), 'f'.repeat(63), '\t', '\u0000', '\u00e9'),
  fc.string({ maxLength: 12 }),
);
const authorization = fc.oneof(fc.string({ maxLength: 300 }), fc.array(authPiece, { maxLength: 24 }).map((p) => p.join('')), fc.string({ unit: 'binary', maxLength: 120 }));

test('parseAuthorization: any text is parsed or refused with BAD_INPUT, nothing else', (t) => {
  fc.assert(
    fc.property(fc.option(authorization, { nil: undefined }), (header) => {
      const started = performance.now();
      try {
        const auth = parseAuthorization(header);
        assert.equal(auth.signature.length, 64);
        assert.ok(auth.signedHeaders.length > 0);
      } catch (err) {
        assert.ok(err instanceof TshError && err.code === 'BAD_INPUT', `threw ${(err as Error)?.stack ?? err}`);
      }
      assert.ok(performance.now() - started < HANG_MS);
    }),
    fuzzRuns(t),
  );
});

/** A header name as clients send them (lower case), or junk. */
const headerName = fc.oneof(fc.constantFrom('host', 'x-amz-date', 'x-amz-content-sha256', 'x-amz-security-token', 'content-type', 'x-amz-target', 'authorization', ':authority', 'content-length'), fc.stringMatching(/^[a-z0-9-]{1,12}$/));
const headerValue = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('20261124T120000Z', 'UNSIGNED-PAYLOAD', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', '0'.repeat(64), ''), fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }));
const anyRequest: fc.Arbitrary<SignedRequest> = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH', 'get', ''),
  path: fc.oneof(fc.string({ maxLength: 40 }), fc.webPath(), fc.constant('/')),
  query: fc.oneof(fc.string({ maxLength: 40 }), fc.webQueryParameters(), fc.constant('X-Amz-Signature=abc&X-Amz-Credential=a%2Fb')),
  headers: fc.dictionary(headerName, headerValue, { maxKeys: 8 }).chain((h) => authorization.map((a) => ({ ...h, authorization: a }))),
  body: fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
});

test('quickVerify and verifySignature: any request is refused with a reason, never a throw or a hang', async (t) => {
  await fc.assert(
    fc.asyncProperty(anyRequest, fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }), async (req, now) => {
      const started = performance.now();
      let scope: ParsedAuthorization | undefined;
      try {
        scope = parseAuthorization(req.headers.authorization as string);
      } catch {
        scope = undefined;
      }
      if (scope) assert.equal(quickVerify(req, creds, scope, now, MAX_SKEW_MS), false);
      const verdict = await verifySignature(req, creds, { now, maxSkewMs: MAX_SKEW_MS });
      assert.equal(verdict.ok, false);
      assert.ok(!verdict.ok && typeof verdict.reason === 'string' && verdict.reason.length > 0);
      assert.ok(performance.now() - started < HANG_MS);
    }),
    fuzzRuns(t),
  );
});

/** A request as an AWS client signs one: a path of encoded segments, a query, a few headers and a body. */
const segment = fc.string({ unit: fc.constantFrom(...'abcXYZ019-_.~!$&\'()*+,;=:@ %/é'.split('')), maxLength: 10 }).map((s) => encodeURIComponent(s));
const goodRequest = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'),
  path: fc.array(segment, { maxLength: 4 }).map((s) => `/${s.join('/')}`),
  query: fc.array(fc.tuple(fc.stringMatching(/^[A-Za-z0-9_.-]{1,8}$/), fc.string({ maxLength: 8 }).map(encodeURIComponent)), { maxLength: 4 }).map((q) => q.map(([k, v]) => `${k}=${v}`).join('&')),
  extra: fc.dictionary(fc.stringMatching(/^x-amz-meta-[a-z0-9]{1,6}$/), fc.stringMatching(/^[!-~][ -~]{0,20}$/), { maxKeys: 3 }),
  body: fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
  hashHeader: fc.boolean(),
  service: fc.constantFrom('dynamodb', 'sts', 'sqs', 'execute-api'),
  region: fc.constantFrom('us-east-1', 'eu-west-3', 'cn-north-1'),
  token: fc.option(fc.stringMatching(/^[A-Za-z0-9+/=]{8,40}$/), { nil: undefined }),
});

/** One change after signing; each changes what the signature covers (or who it claims), so none may verify. */
const mutation = fc.constantFrom('body', 'signed-header', 'path', 'query', 'method', 'region', 'service', 'scope-date', 'key', 'signature', 'secret', 'drop-signed-header', 'unlist-signed-header', 'token', 'date');

test('no accepted forgery: a signed request verifies, and changed in any one way after signing, it never does', async (t) => {
  await fc.assert(
    fc.asyncProperty(goodRequest, mutation, fc.nat(), async (g, change, pick) => {
      const now = new Date();
      const keys: AwsCredentials = g.token ? { ...creds, sessionToken: g.token } : creds;
      const headers: Record<string, string> = { host: `${g.service}.${g.region}.amazonaws.com`, 'content-type': 'application/x-amz-json-1.0', ...g.extra };
      if (g.hashHeader) headers['x-amz-content-sha256'] = createHash('sha256').update(g.body).digest('hex');
      const names = Object.keys(headers);
      Object.assign(headers, await signRequest({ method: g.method, path: g.path, query: g.query, headers, body: g.body }, keys, { region: g.region, service: g.service, signedHeaders: [...names, 'x-amz-date'], now }));
      const req: SignedRequest = { method: g.method, path: g.path, query: g.query, headers, body: g.body };
      const before = await verifySignature(req, keys, { now });
      assert.ok(before.ok, `a request the signer signed was refused: ${!before.ok && before.reason}`);

      const forged: SignedRequest = { ...req, headers: { ...headers }, body: Buffer.from(req.body) };
      let verifyWith = keys;
      const auth = () => forged.headers.authorization as string;
      const setAuth = (a: string) => (forged.headers.authorization = a);
      const signedNames = /SignedHeaders=([^,]+)/.exec(auth())![1].split(';');
      const aSigned = signedNames.filter((n) => n !== 'x-amz-date')[pick % Math.max(1, signedNames.length - 1)] ?? 'host';
      switch (change) {
        case 'body':
          forged.body = forged.body.length ? Buffer.from(forged.body.map((b, i) => (i === pick % forged.body.length ? b ^ 1 : b))) : Buffer.from('x');
          break;
        case 'signed-header':
          forged.headers[aSigned] = `${forged.headers[aSigned]}x`;
          break;
        case 'path':
          forged.path = `${forged.path}x`;
          break;
        case 'query':
          forged.query = forged.query ? `${forged.query}&zz=1` : 'zz=1';
          break;
        case 'method':
          forged.method = forged.method === 'GET' ? 'POST' : 'GET';
          break;
        case 'region':
          setAuth(auth().replace(`/${g.region}/`, '/ap-south-1/'));
          break;
        case 'service':
          setAuth(auth().replace(`/${g.service}/aws4_request`, '/s3/aws4_request'));
          break;
        case 'scope-date':
          setAuth(auth().replace(/\/(\d{8})\//, '/19991231/'));
          break;
        case 'key':
          // The key id is not under the signature (the secret is): another id is refused as not the expected key.
          setAuth(auth().replace(`Credential=${creds.accessKeyId}/`, 'Credential=TSHFUZZKEYFUZZKEY0002/'));
          break;
        case 'signature':
          setAuth(auth().replace(/Signature=([0-9a-f]{64})$/, (_m, sig: string) => `Signature=${sig.slice(0, pick % 64)}${sig[pick % 64] === '0' ? '1' : '0'}${sig.slice((pick % 64) + 1)}`));
          break;
        case 'secret':
          verifyWith = { ...keys, secretAccessKey: `${keys.secretAccessKey}x` };
          break;
        case 'drop-signed-header':
          delete forged.headers[aSigned];
          break;
        case 'unlist-signed-header':
          setAuth(auth().replace(/SignedHeaders=[^,]+/, `SignedHeaders=${signedNames.filter((n) => n !== aSigned).join(';') || 'x-amz-date'}`));
          if (aSigned === 'x-amz-date') return; // nothing left to take out
          break;
        case 'token':
          forged.headers['x-amz-security-token'] = g.token ? `${g.token}x` : 'forged-token';
          break;
        case 'date':
          forged.headers['x-amz-date'] = String(forged.headers['x-amz-date']).replace(/(\d)Z$/, (_m, d: string) => `${(Number(d) + 1) % 10}Z`);
          break;
      }
      let scope: ParsedAuthorization | undefined;
      try {
        scope = parseAuthorization(auth());
      } catch {
        scope = undefined;
      }
      if (scope) assert.equal(quickVerify(forged, verifyWith, scope, now, MAX_SKEW_MS), false, `quickVerify accepted a request changed by "${change}"`);
      const after = await verifySignature(forged, verifyWith, { now });
      assert.equal(after.ok, false, `verifySignature accepted a request changed by "${change}"`);
    }),
    fuzzRuns(t),
  );
});
