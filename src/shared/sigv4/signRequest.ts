import { TshError } from '../errors.js';
import { createHash } from 'node:crypto';
import { STREAMING_UNSIGNED_TRAILER } from './awsChunked.js';
import { computeSignature } from './computeSignature.js';
import { isSimpleRequest, simpleSignature } from './simpleSignature.js';
import { parseQuery } from './parseQuery.js';
import { readHeader } from './readHeader.js';
import type { AwsCredentials, SignedRequest } from './types.js';

const HEX_SHA256 = /^[0-9a-f]{64}$/;
const PAYLOAD_HEADER = 'x-amz-content-sha256';
/** Headers the signer writes itself; any incoming value is replaced. */
const GENERATED = new Set(['authorization', 'x-amz-date', 'x-amz-security-token', 'date']);

/**
 * Signs a request with SigV4 and returns the headers to set on it:
 * `authorization`, `x-amz-date`, and `x-amz-security-token` when the
 * credentials carry a session token (when they do not, the caller must remove
 * any incoming token header).
 *
 * Why: the app service drops the client's signature and re-signs with the
 * assumed-role credentials, and tests sign requests the same way. The payload
 * mode the client chose is kept: an incoming x-amz-content-sha256 of
 * `UNSIGNED-PAYLOAD` or a hex hash is reused as the payload hash (and signed
 * when it is in `signedHeaders`), so the forwarded body is never re-hashed
 * under a different policy; without the header the body is hashed. Of the
 * streaming payloads only STREAMING-UNSIGNED-PAYLOAD-TRAILER can be re-signed
 * as it is (its chunks carry no signatures); signed chunks chain from the
 * client's key, so those are refused with TshError('BAD_INPUT') (the app
 * service decodes them first), as is a signed header the request does not carry.
 */
export async function signRequest(
  req: SignedRequest,
  creds: AwsCredentials,
  opts: { region: string; service: string; signedHeaders: string[]; now?: Date },
): Promise<Record<string, string>> {
  const names = opts.signedHeaders.map((n) => n.toLowerCase()).filter((n) => !GENERATED.has(n));
  const headers: Record<string, string> = {};
  for (const name of names) {
    const value = readHeader(req.headers, name);
    if (value === undefined) throw new TshError('BAD_INPUT', `cannot sign the request: it has no ${name} header`);
    headers[name] = value;
  }

  const unsignable = new Set<string>();
  const payloadHash = readHeader(req.headers, PAYLOAD_HEADER);
  if (payloadHash !== undefined) {
    if (payloadHash.startsWith('STREAMING-') && payloadHash !== STREAMING_UNSIGNED_TRAILER) {
      throw new TshError('BAD_INPUT', `cannot re-sign a streaming payload (${payloadHash.slice(0, 60)})`);
    }
    if (payloadHash !== 'UNSIGNED-PAYLOAD' && payloadHash !== STREAMING_UNSIGNED_TRAILER && !HEX_SHA256.test(payloadHash)) {
      throw new TshError('BAD_INPUT', 'x-amz-content-sha256 must be a SHA-256 hex digest or UNSIGNED-PAYLOAD');
    }
    headers[PAYLOAD_HEADER] = payloadHash;
    if (!names.includes(PAYLOAD_HEADER)) unsignable.add(PAYLOAD_HEADER);
  }

  const signingDate = opts.now ?? new Date();
  if (isSimpleRequest(req.path, req.query)) {
    const fast = signSimple(req, creds, { ...opts, names, headers, signingDate, payloadHash: payloadHash ?? createHash('sha256').update(req.body).digest('hex') });
    if (fast) return fast;
  }
  const signed = await computeSignature({
    req,
    headers,
    credentials: creds,
    region: opts.region,
    service: opts.service,
    signingDate,
    signable: new Set([...names, 'x-amz-date', 'x-amz-security-token']),
    unsignable,
    query: parseQuery(req.query),
  });
  const out: Record<string, string> = { authorization: signed.authorization, 'x-amz-date': signed['x-amz-date'] };
  if (creds.sessionToken) out['x-amz-security-token'] = creds.sessionToken;
  return out;
}

/**
 * The same signature as the full signer for simple requests (see
 * simpleSignature), without building a signer per request. It runs for
 * every request the app service re-signs, so it builds no more than it
 * must: no header-object copies, no sets.
 */
function signSimple(
  req: SignedRequest,
  creds: AwsCredentials,
  o: { region: string; service: string; names: string[]; headers: Record<string, string>; signingDate: Date; payloadHash: string },
): Record<string, string> | undefined {
  const amzDate = formatAmzDate(o.signingDate);
  const token = creds.sessionToken;
  const headers = o.headers;
  headers['x-amz-date'] = amzDate;
  if (token) headers['x-amz-security-token'] = token;
  const signedHeaders = o.names.slice();
  signedHeaders.push('x-amz-date');
  if (token) signedHeaders.push('x-amz-security-token');
  signedHeaders.sort();
  let n = 0;
  for (let i = 0; i < signedHeaders.length; i++) if (i === 0 || signedHeaders[i] !== signedHeaders[n - 1]) signedHeaders[n++] = signedHeaders[i];
  signedHeaders.length = n;
  const signature = simpleSignature({ method: req.method, path: req.path, headers, signedHeaders, payloadHash: o.payloadHash, amzDate, region: o.region, service: o.service, secretAccessKey: creds.secretAccessKey });
  if (!signature) {
    delete headers['x-amz-date'];
    delete headers['x-amz-security-token'];
    return undefined;
  }
  const out: Record<string, string> = {
    authorization: `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/${amzDate.slice(0, 8)}/${o.region}/${o.service}/aws4_request, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature.toString('hex')}`,
    'x-amz-date': amzDate,
  };
  if (token) out['x-amz-security-token'] = token;
  return out;
}

/** X-Amz-Date (YYYYMMDDTHHMMSSZ) of a time; the last one is kept, as requests of the same second share it. */
let lastDate = { second: NaN, text: '' };
function formatAmzDate(d: Date): string {
  const second = Math.floor(d.getTime() / 1000);
  if (second !== lastDate.second) {
    const iso = d.toISOString();
    lastDate = { second, text: `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z` };
  }
  return lastDate.text;
}
