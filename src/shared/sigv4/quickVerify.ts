/**
 * A quick SigV4 check for the shapes of request AWS clients send most
 * (DynamoDB, STS and other JSON or form POSTs: a plain path, no query), so
 * that the common case costs a few HMACs instead of a full signer run.
 *
 * Measured in the loaded local proxy: shared/sigv4 verifySignature (smithy's
 * signer) costs ~95 µs a request, about 40% of the proxy's whole per-request
 * CPU; this check costs ~10 µs (the signing key is cached per secret, day,
 * region and service).
 *
 * It only ever says "valid" or "not decided": anything unusual (a query
 * string, a path that SigV4 would normalise or escape, a mismatch of any
 * kind) is left to verifySignature, which decides and
 * explains. So it can speed the proxy up, never make it accept more: a
 * "valid" answer means an HMAC with the secret matched a canonical request
 * built from this very request, after the same date, token and body-hash
 * checks verifySignature makes.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { STREAMING_SIGNED, STREAMING_SIGNED_TRAILER, STREAMING_UNSIGNED_TRAILER, UNSIGNED_PAYLOAD } from './awsChunked.js';
import { isSimpleRequest, simpleSignature } from './simpleSignature.js';
import { parseAmzDate } from './parseAmzDate.js';
import { readHeader } from './readHeader.js';
import type { AwsCredentials, ParsedAuthorization, SignedRequest } from './types.js';

const HEX_SHA256 = /^[0-9a-f]{64}$/;
/** Payload values whose body the caller checks as it streams (see awsChunked). */
const STREAMED = new Set([STREAMING_SIGNED, STREAMING_SIGNED_TRAILER, STREAMING_UNSIGNED_TRAILER]);

/**
 * True when `req` carries a valid signature by `creds` under `auth` (the
 * parsed Authorization) and passes the date, token and body checks; false
 * when this check cannot decide (then call verifySignature with the same
 * `streamedBody`: a body still to come, checked by the caller as it streams).
 */
export function quickVerify(req: SignedRequest, creds: AwsCredentials, auth: ParsedAuthorization, now: Date, maxSkewMs: number, streamedBody = false): boolean {
  if (!isSimpleRequest(req.path, req.query)) return false;
  if (auth.accessKeyId !== creds.accessKeyId) return false;
  const amzDate = readHeader(req.headers, 'x-amz-date');
  const signingDate = parseAmzDate(amzDate);
  if (!amzDate || !signingDate || amzDate.slice(0, 8) !== auth.date) return false;
  if (Math.abs(now.getTime() - signingDate.getTime()) > maxSkewMs) return false;

  const names = auth.signedHeaders;
  if (!names.includes('x-amz-date')) return false;
  for (let i = 1; i < names.length; i++) if (names[i - 1] >= names[i]) return false; // sorted, no repeats

  const token = readHeader(req.headers, 'x-amz-security-token');
  if (token !== creds.sessionToken) return false;
  if (token !== undefined && !names.includes('x-amz-security-token')) return false;

  const declared = readHeader(req.headers, 'x-amz-content-sha256');
  let payloadHash: string;
  if (declared === undefined) {
    if (streamedBody) return false;
    payloadHash = createHash('sha256').update(req.body).digest('hex');
  } else if (declared === UNSIGNED_PAYLOAD || (streamedBody && STREAMED.has(declared))) {
    // The literal value is what the client signed; a streamed body's hash or chunks are the caller's to check.
    payloadHash = declared;
  } else {
    if (!HEX_SHA256.test(declared)) return false; // anything else: the full check decides and explains
    payloadHash = declared;
    if (!streamedBody && createHash('sha256').update(req.body).digest('hex') !== declared) return false;
  }

  const signature = simpleSignature({ method: req.method, path: req.path, headers: req.headers, signedHeaders: names, payloadHash, amzDate, region: auth.region, service: auth.service, secretAccessKey: creds.secretAccessKey });
  if (!signature) return false;
  const claimed = Buffer.from(auth.signature, 'hex');
  return claimed.length === signature.length && timingSafeEqual(claimed, signature);
}
