import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { SandboxIam, SessionCaller } from './iam.js';
import { closeServer, listenLocal } from './listen.js';
import type { LogRequest } from './requestLog.js';
import { sameSecret } from '../shared/text/sameSecret.js';

/** How long a sign-in token may wait before it is used, as on AWS. */
const TOKEN_TTL_MS = 15 * 60_000;
const SESSION_DURATION = { min: 900, max: 43_200 };

/** A token getSigninToken handed out, until it is used or expires. */
interface PendingSignin {
  session: SessionCaller;
  /** When the console session it opens ends. */
  consoleEndsAt: Date;
  expiresAt: Date;
  used: boolean;
}

class FederationError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The sandbox's AWS sign-in federation endpoint (what
 * signin.aws.amazon.com/federation is on AWS), reached through
 * AWS_ENDPOINT_URL_SIGNIN like every sandbox service:
 *
 *   GET /federation?Action=getSigninToken&Session={sessionId,sessionKey,sessionToken}[&SessionDuration=N]
 *       the credentials must be a live role session this sandbox's STS issued: key known,
 *       secret and token matching, unexpired; SessionDuration 900-43200 seconds, and refused
 *       for role-chained sessions, as AWS refuses it -> {"SigninToken": one-use, 15 minutes}
 *   GET /federation?Action=login&Issuer=..&Destination=..&SigninToken=..
 *       a valid token -> a stand-in console page naming the federated user (ROLE/SESSION),
 *       the account and the destination; a used, expired or unknown token is refused
 */
export async function startFederation(opts: {
  iam: SandboxIam;
  clock: () => Date;
  log: LogRequest;
  /** Default 0: a free one. */
  port?: number;
}): Promise<{ endpoint: string; close(): Promise<void> }> {
  const pending = new Map<string, PendingSignin>();
  const server = http.createServer((req, res) => {
    const now = opts.clock();
    for (const [token, p] of pending) if (p.expiresAt <= now) pending.delete(token);
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const query = url.searchParams;
    const action = query.get('Action') ?? 'Unknown';
    let callerArn: string | undefined;
    let sessionDuration: number | undefined;
    let status = 200;
    let errorCode: string | undefined;
    try {
      if (req.method !== 'GET' || url.pathname !== '/federation') {
        throw new FederationError(404, 'NotFound', 'The federation endpoint is /federation.');
      }
      if (action === 'getSigninToken') {
        const session = authenticateSession(opts.iam, query.get('Session'), now);
        callerArn = session.arn;
        sessionDuration = readSessionDuration(query.get('SessionDuration'), session);
        const token = randomBytes(48).toString('base64url');
        const consoleEndsAt = sessionDuration === undefined ? session.expiresAt : new Date(now.getTime() + sessionDuration * 1000);
        pending.set(token, { session, consoleEndsAt, expiresAt: new Date(now.getTime() + TOKEN_TTL_MS), used: false });
        const body = JSON.stringify({ SigninToken: token });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
        return void res.end(body);
      }
      if (action === 'login') {
        const p = pending.get(query.get('SigninToken') ?? '');
        if (!p) throw new FederationError(400, 'InvalidSigninToken', 'This sign-in link is not valid: the token is unknown or has expired. Sign in again from your identity provider.');
        callerArn = p.session.arn;
        if (p.used) throw new FederationError(400, 'UsedSigninToken', 'This sign-in link was already used. Sign in again from your identity provider.');
        p.used = true;
        return void sendPage(res, 200, consolePage(opts.iam.accountId, p, query.get('Destination') ?? '', query.get('Issuer') ?? ''));
      }
      throw new FederationError(400, 'InvalidAction', `Unknown action "${action}".`);
    } catch (err) {
      const e = err instanceof FederationError ? err : new FederationError(500, 'InternalFailure', 'The request processing has failed.');
      status = e.status;
      errorCode = e.code;
      // A broker's API call gets text; a browser following a sign-in link, a page.
      if (action === 'getSigninToken') sendText(res, e.status, `${e.code}: ${e.message}\n`);
      else sendPage(res, e.status, errorPage(e));
    } finally {
      opts.log({ time: now, service: 'signin', action, callerArn, status, errorCode, sessionDuration });
    }
  });
  const endpoint = await listenLocal(server, opts.port);
  return { endpoint, close: () => closeServer(server) };
}

/** The role session the Session parameter's credentials belong to; refuses anything else, as AWS does. */
function authenticateSession(iam: SandboxIam, sessionJson: string | null, now: Date): SessionCaller {
  let creds: { sessionId?: unknown; sessionKey?: unknown; sessionToken?: unknown };
  try {
    creds = JSON.parse(sessionJson ?? '');
  } catch {
    throw new FederationError(400, 'InvalidParameter', 'The Session parameter must be JSON with sessionId, sessionKey and sessionToken.');
  }
  const invalid = new FederationError(400, 'InvalidCredentials', 'The credentials in the Session parameter are not valid temporary credentials.');
  const caller = typeof creds.sessionId === 'string' ? iam.callerFor(creds.sessionId) : undefined;
  if (!caller || caller.kind !== 'session') throw invalid;
  if (!sameSecret(creds.sessionKey, caller.credentials.secretAccessKey) || !sameSecret(creds.sessionToken, caller.credentials.sessionToken)) throw invalid;
  if (caller.expiresAt <= now) throw new FederationError(400, 'ExpiredCredentials', 'The credentials in the Session parameter have expired.');
  return caller;
}

function readSessionDuration(text: string | null, session: SessionCaller): number | undefined {
  if (text === null) return undefined;
  const seconds = Number(text);
  if (!Number.isInteger(seconds) || seconds < SESSION_DURATION.min || seconds > SESSION_DURATION.max) {
    throw new FederationError(400, 'InvalidParameter', `SessionDuration must be between ${SESSION_DURATION.min} and ${SESSION_DURATION.max} seconds.`);
  }
  if (session.chained) throw new FederationError(400, 'InvalidParameter', 'SessionDuration cannot be used with credentials from role chaining.');
  return seconds;
}

function sendText(res: http.ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}

function sendPage(res: http.ServerResponse, status: number, body: string): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    'referrer-policy': 'no-referrer',
  });
  res.end(body);
}

/** The stand-in for the console: who is signed in, in which account, and where AWS would have taken them. */
function consolePage(accountId: string, p: PendingSignin, destination: string, issuer: string): string {
  const user = p.session.arn.slice(p.session.arn.indexOf('assumed-role/') + 'assumed-role/'.length);
  const account = accountId.replace(/^(\d{4})(\d{4})(\d{4})$/, '$1-$2-$3');
  const issuerLink = /^https?:\/\//.test(issuer) ? `<a id="issuer" href="${esc(issuer)}">${esc(issuer)}</a>` : `<span id="issuer">${esc(issuer)}</span>`;
  return page(
    'AWS Management Console (sandbox)',
    `<header><strong>AWS Management Console</strong> <em>local sandbox</em><span class="who"><span id="federated-user">${esc(user)}</span> @ ${account}</span></header>
<main>
<h1>Console Home</h1>
<p>Signed in through federated login as <strong id="signed-in-as">${esc(user)}</strong>.</p>
<dl>
<dt>Assumed role</dt><dd id="assumed-role-arn">${esc(p.session.arn)}</dd>
<dt>Destination</dt><dd id="destination">${esc(destination)}</dd>
<dt>Issuer</dt><dd>${issuerLink}</dd>
<dt>Console session ends</dt><dd id="session-ends">${p.consoleEndsAt.toISOString()}</dd>
</dl>
</main>`,
  );
}

function errorPage(e: FederationError): string {
  return page('Sign-in failed (sandbox)', `<main><h1>Sign-in failed</h1><p id="error" data-code="${esc(e.code)}">${esc(e.message)}</p></main>`);
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:0}header{background:#232f3e;color:#fff;padding:.6rem 1rem;display:flex;gap:1rem;flex-wrap:wrap}.who{margin-left:auto}main{padding:1rem}dt{font-weight:600}dd{margin:0 0 .6rem;word-break:break-all}</style>
</head><body>${body}</body></html>`;
}

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => entities[c]);
}
