/**
 * A URL or path as it may appear in a --debug log: the values that would
 * let someone act as the user are replaced by `***` (presigned-URL
 * signatures, credentials and session tokens, invite and join tokens in
 * paths), the rest is kept so the line still says what happened.
 */
export function maskSecrets(urlOrPath: string): string {
  return urlOrPath
    .replace(/([?&](?:X-Amz-Signature|X-Amz-Security-Token|X-Amz-Credential|Signature|AWSAccessKeyId)=)[^&#]*/gi, '$1***')
    .replace(/(\/(?:token|invite)\/)[^/?#]+/gi, '$1***');
}
