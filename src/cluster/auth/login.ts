/**
 * Password (+ one-time code) login: checks the credentials, applies the
 * lockout and any `tctl lock` on the user or their roles, and signs a user
 * certificate for the public key the client sent.
 * The private key never leaves the client.
 */
import { createPublicKey } from 'node:crypto';
import { TshError } from '../../shared/errors.js';
import { verifyTotp } from '../../shared/totp.js';
import type { Identity } from '../../shared/identity/identity.js';
import { keys, loadRoles, type AuthContext, type StoredUser } from './authContext.js';
import type { BatchOp } from '../storage/backend.js';
import { verifyPassword } from './passwords.js';
import { LOCKOUT_MS, MAX_FAILED_LOGINS, countAttempt, isLockedOut, lockIfLimitReached, lockedOutError } from './loginAttempts.js';
import { AccessChecker } from './accessChecker.js';
import { lockError } from './locks.js';
import { issueCertificate } from './certAuthorities.js';

/** Default login certificate lifetime, as in Teleport. */
export const DEFAULT_LOGIN_TTL_MS = 12 * 3_600_000;
/** A password login as the proxy's `POST /v1/webapi/login` hands it to the auth service. */
export interface LoginRequest {
  user: string;
  password: string;
  /** The one-time code; required when the cluster's second factor is `otp`. */
  otp?: string;
  /** SPKI PEM of the client's key. */
  publicKey: string;
  /** Requested lifetime; the roles' max_session_ttl caps it. */
  ttlMs?: number;
  /** Where the login came from, for the audit log: `tsh` (the default) or the proxy's `web` UI. */
  via?: 'tsh' | 'web';
}

/** What a successful login returns to the client. */
export interface LoginResult {
  cert: string;
  identity: Identity;
  userCa: string;
  hostCa: string;
  clusterName: string;
}

const badCredentials = () =>
  new TshError('BAD_CREDENTIALS', 'invalid user name, password or one-time code', {
    hint: `after ${MAX_FAILED_LOGINS} failed attempts the account is locked for ${LOCKOUT_MS / 60_000} minutes`,
  });

/** Logs a user in; see the module comment. */
export async function login(ctx: AuthContext, req: LoginRequest): Promise<LoginResult> {
  checkPublicKey(req.publicKey);
  const now = ctx.clock();
  const name = String(req.user ?? '');
  const attempt = await countAttempt(ctx, name);
  const user = (await ctx.backend.get<StoredUser>(keys.user(name)))?.value;
  // scrypt runs on every path (a dummy hash for unknown users), so locked, unknown and known names take the same time.
  const passwordOk = await verifyPassword(String(req.password ?? ''), user?.passwordHash);
  if (isLockedOut(attempt)) {
    await ctx.audit.emit('user.login.failure', { user: name, method: 'local', via: req.via ?? 'tsh', error: 'locked' });
    throw lockedOutError(name, attempt.until);
  }
  let counter: number | undefined;
  let otpOk = true;
  if (passwordOk && ctx.secondFactor === 'otp') {
    counter = user?.totpSecret ? verifyTotp(user.totpSecret, String(req.otp ?? ''), now, user.totpLastCounter ?? -1) : undefined;
    otpOk = counter !== undefined;
  }
  if (!user || !passwordOk || !otpOk) {
    await ctx.audit.emit('user.login.failure', { user: name, method: 'local', via: req.via ?? 'tsh', error: 'invalid credentials' });
    if (await lockIfLimitReached(ctx, name, attempt)) throw lockedOutError(name, attempt.until);
    throw badCredentials();
  }
  const ops: BatchOp[] = [{ op: 'delete', key: keys.loginAttempts(name) }];
  if (counter !== undefined) ops.push({ op: 'put', key: keys.user(user.name), value: { ...user, totpLastCounter: counter } });
  await ctx.backend.batch(ops);
  const lock = ctx.locks.lockFor({ username: user.name, roles: user.roles });
  if (lock) {
    await ctx.audit.emit('user.login.failure', { user: name, method: 'local', via: req.via ?? 'tsh', error: 'locked', lock: lock.metadata.name });
    throw lockError(lock);
  }

  const roles = await loadRoles(ctx, user.roles);
  const checker = new AccessChecker(roles, user.traits);
  const ttl = Math.min(req.ttlMs && req.ttlMs > 0 ? req.ttlMs : DEFAULT_LOGIN_TTL_MS, checker.maxSessionTtlMs());
  const notAfter = new Date(now.getTime() + ttl);
  const identity: Identity = {
    kind: 'user',
    username: user.name,
    cluster: ctx.clusterName,
    roles: user.roles,
    traits: user.traits,
    awsRoleArns: checker.awsRoleArns(),
    expires: notAfter.toISOString(),
  };
  const cert = issueCertificate(ctx.cas.user, { identity, publicKey: req.publicKey, notBefore: new Date(now.getTime() - 60_000), notAfter, usage: 'client' });
  await ctx.audit.emit('user.login', { user: user.name, method: 'local', via: req.via ?? 'tsh', success: true });
  return { cert, identity, userCa: ctx.cas.user.certPem, hostCa: ctx.cas.host.certPem, clusterName: ctx.clusterName };
}

/** Refuses anything but a well-formed public key, so no private key is ever accepted by mistake. */
export function checkPublicKey(pem: string): void {
  if (typeof pem !== 'string' || /PRIVATE KEY/.test(pem)) throw new TshError('BAD_INPUT', 'the request must carry a public key');
  try {
    createPublicKey(pem);
  } catch {
    throw new TshError('BAD_INPUT', 'the request carries an unreadable public key');
  }
}
