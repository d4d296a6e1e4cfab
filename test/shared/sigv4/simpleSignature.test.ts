/**
 * The fast signing path (simple requests: plain path, no query) must give
 * exactly what the full signer gives; any difference would break every
 * re-signed request at AWS.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { signRequest } from '../../../src/shared/sigv4/signRequest.js';
import { computeSignature } from '../../../src/shared/sigv4/computeSignature.js';
import { isSimpleRequest, simpleSignature } from '../../../src/shared/sigv4/simpleSignature.js';
import type { SignedRequest } from '../../../src/shared/sigv4/types.js';

const now = new Date('2026-11-24T10:11:12.345Z');
const body = Buffer.from('{"TableName":"orders","Key":{"id":{"S":"é x"}}}');
const creds = [
  { accessKeyId: 'ASIAEXAMPLE1', secretAccessKey: 'secret/with+chars', sessionToken: 'FwoGZXIvYXdz//token==' },
  { accessKeyId: 'AKIAEXAMPLE2', secretAccessKey: 'other-secret' },
];
const shapes: Array<{ name: string; req: SignedRequest; signed: string[]; service: string }> = [
  {
    name: 'JS SDK v3 DynamoDB',
    service: 'dynamodb',
    signed: ['amz-sdk-invocation-id', 'amz-sdk-request', 'content-length', 'content-type', 'host', 'x-amz-content-sha256', 'x-amz-date', 'x-amz-target', 'x-amz-user-agent'],
    req: {
      method: 'POST', path: '/', query: '', body,
      headers: {
        'amz-sdk-invocation-id': 'a0b1', 'amz-sdk-request': 'attempt=1; max=3', 'content-length': String(body.length), 'content-type': 'application/x-amz-json-1.0',
        host: 'dynamodb.us-east-1.amazonaws.com', 'x-amz-content-sha256': createHash('sha256').update(body).digest('hex'), 'x-amz-date': '20261124T000000Z',
        'x-amz-target': 'DynamoDB_20120810.GetItem', 'x-amz-user-agent': 'aws-sdk-js/3.1169.0  ua/2.1 ', authorization: 'AWS4-HMAC-SHA256 old',
      },
    },
  },
  {
    name: 'botocore DynamoDB (no payload header)',
    service: 'dynamodb',
    signed: ['content-type', 'host', 'x-amz-date', 'x-amz-target'],
    req: { method: 'POST', path: '/', query: '', body, headers: { 'content-type': 'application/x-amz-json-1.0', host: 'dynamodb.eu-west-1.amazonaws.com', 'x-amz-date': 'x', 'x-amz-target': 'DynamoDB_20120810.Query' } },
  },
  {
    name: 'STS form POST',
    service: 'sts',
    signed: ['content-type', 'host', 'x-amz-date'],
    req: { method: 'POST', path: '/', query: '', body: Buffer.from('Action=GetCallerIdentity&Version=2011-06-15'), headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', host: 'sts.us-east-1.amazonaws.com', 'x-amz-date': 'x' } },
  },
  {
    name: 'S3 GET, unsigned payload, path with a dot',
    service: 's3',
    signed: ['host', 'x-amz-content-sha256', 'x-amz-date'],
    req: { method: 'GET', path: '/bucket/dir/file.txt', query: '', body: Buffer.alloc(0), headers: { host: 's3.us-west-2.amazonaws.com', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'x-amz-date': 'x' } },
  },
  {
    name: 'payload header present but not signed',
    service: 'dynamodb',
    signed: ['host', 'x-amz-date'],
    req: { method: 'POST', path: '/', query: '', body, headers: { host: 'dynamodb.us-east-1.amazonaws.com', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'x-amz-date': 'x' } },
  },
];

for (const shape of shapes) {
  for (const c of creds) {
    test(`fast and full signers agree: ${shape.name}${c.sessionToken ? ', with a session token' : ''}`, async () => {
      assert.equal(isSimpleRequest(shape.req.path, shape.req.query), true, 'takes the fast path');
      const fast = await signRequest(shape.req, c, { region: 'us-east-1', service: shape.service, signedHeaders: shape.signed, now });
      // The full signer, as signRequest drives it for requests that are not simple.
      const names = shape.signed.filter((n) => !['authorization', 'x-amz-date', 'x-amz-security-token', 'date'].includes(n));
      const headers: Record<string, string> = {};
      for (const n of names) headers[n] = String(shape.req.headers[n]);
      const payload = shape.req.headers['x-amz-content-sha256'];
      const unsignable = new Set<string>();
      if (payload !== undefined) {
        headers['x-amz-content-sha256'] = String(payload);
        if (!names.includes('x-amz-content-sha256')) unsignable.add('x-amz-content-sha256');
      }
      const full = await computeSignature({ req: shape.req, headers, credentials: c, region: 'us-east-1', service: shape.service, signingDate: now, signable: new Set([...names, 'x-amz-date', 'x-amz-security-token']), unsignable, query: {} });
      assert.equal(fast.authorization, full.authorization);
      assert.equal(fast['x-amz-date'], full['x-amz-date']);
      assert.equal(fast['x-amz-security-token'], c.sessionToken);
    });
  }
}

test('requests that are not simple use the full signer', () => {
  assert.equal(isSimpleRequest('/', 'a=b'), false);
  assert.equal(isSimpleRequest('/a b', ''), false);
  assert.equal(isSimpleRequest('/a/../b', ''), false);
  assert.equal(isSimpleRequest('//x', ''), false);
  assert.equal(isSimpleRequest('/a%20b', ''), false);
});

test('a signed pseudo-header (HTTP/2 :authority) is left to the full signer', () => {
  const input = { method: 'POST', path: '/', payloadHash: 'UNSIGNED-PAYLOAD', amzDate: '20261124T000000Z', region: 'us-east-1', service: 'dynamodb', secretAccessKey: 'k' };
  const headers = { ':authority': 'dynamodb.us-east-1.amazonaws.com', host: 'dynamodb.us-east-1.amazonaws.com', 'x-amz-date': '20261124T000000Z' };
  assert.ok(simpleSignature({ ...input, headers, signedHeaders: ['host', 'x-amz-date'] }), 'plain headers: signed here');
  assert.equal(simpleSignature({ ...input, headers, signedHeaders: [':authority', 'x-amz-date'] }), undefined);
});
