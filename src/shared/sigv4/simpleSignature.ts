import { createHash, createHmac } from 'node:crypto';
import { readHeader } from './readHeader.js';

/** Paths whose SigV4 canonical form is the path itself: unreserved characters, no empty or dot segments. */
const SIMPLE_PATH = /^(?:\/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*\/?$/;
const MAX_CACHED_KEYS = 64;
const signingKeys = new Map<string, Buffer>();

/** What a SigV4 signature covers, for the request shapes {@link simpleSignature} handles. */
export interface SimpleSigningInput {
  method: string;
  /** Raw path; must be "simple" (see isSimpleRequest). */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** Lower-case header names, sorted, no repeats, no pseudo-headers. */
  signedHeaders: string[];
  /** Hex SHA-256 of the body, or UNSIGNED-PAYLOAD. */
  payloadHash: string;
  /** X-Amz-Date (YYYYMMDDTHHMMSSZ). */
  amzDate: string;
  region: string;
  service: string;
  secretAccessKey: string;
}

/**
 * True for the request shapes most AWS clients send (DynamoDB, STS and other
 * JSON or form POSTs): a plain path and no query. For these, SigV4's
 * canonical request needs no path normalisation or URI encoding, so it can
 * be built directly; anything else goes through the full signer.
 */
export function isSimpleRequest(path: string, query: string): boolean {
  return query === '' && SIMPLE_PATH.test(path);
}

/**
 * The SigV4 signature (raw bytes) of a simple request, computed with a few
 * HMACs and a cached signing key: ~10 µs against ~50-95 µs for a full signer
 * run under load. It builds the same canonical request the full signer
 * (shared/sigv4 computeSignature, smithy's) builds for these shapes; tests
 * hold the two byte for byte. Undefined when a signed header is missing or
 * is a pseudo-header (`:authority`), which only the full signer handles.
 */
export function simpleSignature(input: SimpleSigningInput): Buffer | undefined {
  let canonicalHeaders = '';
  for (const name of input.signedHeaders) {
    if (name.startsWith(':')) return undefined;
    const value = readHeader(input.headers, name);
    if (value === undefined) return undefined;
    canonicalHeaders += `${name}:${value.trim().replace(/\s+/g, ' ')}\n`;
  }
  const date = input.amzDate.slice(0, 8);
  const canonicalRequest = `${input.method}\n${input.path}\n\n${canonicalHeaders}\n${input.signedHeaders.join(';')}\n${input.payloadHash}`;
  const scope = `${date}/${input.region}/${input.service}/aws4_request`;
  const stringToSign = `AWS4-HMAC-SHA256\n${input.amzDate}\n${scope}\n${createHash('sha256').update(canonicalRequest).digest('hex')}`;
  return createHmac('sha256', signingKey(input.secretAccessKey, date, input.region, input.service)).update(stringToSign).digest();
}

/** The derived SigV4 key for a secret, day, region and service, cached (the derivation is four HMACs). */
export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const id = `${date}/${region}/${service}/${secret}`;
  let key = signingKeys.get(id);
  if (!key) {
    const kDate = createHmac('sha256', `AWS4${secret}`).update(date).digest();
    const kRegion = createHmac('sha256', kDate).update(region).digest();
    const kService = createHmac('sha256', kRegion).update(service).digest();
    key = createHmac('sha256', kService).update('aws4_request').digest();
    if (signingKeys.size >= MAX_CACHED_KEYS) signingKeys.clear();
    signingKeys.set(id, key);
  }
  return key;
}
