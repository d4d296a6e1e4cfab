import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentials, SignedRequest } from './types.js';

/** The SHA-256 constructor the signer wants (`new Sha256(secret?)`); hash-node exports a generic Hash. */
class Sha256 extends Hash {
  constructor(secret?: ConstructorParameters<typeof Hash>[1]) {
    super('sha256', secret);
  }
}

/**
 * Signs the given headers of a request with @smithy/signature-v4 and returns
 * the headers the signer produced (`authorization`, `x-amz-date`, and
 * `x-amz-security-token` when the credentials carry one).
 *
 * Why one place: verifying and re-signing must canonicalise identically, and
 * the signer has settings that are easy to get wrong (see node-notes §2):
 * `applyChecksum: false` so it adds no unsigned x-amz-content-sha256,
 * `uriEscapePath` false only for S3 (every other service double-encodes the
 * path), and `signableHeaders` listing exactly the headers to sign, since it
 * only overrides the signer's built-in unsignable list (user-agent, expect...).
 * `headers` must hold only the headers to sign, plus an x-amz-content-sha256
 * that is in `unsignable` when the client sent it unsigned (the signer takes
 * the payload hash from it). This module is the only one that loads smithy.
 */
export async function computeSignature(input: {
  req: SignedRequest;
  headers: Record<string, string>;
  credentials: AwsCredentials;
  region: string;
  service: string;
  signingDate: Date;
  signable: Set<string>;
  unsignable: Set<string>;
  query: Record<string, string | string[]>;
}): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    credentials: input.credentials,
    region: input.region,
    service: input.service,
    sha256: Sha256,
    applyChecksum: false,
    uriEscapePath: input.service !== 's3',
  });
  const signed = await signer.sign(
    {
      method: input.req.method,
      protocol: 'https:',
      hostname: '',
      path: input.req.path === '' ? '/' : input.req.path,
      query: input.query,
      headers: input.headers,
      body: input.req.body,
    },
    { signingDate: input.signingDate, signableHeaders: input.signable, unsignableHeaders: input.unsignable },
  );
  return signed.headers;
}
