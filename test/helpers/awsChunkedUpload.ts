/**
 * A chunk-signed S3 upload (STREAMING-AWS4-HMAC-SHA256-PAYLOAD), built the
 * way the Java and C++ SDKs send one: the header signature over the literal
 * payload value, then each chunk signed chained from it. None of our stock
 * clients sends this form over HTTPS, so tests build it here.
 */
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { createHash } from 'node:crypto';
import { chunkSignature, STREAMING_SIGNED } from '../../src/shared/sigv4/awsChunked.js';
import { signingKey } from '../../src/shared/sigv4/simpleSignature.js';
import type { AwsCredentials } from '../../src/shared/sigv4/types.js';

export async function chunkSignedUpload(o: { creds: AwsCredentials; host: string; path: string; data: Buffer; chunkBytes: number; region?: string; now?: Date }): Promise<{ headers: Record<string, string>; body: Buffer }> {
  const region = o.region ?? 'us-east-1';
  const pieces: Buffer[] = [];
  for (let i = 0; i < o.data.length; i += o.chunkBytes) pieces.push(o.data.subarray(i, i + o.chunkBytes));
  pieces.push(Buffer.alloc(0));
  const framed = (size: number) => `${size.toString(16)};chunk-signature=${'0'.repeat(64)}\r\n`.length + size + 2;
  const length = pieces.reduce((a, p) => a + framed(p.length), 0);
  const signer = new SignatureV4({ credentials: o.creds, region, service: 's3', sha256: Hash.bind(null, 'sha256'), uriEscapePath: false, applyChecksum: false });
  const signed = await signer.sign(
    {
      method: 'PUT', protocol: 'https:', hostname: o.host, path: o.path, query: {},
      headers: { host: o.host, 'x-amz-content-sha256': STREAMING_SIGNED, 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': String(o.data.length), 'content-length': String(length), 'content-type': 'application/octet-stream' },
    },
    { signingDate: o.now },
  );
  const headers = signed.headers as Record<string, string>;
  const seed = /Signature=([0-9a-f]{64})/.exec(headers.authorization)![1];
  const date = headers['x-amz-date'];
  const signing = { key: signingKey(o.creds.secretAccessKey, date.slice(0, 8), region, 's3'), amzDate: date, scope: `${date.slice(0, 8)}/${region}/s3/aws4_request`, seedSignature: seed };
  let previous = seed;
  const out: Buffer[] = [];
  for (const p of pieces) {
    previous = chunkSignature(signing, previous, createHash('sha256').update(p).digest('hex'));
    out.push(Buffer.from(`${p.length.toString(16)};chunk-signature=${previous}\r\n`), p, Buffer.from('\r\n'));
  }
  const body = Buffer.concat(out);
  if (body.length !== length) throw new Error('framing length mismatch');
  return { headers, body };
}
