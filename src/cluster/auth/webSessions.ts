/**
 * Web sessions: how the proxy's web UI keeps a user signed in.
 *
 * Signing in goes through the same login code as `tsh login` (password, the
 * one-time code, the lockout after repeated failures, the same audit event
 * marked `via: web`). The session is a server-side record holding the
 * login's identity and a CSRF token, found by a random id that the browser
 * keeps in a cookie; the record is stored under a hash of that id, so the
 * backend never holds a cookie value someone could replay. Deleting the
 * record ends the session at once, wherever the cookie is.
 *
 * A session may act only while {@link mayAct} says so: until the login
 * expires, while the user exists, and while no lock targets the user or one
 * of their roles.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Identity } from '../../shared/identity/identity.js';
import { generateKeyPair } from '../../shared/pki/generateKeyPair.js';
import { sameSecret } from '../../shared/text/sameSecret.js';
import { keys, type AuthContext } from './authContext.js';
import { login } from './login.js';

/** A signed-in browser, as stored. */
export interface WebSession {
  user: string;
  /** The login's identity (kind `user`): roles, traits, expiry. */
  identity: Identity;
  /** Every state-changing request of this session carries it. */
  csrfToken: string;
  created: string;
  /** The login's expiry: the session ends then. */
  expires: string;
}

/** Why a session ended. */
export type WebSessionEnd = 'signed out' | 'expired' | 'user removed' | 'locked';

/** The outcome of looking a cookie up: a session that may act, why it may not, or nothing at all. */
export type WebSessionCheck = { session: WebSession; ended?: undefined } | { session?: undefined; ended: WebSessionEnd | 'unknown' };

/** An ended session's record is kept this long past its expiry, so the UI can say why the user must sign in again. */
const KEEP_AFTER_EXPIRY_MS = 3_600_000;
/** A console launch must be followed within this time. */
export const LAUNCH_TTL_MS = 60_000;

const hash = (id: string) => createHash('sha256').update(id).digest('hex');
/** A new random id for a browser to hold (a session, a launch, a form token): 256 bits, base64url. */
export const randomId = (): string => randomBytes(32).toString('base64url');
/** True for the shape {@link randomId} makes: anything else is not looked up at all. */
export const validId = (id: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(id);

/**
 * Signs a user in (see the module comment) and stores the session. Throws
 * the login's own errors: BAD_CREDENTIALS (one message for every wrong
 * part) and LOCKED.
 */
export async function signIn(ctx: AuthContext, req: { user: string; password: string; otp?: string }): Promise<{ id: string; session: WebSession }> {
  // The login signs a certificate for a key; the web session keeps only the identity, so the key is thrown away.
  const { publicKey } = await generateKeyPair();
  const result = await login(ctx, { user: req.user, password: req.password, otp: req.otp, publicKey, via: 'web' });
  const id = randomId();
  const session: WebSession = {
    user: result.identity.username,
    identity: result.identity,
    csrfToken: randomId(),
    created: ctx.clock().toISOString(),
    expires: result.identity.expires,
  };
  await ctx.backend.create(keys.webSession(hash(id)), session, { expires: new Date(Date.parse(session.expires) + KEEP_AFTER_EXPIRY_MS) });
  return { id, session };
}

/** The session a cookie refers to, if it may still act; a session that may not is ended here, with the reason. */
export async function checkWebSession(ctx: AuthContext, id: string): Promise<WebSessionCheck> {
  const item = validId(id) ? await ctx.backend.get<WebSession>(keys.webSession(hash(id))) : undefined;
  if (!item) return { ended: 'unknown' };
  const ended = await mayAct(ctx, item.value);
  if (!ended) return { session: item.value };
  await endWebSession(ctx, id, ended);
  return { ended };
}

/**
 * The one place that decides whether a web session may still act: undefined
 * when it may, else why not. The login must not have expired, the user
 * must still exist, and no lock may target the user or one of their roles
 * (a lock ends the session; signing in again is refused while it lasts).
 */
export async function mayAct(ctx: AuthContext, session: WebSession): Promise<WebSessionEnd | undefined> {
  if (Date.parse(session.expires) <= ctx.clock().getTime()) return 'expired';
  if (ctx.locks.lockFor(session.identity)) return 'locked';
  if (!(await ctx.backend.get(keys.user(session.user)))) return 'user removed';
  return undefined;
}

/** Ends a session (sign-out, or {@link mayAct} said no); ending one already gone does nothing. */
export async function endWebSession(ctx: AuthContext, id: string, reason: WebSessionEnd): Promise<void> {
  if (!validId(id)) return;
  const key = keys.webSession(hash(id));
  const item = await ctx.backend.get<WebSession>(key);
  if (!item || !(await ctx.backend.delete(key))) return;
  await ctx.audit.emit('web.session.end', { user: item.value.user, reason });
}

/** True when a form's CSRF token is this session's (compared in constant time). */
export function csrfTokenMatches(session: WebSession, token: unknown): boolean {
  return sameSecret(token, session.csrfToken);
}

/** A console launch the session asked for, to be followed once within {@link LAUNCH_TTL_MS}. */
export interface PendingLaunch {
  /** Hash of the session that asked: no other session may follow it. */
  session: string;
  app: string;
  awsRoleArn: string;
}

/** Records a launch and returns its one-use id. */
export async function recordLaunch(ctx: AuthContext, sessionId: string, launch: { app: string; awsRoleArn: string }): Promise<string> {
  const id = randomId();
  const pending: PendingLaunch = { session: hash(sessionId), ...launch };
  await ctx.backend.create(keys.webLaunch(hash(id)), pending, { expires: new Date(ctx.clock().getTime() + LAUNCH_TTL_MS) });
  return id;
}

/** Takes a recorded launch for this session, once: a second take, another session's, or an expired one gets undefined. */
export async function takeLaunch(ctx: AuthContext, sessionId: string, launchId: string): Promise<{ app: string; awsRoleArn: string } | undefined> {
  if (!validId(launchId)) return undefined;
  const key = keys.webLaunch(hash(launchId));
  const item = await ctx.backend.get<PendingLaunch>(key);
  // Whoever deletes it first has it: two tabs following the same link cannot both launch.
  if (!item || !(await ctx.backend.delete(key)) || item.value.session !== hash(sessionId)) return undefined;
  return { app: item.value.app, awsRoleArn: item.value.awsRoleArn };
}
