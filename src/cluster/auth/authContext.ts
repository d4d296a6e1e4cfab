import { createHash } from 'node:crypto';
import type { Backend } from '../storage/backend.js';
import type { AuditLog } from './auditLog.js';
import type { LockWatcher } from './locks.js';
import type { CaType, CertAuthority } from './certAuthorities.js';
import type { Role, User } from '../../shared/resources/types.js';
import type { Identity } from '../../shared/identity/identity.js';
import { AccessChecker } from './accessChecker.js';
import { TshError } from '../../shared/errors.js';

/** What every auth operation works with; built once by the auth service. */
export interface AuthContext {
  backend: Backend;
  clock: () => Date;
  clusterName: string;
  secondFactor: 'off' | 'otp';
  cas: Record<CaType, CertAuthority>;
  audit: AuditLog;
  /** Public address of the proxy (host:port), for invite URLs and app addresses. */
  proxyPublicAddr: () => string;
  /** The locks in force, in memory, and who is told when they change. */
  locks: LockWatcher;
}

/** A user as stored: the resource plus its credentials and login state. */
export interface StoredUser {
  name: string;
  roles: string[];
  traits: Record<string, string[]>;
  createdAt: string;
  passwordHash?: string;
  totpSecret?: string;
  /** Last TOTP step used, so a code works once. */
  totpLastCounter?: number;
}

/** Who is calling the cluster API, and what their roles allow. */
export interface Caller {
  identity: Identity;
  checker: AccessChecker;
  /** The local administrator (tctl -c on the auth host) may do everything. */
  isAdmin: boolean;
}

/** Backend keys, kept in one place. */
export const keys = {
  user: (name: string) => `/users/${name}`,
  users: '/users/',
  role: (name: string) => `/roles/${name}`,
  roles: '/roles/',
  token: (token: string) => `/tokens/${token}`,
  tokens: '/tokens/',
  resetToken: (token: string) => `/usertokens/${token}`,
  appSession: (id: string) => `/appsessions/${id}`,
  appSessions: '/appsessions/',
  appServer: (app: string, hostId: string) => `/appservers/${app}/${hostId}`,
  appServers: '/appservers/',
  lock: (id: string) => `/locks/${id}`,
  locks: '/locks/',
  /** The login lockout's counter (see loginAttempts): a hash of the name, so any string a client sends makes a key of the same small size. */
  loginAttempts: (user: string) => `/loginattempts/${createHash('sha256').update(user).digest('hex')}`,
  /** Proxy heartbeats (see proxies.ts), one per auth+proxy instance. */
  proxy: (id: string) => `/proxies/${id}`,
  proxies: '/proxies/',
  /** Which proxies an app service has a tunnel to: one record per tunnel, written by the proxy holding it. */
  tunnel: (hostId: string, proxyId: string) => `/tunnels/${hostId}/${proxyId}`,
  tunnelsOf: (hostId: string) => `/tunnels/${hostId}/`,
  /** Keys app services handed out through relayed AssumeRole answers, per app session (see issuedKeyStore). */
  issuedKey: (sessionId: string, accessKeyId: string) => `/issuedkeys/${sessionId}/${accessKeyId}`,
  /** Web sessions and pending console launches, under a hash of the id the browser holds. */
  webSession: (idHash: string) => `/websessions/${idHash}`,
  webLaunch: (idHash: string) => `/weblaunches/${idHash}`,
};

/** The user as the `kind: user` resource administrators read and write. */
export function userResource(u: StoredUser): User {
  return { kind: 'user', version: 'v2', metadata: { name: u.name }, spec: { roles: u.roles, traits: u.traits } };
}

/** Loads roles by name; a missing role is skipped (it was deleted after the certificate was issued). */
export async function loadRoles(ctx: AuthContext, names: string[]): Promise<Role[]> {
  const out: Role[] = [];
  for (const n of names) {
    const item = await ctx.backend.get<Role>(keys.role(n));
    if (item) out.push(item.value);
  }
  return out;
}

/** Throws ACCESS_DENIED naming the verb unless the caller may do it. */
export function requireRule(caller: Caller, resource: string, verb: string): void {
  if (caller.isAdmin || caller.checker.can(resource, verb)) return;
  throw new TshError('ACCESS_DENIED', `access denied to perform action "${verb}" on "${resource}"`, {
    hint: `ask an administrator for a role that allows ${verb} on ${resource} (for example "editor")`,
  });
}
