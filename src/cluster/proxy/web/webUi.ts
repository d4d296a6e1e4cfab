/**
 * The web UI, served by the proxy under /web on its web port: pages
 * rendered on the server, one style sheet and one small script of our own.
 *
 *   GET  /web                       -> Applications, or the sign-in page
 *   GET  /web/login                 sign-in (user, password, one-time code)
 *   POST /web/login                 -> web session cookie, Applications
 *   POST /web/logout                session ended, cookie cleared
 *   GET  /web/apps[?q=]             the apps the user's roles allow, with Launch
 *   GET  /web/apps/<app>            the IAM role picker of an AWS app
 *   POST /web/launch                (app, role) -> /web/launch/<one-use id>
 *   GET  /web/launch/<id>           app session + console sign-in URL (see ../appConsole.ts)
 *   GET  /web/audit                 the audit trail (users who may list events)
 *   GET  /web/invite/<token>        set a password through an invite or reset link
 *   GET  /web/assets/<hash>/<file>  the style sheet and scripts
 *
 * Every POST needs an Origin of this proxy and a CSRF token (the session's,
 * or before sign-in the one in the login cookie). Every page carries the
 * headers of security.ts and is never cached. The pages call the same
 * cluster code as `tsh` and `tctl` (listing apps, opening app sessions,
 * searching the audit log), with the session's user as the caller.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { TshError } from '../../../shared/errors.js';
import { generateKeyPair } from '../../../shared/pki/generateKeyPair.js';
import { pemToDer } from '../../../shared/pki/readCertificate.js';
import { parseRoleArn } from '../../../shared/aws/roleArn.js';
import { sameSecret } from '../../../shared/text/sameSecret.js';
import type { AppListing } from '../../../shared/api/types.js';
import type { AuthService } from '../../auth/authService.js';
import type { Caller } from '../../auth/authContext.js';
import { AuditEventCodes } from '../../auth/auditLog.js';
import { createAppSession } from '../../auth/apps.js';
import { checkWebSession, csrfTokenMatches, endWebSession, randomId, recordLaunch, signIn, takeLaunch, validId, type WebSession, type WebSessionEnd } from '../../auth/webSessions.js';
import type { Logger } from '../../logger.js';
import type { TunnelRegistry } from '../tunnelRegistry.js';
import { requestConsoleSignin } from '../appConsole.js';
import { invitePage } from './pages/invitePage.js';
import { assetAt, ASSET_PREFIX } from './assets/index.js';
import { clearedCookie, csrfRefusal, LOGIN_COOKIE, readCookies, readForm, secretCookie, SESSION_COOKIE, setSecurityHeaders } from './security.js';
import type { PageUser } from './layout.js';
import { loginPage } from './pages/loginPage.js';
import { appsPage } from './pages/appsPage.js';
import { rolePickerPage } from './pages/rolePickerPage.js';
import { launchPage } from './pages/launchPage.js';
import { auditPage, AUDIT_RANGES } from './pages/auditPage.js';
import { messagePage } from './pages/messagePage.js';

/** What the web UI needs from the proxy around it. */
export interface WebUiOptions {
  auth: AuthService;
  /** Where app services are reached, for console launches. */
  tunnels: TunnelRegistry;
  publicAddr: () => string;
  log: Logger;
}

/** A request from a signed-in browser. */
interface SignedIn {
  id: string;
  session: WebSession;
  caller: Caller;
  user: PageUser;
}

/** The login cookie (the sign-in form's CSRF token) lives this long. */
const LOGIN_FORM_TTL_MS = 3_600_000;
/** The Audit page shows at most this many events. */
const AUDIT_LIMIT = 500;

const endedNotice: Record<WebSessionEnd, string> = {
  'signed out': 'You have signed out.',
  expired: 'Your session expired. Sign in again.',
  'user removed': 'Your session has ended: your account was removed.',
  locked: 'Your session has ended: an administrator locked your access. Ask them to lift the lock (tctl rm lock/ID).',
};

/** Builds the handler for every path under /web. */
export function createWebUi(o: WebUiOptions): (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> {
  const { auth } = o;
  const ctx = auth.ctx;
  const clusterName = ctx.clusterName;

  return async (req, res, url) => {
    const path = url.pathname;
    const asset = req.method === 'GET' && path.startsWith(ASSET_PREFIX) ? assetAt(path) : undefined;
    setSecurityHeaders(res, { cache: asset ? 'immutable' : 'none' });
    let signed: SignedIn | undefined;
    try {
      if (asset) {
        res.writeHead(200, { 'content-type': asset.type, 'content-length': asset.body.length });
        return void res.end(asset.body);
      }
      const invite = /^\/web\/invite\/[^/]+$/.test(path);
      if (req.method === 'GET' && invite) return sendPage(res, 200, invitePage(o.publicAddr(), clusterName));
      if (path === '/web/login') return req.method === 'POST' ? await signInPost(req, res) : await signInPage(req, res, { ended: url.searchParams.get('ended') });
      if (req.method === 'GET' && (path === '/web' || path === '/web/')) return redirect(res, '/web/apps');

      const s = await signedIn(req);
      if ('ended' in s) return toSignIn(res, s.ended);
      signed = s;
      const form = req.method === 'POST' ? await csrfCheckedForm(req, s) : new URLSearchParams();
      if (path === '/web/logout' && req.method === 'POST') return await signOut(res, s);
      if (path === '/web/apps' && req.method === 'GET') return await apps(res, s, url.searchParams.get('q') ?? '');
      const appMatch = /^\/web\/apps\/([^/]+)$/.exec(path);
      if (appMatch && req.method === 'GET') return await rolePicker(res, s, decodePathPart(appMatch[1]));
      if (path === '/web/launch' && req.method === 'POST') return await recordLaunchPost(res, s, form);
      const launchMatch = /^\/web\/launch\/([^/]+)$/.exec(path);
      if (launchMatch && req.method === 'GET') return await followLaunch(res, s, launchMatch[1]);
      if (path === '/web/audit' && req.method === 'GET') return await audit(res, s, url.searchParams);
      throw new TshError('NOT_FOUND', `there is no page at ${path}`);
    } catch (err) {
      req.resume();
      const e = err instanceof TshError ? err : new TshError('INTERNAL', 'something went wrong in the proxy; see its log');
      if (!(err instanceof TshError)) o.log.error('WEB', `${req.method} ${path} failed: ${(err as Error)?.stack ?? err}`);
      sendPage(res, e.httpStatus, messagePage({ clusterName, user: signed?.user, title: titleFor(e), message: e.message, hint: e.hint }));
    }
  };

  /** The session behind the cookie, if it may still act (see auth/webSessions mayAct), with the user as the cluster API sees them. */
  async function signedIn(req: IncomingMessage): Promise<SignedIn | { ended: WebSessionEnd | 'unknown' }> {
    const id = readCookies(req)[SESSION_COOKIE] ?? '';
    const check = await checkWebSession(ctx, id);
    if (!check.session) return { ended: check.ended };
    const caller = await auth.callerFor(check.session.identity);
    const user: PageUser = { name: check.session.user, roles: check.session.identity.roles, canAudit: caller.checker.can('event', 'list'), csrfToken: check.session.csrfToken };
    return { id, session: check.session, caller, user };
  }

  /** A state-changing request's form, once its Origin and CSRF token are checked. */
  async function csrfCheckedForm(req: IncomingMessage, s: SignedIn): Promise<URLSearchParams> {
    const form = await readForm(req);
    if (!csrfTokenMatches(s.session, form.get('csrf'))) throw csrfRefusal();
    return form;
  }

  async function signInPage(req: IncomingMessage, res: ServerResponse, opts: { ended?: string | null; failed?: { user: string; error: string; status: number } }): Promise<void> {
    const failed = opts.failed;
    if (!failed) {
      const s = await signedIn(req);
      if (!('ended' in s)) return redirect(res, '/web/apps');
    }
    const notice = opts.ended && Object.hasOwn(endedNotice, opts.ended) ? endedNotice[opts.ended as WebSessionEnd] : undefined;
    const token = loginFormToken(req);
    res.setHeader('set-cookie', secretCookie(LOGIN_COOKIE, token, new Date(Date.now() + LOGIN_FORM_TTL_MS)));
    sendPage(
      res,
      failed?.status ?? 200,
      loginPage({ clusterName, proxyAddr: o.publicAddr(), csrfToken: token, secondFactor: ctx.secondFactor, user: failed?.user, error: failed?.error, notice }),
    );
  }

  async function signInPost(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = await readForm(req);
    const expected = readCookies(req)[LOGIN_COOKIE] ?? '';
    if (!sameSecret(form.get('csrf'), expected)) throw csrfRefusal();
    const user = (form.get('user') ?? '').trim();
    try {
      const { id, session } = await signIn(ctx, { user, password: form.get('password') ?? '', otp: form.get('otp') ?? undefined });
      res.setHeader('set-cookie', [secretCookie(SESSION_COOKIE, id, new Date(session.expires)), clearedCookie(LOGIN_COOKIE)]);
      return redirect(res, '/web/apps');
    } catch (err) {
      if (!(err instanceof TshError) || !['BAD_CREDENTIALS', 'LOCKED', 'BAD_INPUT'].includes(err.code)) throw err;
      const error = [err.code === 'BAD_CREDENTIALS' ? 'invalid user name, password or one-time code' : err.message, err.hint].filter(Boolean).map((t) => sentence(t!)).join(' ');
      return signInPage(req, res, { failed: { user, error, status: err.httpStatus } });
    }
  }

  async function signOut(res: ServerResponse, s: SignedIn): Promise<void> {
    await endWebSession(ctx, s.id, 'signed out');
    res.setHeader('set-cookie', clearedCookie(SESSION_COOKIE));
    redirect(res, '/web/login?ended=signed%20out');
  }

  async function listing(s: SignedIn): Promise<AppListing[]> {
    return auth.call('apps.list', s.caller, {});
  }

  async function findApp(s: SignedIn, name: string): Promise<AppListing> {
    const app = (await listing(s)).find((a) => a.name === name);
    if (!app) throw new TshError('NOT_FOUND', `app "${name}" not found`, { hint: 'the apps your roles allow are listed under Applications' });
    return app;
  }

  async function apps(res: ServerResponse, s: SignedIn, query: string): Promise<void> {
    sendPage(res, 200, appsPage({ clusterName, user: s.user, apps: await listing(s), query }));
  }

  async function rolePicker(res: ServerResponse, s: SignedIn, name: string): Promise<void> {
    const app = await findApp(s, name);
    requireAwsApp(app);
    sendPage(res, 200, rolePickerPage({ clusterName, user: s.user, app }));
  }

  async function recordLaunchPost(res: ServerResponse, s: SignedIn, form: URLSearchParams): Promise<void> {
    const app = await findApp(s, form.get('app') ?? '');
    requireAwsApp(app);
    const role = form.get('role') ?? '';
    if (!app.awsRoleArns.includes(role)) {
      throw new TshError('ACCESS_DENIED', `IAM role "${role}" is not allowed for you on app "${app.name}"`, { hint: 'pick one of the roles the role picker lists' });
    }
    redirect(res, `/web/launch/${await recordLaunch(ctx, s.id, { app: app.name, awsRoleArn: role })}`);
  }

  async function followLaunch(res: ServerResponse, s: SignedIn, launchId: string): Promise<void> {
    const launch = await takeLaunch(ctx, s.id, launchId);
    if (!launch) {
      throw new TshError('NOT_FOUND', 'this launch link has already been used or has expired', { hint: 'launch the app again from Applications' });
    }
    // The same app session `tsh apps login` opens; its certificate is for this one request, and its key is never kept.
    const { publicKey } = await generateKeyPair();
    const { cert } = await createAppSession(ctx, s.caller, { app: launch.app, awsRoleArn: launch.awsRoleArn, publicKey, via: 'web' });
    const signinUrl = await requestConsoleSignin(o.tunnels, launch.app, pemToDer(cert));
    sendPage(res, 200, launchPage({ clusterName, user: s.user, app: launch.app, roleName: parseRoleArn(launch.awsRoleArn)?.displayName ?? launch.awsRoleArn, signinUrl }));
  }

  async function audit(res: ServerResponse, s: SignedIn, query: URLSearchParams): Promise<void> {
    if (!s.user.canAudit) {
      throw new TshError('ACCESS_DENIED', 'your roles do not allow reading the audit log', { hint: 'ask an administrator for the auditor role' });
    }
    const eventTypes = Object.keys(AuditEventCodes).sort();
    const type = eventTypes.includes(query.get('type') ?? '') ? query.get('type')! : '';
    const since = AUDIT_RANGES.some((r) => r.value === query.get('since')) ? query.get('since')! : '24h';
    const user = (query.get('user') ?? '').trim();
    const found = (await auth.call('audit.search', s.caller, { since, event: type || undefined })).filter((e) => !user || e.user === user).reverse();
    sendPage(res, 200, auditPage({ clusterName, user: s.user, filters: { type, user, since }, eventTypes, events: found.slice(0, AUDIT_LIMIT), truncatedAt: found.length > AUDIT_LIMIT ? AUDIT_LIMIT : undefined }));
  }
}

/** The sign-in form's CSRF token: the one in the browser's login cookie, or a new one. */
function loginFormToken(req: IncomingMessage): string {
  const existing = readCookies(req)[LOGIN_COOKIE];
  return existing && validId(existing) ? existing : randomId();
}

/** A percent-encoded path segment; a malformed one names no page. */
function decodePathPart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new TshError('NOT_FOUND', 'there is no such page');
  }
}

/** Only AWS console apps are launched; other web apps are not proxied by tsh-aws. */
function requireAwsApp(app: AppListing): void {
  if (app.aws) return;
  throw new TshError('BAD_INPUT', `"${app.name}" is not an AWS console app, so it cannot be launched here (its URI is ${app.uri})`, {
    hint: 'tsh-aws opens the AWS Management Console for AWS apps; it does not proxy other web apps',
  });
}

function titleFor(e: TshError): string {
  switch (e.code) {
    case 'ACCESS_DENIED':
      return 'Not allowed';
    case 'NOT_FOUND':
      return 'Not found';
    case 'BAD_INPUT':
      return 'Cannot do that';
    case 'UNAVAILABLE':
      return 'Not available right now';
    case 'SESSION_EXPIRED':
      return 'Session too short';
    default:
      return 'Something went wrong';
  }
}

function toSignIn(res: ServerResponse, ended: WebSessionEnd | 'unknown'): void {
  res.setHeader('set-cookie', clearedCookie(SESSION_COOKIE));
  redirect(res, ended === 'unknown' ? '/web/login' : `/web/login?ended=${encodeURIComponent(ended)}`);
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(303, { location, 'content-length': 0 });
  res.end();
}

function sendPage(res: ServerResponse, status: number, body: string): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** Text as a sentence: a capital first, a full stop last. */
function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1) + (/[.!?]$/.test(text) ? '' : '.');
}
