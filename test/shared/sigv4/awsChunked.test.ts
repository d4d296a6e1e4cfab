import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, test } from 'node:test';

import { TshError } from '../../../src/shared/errors.js';
import { AwsChunkedReader, chunkSignature, payloadMode, trailerSignature, type ChunkSigning } from '../../../src/shared/sigv4/awsChunked.js';
import { signingKey } from '../../../src/shared/sigv4/simpleSignature.js';
import { verifySignature } from '../../../src/shared/sigv4/verifySignature.js';

// The worked example of AWS's "Signature Calculations for the Authorization Header: Transferring Payload in
// Multiple Chunks" (S3 PUT of 66,560 bytes of 'a' in a 64 KiB and a 1 KiB chunk): its seed and chunk signatures.
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const AMZ_DATE = '20130524T000000Z';
const SEED = '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9';
const CHUNK_SIGS = ['ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648', '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497', 'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9'];
const signing: ChunkSigning = { key: signingKey(SECRET, '20130524', 'us-east-1', 's3'), amzDate: AMZ_DATE, scope: '20130524/us-east-1/s3/aws4_request', seedSignature: SEED };

function exampleBody(): Buffer {
  const a = (n: number) => Buffer.alloc(n, 0x61);
  return Buffer.concat([
    Buffer.from(`10000;chunk-signature=${CHUNK_SIGS[0]}\r\n`), a(65536), Buffer.from('\r\n'),
    Buffer.from(`400;chunk-signature=${CHUNK_SIGS[1]}\r\n`), a(1024), Buffer.from('\r\n'),
    Buffer.from(`0;chunk-signature=${CHUNK_SIGS[2]}\r\n\r\n`),
  ]);
}

/** Feeds `body` in pieces of `piece` bytes (chunk boundaries fall anywhere) and collects what comes out. */
async function read(body: Buffer, opts: ConstructorParameters<typeof AwsChunkedReader>[0], piece = 7000): Promise<{ out: Buffer; err?: unknown; reader: AwsChunkedReader }> {
  const pieces: Buffer[] = [];
  for (let i = 0; i < body.length; i += piece) pieces.push(body.subarray(i, i + piece));
  const reader = new AwsChunkedReader(opts);
  const got: Buffer[] = [];
  reader.on('data', (d: Buffer) => got.push(d));
  let err: unknown;
  await pipeline(Readable.from(pieces), reader).catch((e) => (err = e));
  return { out: Buffer.concat(got), err, reader };
}

describe('aws-chunked payloads', () => {
  test('the AWS documentation example: the seed signature checks out and so does every chunk', async () => {
    const body = exampleBody();
    assert.equal(body.length, 66824, 'the example says Content-Length: 66824');
    const headers = {
      host: 's3.amazonaws.com',
      'x-amz-date': AMZ_DATE,
      'x-amz-storage-class': 'REDUCED_REDUNDANCY',
      authorization: `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,Signature=${SEED}`,
      'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      'content-encoding': 'aws-chunked',
      'x-amz-decoded-content-length': '66560',
      'content-length': '66824',
    };
    const req = { method: 'PUT', path: '/examplebucket/chunkObject.txt', query: '', headers, body: Buffer.alloc(0) };
    const creds = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SECRET };
    const verdict = await verifySignature(req, creds, { now: new Date('2013-05-24T00:00:00Z'), streamedBody: true });
    assert.ok(verdict.ok, JSON.stringify(verdict));
    assert.equal((await verifySignature(req, creds, { now: new Date('2013-05-24T00:00:00Z') })).ok, false, 'not streamed: a streaming payload is refused');

    const decoded = await read(body, { mode: 'chunked-signed', signing, output: 'decoded', decodedLength: 66560, maxChunkBytes: 1 << 20 });
    assert.equal(decoded.err, undefined);
    assert.deepEqual(decoded.out, Buffer.alloc(66560, 0x61));
    const raw = await read(body, { mode: 'chunked-signed', signing, output: 'raw', maxChunkBytes: 1 << 20 }, 1);
    assert.equal(raw.err, undefined);
    assert.deepEqual(raw.out, body, 'raw output passes the framing on byte for byte');
  });

  test('a changed byte fails its chunk, and nothing of that chunk or after it is passed on', async () => {
    const body = exampleBody();
    body[body.length - 200] ^= 1; // in the second chunk's data
    const r = await read(body, { mode: 'chunked-signed', signing, output: 'decoded', maxChunkBytes: 1 << 20 });
    assert.ok(r.err instanceof TshError && r.err.code === 'BAD_CREDENTIALS', String(r.err));
    assert.equal(r.out.length, 65536, 'only the first (checked) chunk went out');
  });

  test('the wrong key fails the first chunk before any data is passed on', async () => {
    const r = await read(exampleBody(), { mode: 'chunked-signed', signing: { ...signing, key: signingKey('other', '20130524', 'us-east-1', 's3') }, output: 'decoded', maxChunkBytes: 1 << 20 });
    assert.ok(r.err instanceof TshError && r.err.code === 'BAD_CREDENTIALS');
    assert.equal(r.out.length, 0);
  });

  test('a signed trailer is checked; its checksum lines are kept', async () => {
    const data = Buffer.from('hello, chunked world');
    const s1 = chunkSignature(signing, SEED, createHashHex(data));
    const s2 = chunkSignature(signing, s1, createHashHex(Buffer.alloc(0)));
    const trailer = 'x-amz-checksum-crc32:AAAAAA==\n';
    const ts = trailerSignature(signing, s2, trailer);
    const body = Buffer.from(`${data.length.toString(16)};chunk-signature=${s1}\r\n${data}\r\n0;chunk-signature=${s2}\r\nx-amz-checksum-crc32:AAAAAA==\r\nx-amz-trailer-signature:${ts}\r\n\r\n`);
    const ok = await read(body, { mode: 'chunked-signed-trailer', signing, output: 'decoded', decodedLength: data.length, maxChunkBytes: 1024 }, 5);
    assert.equal(ok.err, undefined);
    assert.equal(ok.out.toString(), data.toString());
    assert.deepEqual(ok.reader.trailers, { 'x-amz-checksum-crc32': 'AAAAAA==' });
    const forged = await read(Buffer.from(body.toString().replace('AAAAAA==', 'AAAAAB==')), { mode: 'chunked-signed-trailer', signing, output: 'decoded', maxChunkBytes: 1024 });
    assert.ok(forged.err instanceof TshError && forged.err.code === 'BAD_CREDENTIALS', 'a changed checksum fails the trailer signature');
  });

  test('unsigned chunks with a trailer decode; broken framing and wrong lengths are refused', async () => {
    const body = Buffer.from('5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n');
    const ok = await read(body, { mode: 'chunked-unsigned-trailer', output: 'decoded', decodedLength: 11, maxChunkBytes: 1024 }, 3);
    assert.equal(ok.out.toString(), 'hello world');
    assert.equal(ok.reader.trailers['x-amz-checksum-crc32'], 'DUoRhQ==');
    for (const [bad, why] of [
      ['5\r\nhello\r\n', 'no final chunk'],
      ['5\r\nhelloX\r\n0\r\n\r\n', 'a chunk longer than its size'],
      ['zz\r\nhello\r\n0\r\n\r\n', 'not a size'],
      ['5\nhello\r\n0\r\n\r\n', 'no CRLF'],
    ] as const) {
      const r = await read(Buffer.from(bad), { mode: 'chunked-unsigned-trailer', output: 'decoded', maxChunkBytes: 1024 });
      assert.ok(r.err instanceof TshError && r.err.code === 'BAD_INPUT', `${why}: ${String(r.err)}`);
    }
    const short = await read(body, { mode: 'chunked-unsigned-trailer', output: 'decoded', decodedLength: 12, maxChunkBytes: 1024 });
    assert.match(String((short.err as Error)?.message), /x-amz-decoded-content-length/);
  });

  test('a signed chunk larger than the limit is refused, not held', async () => {
    const r = await read(Buffer.from(`100000;chunk-signature=${CHUNK_SIGS[0]}\r\n`), { mode: 'chunked-signed', signing, output: 'decoded', maxChunkBytes: 65536 });
    assert.ok(r.err instanceof TshError && r.err.code === 'TOO_LARGE');
  });

  test('payload modes: SigV4a streaming and nonsense are refused by name', () => {
    assert.equal(payloadMode(undefined), 'hash');
    assert.equal(payloadMode('UNSIGNED-PAYLOAD'), 'unsigned');
    assert.equal(payloadMode('STREAMING-UNSIGNED-PAYLOAD-TRAILER'), 'chunked-unsigned-trailer');
    assert.throws(() => payloadMode('STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD'), /SigV4a/);
    assert.throws(() => payloadMode('nope'), /x-amz-content-sha256/);
  });
});

function createHashHex(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}
