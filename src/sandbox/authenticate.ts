import { TshError } from '../shared/errors.js';
import { parseAuthorization } from '../shared/sigv4/parseAuthorization.js';
import { readHeader } from '../shared/sigv4/readHeader.js';
import type { SignedRequest } from '../shared/sigv4/types.js';
import { verifySignature } from '../shared/sigv4/verifySignature.js';
import type { Caller, SandboxIam } from './iam.js';

/** Why a request was not authenticated; each service names these its own way. */
export type AuthFailure = 'missing' | 'incomplete' | 'unknownKey' | 'expired' | 'badSignature';

/**
 * The verdict on a signed request: the caller, or why it was refused and the
 * AWS-worded message to send. A refusal still names the caller when the key
 * was known, so the request log can say whose request failed.
 */
export type AuthResult = { ok: true; caller: Caller } | { ok: false; failure: AuthFailure; message: string; caller?: Caller };

/**
 * Finds who signed a request and checks the signature, in the order AWS
 * reports problems: no signature, a malformed one, a key or token it does not
 * know, an expired session, then a signature that does not match.
 *
 * Why expiry before the signature: a test that moves the sandbox clock past
 * a session's end must see "expired", not a clock-skew complaint. With
 * `streamedBody` only the headers are checked here (S3 streams its bodies):
 * the caller checks the body against its hash or chunk signatures.
 */
export async function authenticate(req: SignedRequest, iam: SandboxIam, service: string, now: Date, opts: { streamedBody?: boolean } = {}): Promise<AuthResult> {
  const header = readHeader(req.headers, 'authorization');
  if (header === undefined) return { ok: false, failure: 'missing', message: 'Request is missing Authentication Token' };
  let auth;
  try {
    auth = parseAuthorization(header);
  } catch (err) {
    if (err instanceof TshError) return { ok: false, failure: 'incomplete', message: capitalise(err.message) };
    throw err;
  }
  if (auth.service !== service) {
    return { ok: false, failure: 'badSignature', message: `Credential should be scoped to correct service: '${service}'.` };
  }

  const caller = iam.callerFor(auth.accessKeyId);
  const invalid = { ok: false as const, failure: 'unknownKey' as const, message: 'The security token included in the request is invalid.' };
  if (!caller) return invalid;
  if (caller.kind === 'session') {
    if (readHeader(req.headers, 'x-amz-security-token') !== caller.credentials.sessionToken) return invalid;
    if (now.getTime() >= caller.expiresAt.getTime()) {
      return { ok: false, failure: 'expired', message: 'The security token included in the request is expired', caller };
    }
  }

  const verdict = await verifySignature(req, caller.credentials, { now, streamedBody: opts.streamedBody });
  if (!verdict.ok) {
    return {
      ok: false,
      failure: 'badSignature',
      message: `The request signature we calculated does not match the signature you provided: ${verdict.reason}.`,
      caller,
    };
  }
  return { ok: true, caller };
}

/** The access key id a request's Authorization names, for the request log (undefined when it has none that parses). */
export function signingKeyId(req: SignedRequest): string | undefined {
  try {
    return parseAuthorization(readHeader(req.headers, 'authorization')).accessKeyId;
  } catch {
    return undefined;
  }
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
