/**
 * The AWS sign-in federation endpoint, as a custom identity broker uses it
 * to open an AWS Management Console session for a role session:
 *
 *   GET <federation>?Action=getSigninToken&Session={"sessionId","sessionKey","sessionToken"}[&SessionDuration=N]
 *       -> {"SigninToken": "..."}
 *   <federation>?Action=login&Issuer=<who signed the user in>&Destination=<console page>&SigninToken=<token>
 *       -> the console, signed in as the role session (valid 15 minutes, once)
 *
 * The federation host follows the partition of the app's console URI (see
 * shared/aws/endpoints); like every AWS endpoint the app service calls, it
 * honours the SDKs' variables, AWS_ENDPOINT_URL_SIGNIN then AWS_ENDPOINT_URL.
 * The temporary keys go to that endpoint only; the token is what travels on.
 */
import { TshError } from '../../shared/errors.js';
import { signinHostFor } from '../../shared/aws/endpoints.js';
import type { AwsCredentials } from '../../shared/sigv4/types.js';
import { endpointOverride } from './awsEndpoint.js';

/** SessionDuration's range, in seconds, as the federation endpoint accepts it. */
export const SESSION_DURATION_LIMITS = { min: 900, max: 43_200 };

const TIMEOUT_MS = 15_000;

/** The federation endpoint URL (`https://signin.aws.amazon.com/federation`, or under the override) for a console URI. */
export function federationUrl(consoleUri: string, env: NodeJS.ProcessEnv = process.env): string {
  const host = signinHostFor(consoleUri);
  if (!host) throw new TshError('BAD_INPUT', `"${consoleUri}" is not an AWS console URL`, { hint: 'AWS apps have a uri such as https://console.aws.amazon.com/home/home' });
  const override = endpointOverride('SIGNIN', env);
  if (!override) return `https://${host}/federation`;
  return `${override.protocol}//${override.host}${override.basePath}/federation`;
}

/**
 * Trades role-session credentials for a sign-in token. `sessionDurationSeconds`
 * sets the console session's length; leave it out for credentials from role
 * chaining, for which the endpoint refuses it (the session then lasts as long
 * as the credentials).
 */
export async function getSigninToken(federation: string, creds: AwsCredentials, sessionDurationSeconds?: number): Promise<string> {
  const query = new URLSearchParams({ Action: 'getSigninToken' });
  if (sessionDurationSeconds !== undefined) query.set('SessionDuration', String(sessionDurationSeconds));
  query.set('Session', JSON.stringify({ sessionId: creds.accessKeyId, sessionKey: creds.secretAccessKey, sessionToken: creds.sessionToken }));
  let res: Response;
  try {
    res = await fetch(`${federation}?${query}`, { redirect: 'error', signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (err) {
    // The URL carries the keys: name the endpoint, never the URL.
    throw new TshError('UNAVAILABLE', `cannot reach the AWS federation endpoint ${new URL(federation).host}: ${(err as Error).message}`);
  }
  const text = await res.text();
  if (!res.ok) {
    throw new TshError(res.status >= 500 ? 'UNAVAILABLE' : 'ACCESS_DENIED', `the AWS federation endpoint refused a console sign-in token (HTTP ${res.status}: ${readable(text)})`, {
      hint: 'check that the IAM role trusts the app service, and that the app service\'s AWS credentials may assume it',
    });
  }
  let token: unknown;
  try {
    token = (JSON.parse(text) as { SigninToken?: unknown }).SigninToken;
  } catch {
    token = undefined;
  }
  if (typeof token !== 'string' || !token) throw new TshError('UNAVAILABLE', 'the AWS federation endpoint answered without a SigninToken');
  return token;
}

/** The console sign-in URL for a token. */
export function signinUrl(federation: string, opts: { issuer: string; destination: string; token: string }): string {
  return `${federation}?${new URLSearchParams({ Action: 'login', Issuer: opts.issuer, Destination: opts.destination, SigninToken: opts.token })}`;
}

/** An error body as one short line of text (AWS answers some of these as HTML). */
function readable(body: string): string {
  const text = body
    .replace(/<(head|style|script)\b[^]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > 200 ? `${text.slice(0, 200)}…` : text || 'no details';
}
