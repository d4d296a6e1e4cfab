/**
 * Password (+ one-time code) login: checks the credentials, applies the
 * lockout, and signs a user certificate for the public key the client sent.
 * The private key never leaves the client.
 */
import { createPublicKey } from 'node:crypto';
import { TshError } from '../../shared/errors.js';
import { verifyTotp } from '../../shared/totp.js';
import type { Identity } from '../../shared/identity/identity.js';
import { keys, loadRoles, type AuthContext, type StoredUser } from './authContext.js';
import { verifyPassword } from './passwords.js';
import { AccessChecker } from './accessChecker.js';
import { issueCertificate } from './certAuthorities.js';

/** Default login certificate lifetime, as in Teleport. */
export const DEFAULT_LOGIN_TTL_MS = 12 * 3_600_000;
/** Failed logins within the window that lock the account. */
export const MAX_FAILED_LOGINS = 5;
/** How far back failed logins count towards the lockout, and how long a locked account stays locked. */
export const LOCKOUT_MS = 30 * 60_000;

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
  const item = await ctx.backend.get<StoredUser>(keys.user(req.user));
  const user = item?.value;
  if (user?.lockedUntil && Date.parse(user.lockedUntil) > now.getTime()) {
    await ctx.audit.emit('user.login.failure', { user: req.user, method: 'local', via: req.via ?? 'tsh', error: 'locked' });
    throw lockedError(user);
  }
  const passwordOk = await verifyPassword(String(req.password ?? ''), user?.passwordHash);
  let counter: number | undefined;
  let otpOk = true;
  if (passwordOk && ctx.secondFactor === 'otp') {
    counter = user?.totpSecret ? verifyTotp(user.totpSecret, String(req.otp ?? ''), now, user.totpLastCounter ?? -1) : undefined;
    otpOk = counter !== undefined;
  }
  if (!user || !passwordOk || !otpOk) {
    await ctx.audit.emit('user.login.failure', { user: req.user, method: 'local', via: req.via ?? 'tsh', error: 'invalid credentials' });
    if (user) {
      const recent = (user.failedLogins ?? []).filter((t) => t > now.getTime() - LOCKOUT_MS);
      recent.push(now.getTime());
      user.failedLogins = recent;
      if (recent.length >= MAX_FAILED_LOGINS) {
        user.lockedUntil = new Date(now.getTime() + LOCKOUT_MS).toISOString();
        await ctx.backend.put(keys.user(user.name), user);
        throw lockedError(user);
      }
      await ctx.backend.put(keys.user(user.name), user);
    }
    throw badCredentials();
  }
  user.failedLogins = [];
  delete user.lockedUntil;
  if (counter !== undefined) user.totpLastCounter = counter;
  await ctx.backend.put(keys.user(user.name), user);

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

function lockedError(user: StoredUser): TshError {
  const until = new Date(user.lockedUntil!);
  return new TshError('LOCKED', `user "${user.name}" is locked until ${until.toISOString().slice(11, 16)} UTC after ${MAX_FAILED_LOGINS} failed login attempts`, {
    hint: `wait ${LOCKOUT_MS / 60_000} minutes, or ask an administrator to run \`tctl users reset ${user.name}\``,
  });
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
