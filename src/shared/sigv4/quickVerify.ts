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
 * string, a path that SigV4 would normalise or escape, streaming payloads,
 * a mismatch of any kind) is left to verifySignature, which decides and
 * explains. So it can speed the proxy up, never make it accept more: a
 * "valid" answer means an HMAC with the secret matched a canonical request
 * built from this very request, after the same date, token and body-hash
 * checks verifySignature makes.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { parseAmzDate } from './parseAmzDate.js';
import { readHeader } from './readHeader.js';
import type { AwsCredentials, ParsedAuthorization, SignedRequest } from './types.js';

/** Paths whose SigV4 canonical form is the path itself: unreserved characters, no empty or dot segments. */
const SIMPLE_PATH = /^(?:\/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*\/?$/;
const HEX_SHA256 = /^[0-9a-f]{64}$/;
const MAX_CACHED_KEYS = 64;

const signingKeys = new Map<string, Buffer>();

/**
 * True when `req` carries a valid signature by `creds` under `auth` (the
 * parsed Authorization) and passes the date, token and body checks; false
 * when this check cannot decide (then call verifySignature).
 */
export function quickVerify(req: SignedRequest, creds: AwsCredentials, auth: ParsedAuthorization, now: Date, maxSkewMs: number): boolean {
  if (req.query !== '' || !SIMPLE_PATH.test(req.path)) return false;
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
  if (declared === undefined) payloadHash = createHash('sha256').update(req.body).digest('hex');
  else {
    if (!HEX_SHA256.test(declared)) return false; // UNSIGNED-PAYLOAD, STREAMING-*: the full check decides
    payloadHash = declared;
    if (createHash('sha256').update(req.body).digest('hex') !== declared) return false;
  }

  let canonicalHeaders = '';
  for (const name of names) {
    if (name.startsWith(':')) return false;
    const value = readHeader(req.headers, name);
    if (value === undefined) return false;
    canonicalHeaders += `${name}:${value.trim().replace(/\s+/g, ' ')}\n`;
  }
  const canonicalRequest = `${req.method}\n${req.path}\n\n${canonicalHeaders}\n${names.join(';')}\n${payloadHash}`;
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const stringToSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${createHash('sha256').update(canonicalRequest).digest('hex')}`;
  const signature = createHmac('sha256', signingKey(creds.secretAccessKey, auth)).update(stringToSign).digest();
  const claimed = Buffer.from(auth.signature, 'hex');
  return claimed.length === signature.length && timingSafeEqual(claimed, signature);
}

/** The derived SigV4 key for a secret, day, region and service, cached. */
function signingKey(secret: string, auth: ParsedAuthorization): Buffer {
  const id = `${auth.date}/${auth.region}/${auth.service}/${secret}`;
  let key = signingKeys.get(id);
  if (!key) {
    const kDate = createHmac('sha256', `AWS4${secret}`).update(auth.date).digest();
    const kRegion = createHmac('sha256', kDate).update(auth.region).digest();
    const kService = createHmac('sha256', kRegion).update(auth.service).digest();
    key = createHmac('sha256', kService).update('aws4_request').digest();
    if (signingKeys.size >= MAX_CACHED_KEYS) signingKeys.clear();
    signingKeys.set(id, key);
  }
  return key;
}
