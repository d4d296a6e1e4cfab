import { parseAuthorization } from './parseAuthorization.js';

/**
 * The region and service a request was signed for, read from its
 * Authorization header, or undefined when there is no usable header.
 *
 * Why: the app service re-signs each request for the same service and region
 * the client chose (the client knows which AWS API it called; the host name
 * alone is ambiguous for account-based and custom endpoints), and routing code
 * wants that without handling parse errors.
 */
export function readScope(authorization: string | undefined): { region: string; service: string } | undefined {
  try {
    const { region, service } = parseAuthorization(authorization);
    return { region, service };
  } catch {
    return undefined;
  }
}
