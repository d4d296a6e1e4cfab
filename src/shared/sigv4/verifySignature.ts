import { createHash, timingSafeEqual } from 'node:crypto';
import { TshError } from '../errors.js';
import { payloadMode } from './awsChunked.js';
import { computeSignature } from './computeSignature.js';
import { parseAmzDate } from './parseAmzDate.js';
import { parseAuthorization } from './parseAuthorization.js';
import { parseQuery } from './parseQuery.js';
import { readHeader } from './readHeader.js';
import type { AwsCredentials, SignedRequest, VerifyResult } from './types.js';

const DEFAULT_MAX_SKEW_MS = 15 * 60_000;
const HEX_SHA256 = /^[0-9a-f]{64}$/;
const PAYLOAD_HEADER = 'x-amz-content-sha256';
/** A query-string (presigned) SigV4 signature. */
const PRESIGNED = /(?:^|&)X-Amz-(?:Signature|Credential|Algorithm)=/i;

/**
 * Decides whether a request carries a valid SigV4 header signature by the
 * given credentials: recomputes the signature over exactly the headers the
 * client signed and compares in constant time.
 *
 * Why this much care (node-notes §2): the signer trusts x-amz-content-sha256
 * instead of hashing the body, so the body is checked against it here; it
 * signs whatever headers it is handed, so only the client's signed headers go
 * in and the resulting SignedHeaders list is compared too; it always signs
 * X-Amz-Date, so that header must be among the signed ones. `UNSIGNED-PAYLOAD`
 * is accepted, as AWS does over TLS. With `streamedBody` the body is not in
 * `req` (it is still to come): a declared hash and the STREAMING-* payloads
 * (aws-chunked, see awsChunked) are then accepted, and the caller checks the
 * body against them as it reads it; without it, streaming payloads are
 * refused. Never throws for a bad request: the reason says what is wrong, in
 * words fit for an HTTP 403 body.
 */
export async function verifySignature(
  req: SignedRequest,
  creds: AwsCredentials,
  opts: VerifyOptions = {},
): Promise<VerifyResult> {
  try {
    return await check(req, creds, opts);
  } catch (err) {
    if (err instanceof TshError) return { ok: false, reason: err.message };
    throw err;
  }
}

/** When and how a request is checked. */
export interface VerifyOptions {
  now?: Date;
  maxSkewMs?: number;
  /** The body streams after the check: its hash (or chunk signatures) is the caller's to check. */
  streamedBody?: boolean;
}

async function check(req: SignedRequest, creds: AwsCredentials, opts: VerifyOptions): Promise<VerifyResult> {
  const authorization = readHeader(req.headers, 'authorization');
  if (authorization === undefined && PRESIGNED.test(req.query)) {
    return fail('presigned URLs (a signature in the query string) are not accepted here; send the request signed in its Authorization header, as AWS SDKs do unless asked to presign');
  }
  const auth = parseAuthorization(authorization);
  if (!safeEqual(auth.accessKeyId, creds.accessKeyId)) return fail(`the access key id ${auth.accessKeyId} is not the expected one`);

  const amzDate = readHeader(req.headers, 'x-amz-date');
  const signingDate = parseAmzDate(amzDate);
  if (!amzDate || !signingDate) return fail('the request needs an X-Amz-Date header of the form YYYYMMDDTHHMMSSZ');
  if (!auth.signedHeaders.includes('x-amz-date')) return fail('X-Amz-Date must be among the signed headers');
  if (amzDate.slice(0, 8) !== auth.date) return fail('the Credential date does not match X-Amz-Date');
  const now = opts.now ?? new Date();
  const maxSkewMs = opts.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
  if (Math.abs(now.getTime() - signingDate.getTime()) > maxSkewMs) {
    const limit = maxSkewMs % 60_000 === 0 ? `${maxSkewMs / 60_000} minutes` : `${Math.round(maxSkewMs / 1000)} seconds`;
    return fail(`the signature date ${amzDate} is more than ${limit} from the server time`);
  }

  const token = readHeader(req.headers, 'x-amz-security-token');
  if (token !== undefined || creds.sessionToken !== undefined) {
    if (token === undefined) return fail('the request has no X-Amz-Security-Token');
    if (creds.sessionToken === undefined || !safeEqual(token, creds.sessionToken)) {
      return fail('the X-Amz-Security-Token is not the expected one');
    }
  }

  const payloadHash = readHeader(req.headers, PAYLOAD_HEADER);
  const payloadProblem = checkPayload(payloadHash, req.body, opts.streamedBody ?? false);
  if (payloadProblem) return fail(payloadProblem);

  const headers: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    const value = readHeader(req.headers, name);
    if (value === undefined) return fail(`the signed header ${name} is missing from the request`);
    headers[name] = value;
  }
  const unsignable = new Set<string>();
  if (payloadHash !== undefined && headers[PAYLOAD_HEADER] === undefined) {
    headers[PAYLOAD_HEADER] = payloadHash;
    unsignable.add(PAYLOAD_HEADER);
  }

  const expected = await computeSignature({
    req,
    headers,
    // No session token here: when the client signed it, it is among `headers`.
    credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey },
    region: auth.region,
    service: auth.service,
    signingDate,
    signable: new Set(auth.signedHeaders),
    unsignable,
    query: parseQuery(req.query),
  });
  const m = /SignedHeaders=([^,]*), Signature=([0-9a-f]{64})$/.exec(expected.authorization ?? '');
  if (!m) throw new TshError('INTERNAL', 'the SigV4 signer returned an Authorization header in an unknown form');
  if (m[1] !== auth.signedHeaders.join(';')) {
    return fail(`the SignedHeaders list must be sorted, without repeats, and name only signable headers (expected ${m[1]})`);
  }
  if (!safeEqual(m[2], auth.signature)) {
    return fail('the signature does not match: wrong secret key, or the request changed after it was signed');
  }
  return { ok: true, auth };
}

/** Why the payload header cannot be trusted as sent, or undefined when it can. */
function checkPayload(value: string | undefined, body: Buffer, streamed: boolean): string | undefined {
  if (value === 'UNSIGNED-PAYLOAD') return undefined;
  if (value === undefined) return streamed ? 'a streamed body needs an x-amz-content-sha256 header' : undefined;
  if (value.startsWith('STREAMING-')) {
    if (!streamed) return `streaming payloads (${value.slice(0, 60)}) are not supported here; send the body in one piece`;
    payloadMode(value); // throws for the ones nothing here checks
    return undefined;
  }
  if (!HEX_SHA256.test(value)) return 'x-amz-content-sha256 must be a SHA-256 hex digest, UNSIGNED-PAYLOAD or a STREAMING-* value';
  if (streamed) return undefined;
  const actual = createHash('sha256').update(body).digest('hex');
  return safeEqual(actual, value) ? undefined : 'the body does not match its x-amz-content-sha256 hash';
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function fail(reason: string): VerifyResult {
  return { ok: false, reason };
}
