/**
 * The shapes SigV4 code passes around. They live apart from the functions so
 * that callers can name them without loading the signer (a type import costs
 * nothing at run time).
 */

/**
 * A request as a server received it, in the exact form SigV4 needs: nothing
 * decoded, nothing normalised, because the client signed the bytes it sent.
 */
export interface SignedRequest {
  method: string;
  /** The raw path, still percent-encoded, exactly as received. */
  path: string;
  /** The raw query string without the leading '?', exactly as received ('' when none). */
  query: string;
  /** Header names in lower case, as Node gives them; repeated headers as arrays. */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** An access key pair, with the session token that temporary credentials carry. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** The parts of an `Authorization: AWS4-HMAC-SHA256 ...` header. */
export interface ParsedAuthorization {
  accessKeyId: string;
  /** The scope's date, YYYYMMDD. */
  date: string;
  region: string;
  service: string;
  /** Lower-case header names, in the order the client listed them. */
  signedHeaders: string[];
  /** 64 lower-case hex digits. */
  signature: string;
}

/** What {@link verifySignature} decides: the parsed header when valid, else why not. */
export type VerifyResult = { ok: true; auth: ParsedAuthorization } | { ok: false; reason: string };
