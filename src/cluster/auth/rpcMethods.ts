/**
 * The cluster API: one entry per method of the contract
 * (shared/api/clusterApi), each checking who may call it and what it was
 * sent. Clients reach it as `POST /v1/rpc/<method>` with a JSON body, over
 * mTLS; the transport authenticates, these functions authorise.
 */
import { TshError } from '../../shared/errors.js';
import { parseDuration } from '../../shared/duration.js';
import type { ApiMethod, ApiParams, ApiResult, EmittedEvent, Untrusted } from '../../shared/api/clusterApi.js';
import type { AppServerSpec, IssuedKeyRecord, TokenRecord } from '../../shared/api/types.js';
import { keys, loadRoles, requireRule, type AuthContext, type Caller, type StoredUser } from './authContext.js';
import { clusterStatus } from './certAuthorities.js';
import { createResources, deleteResource, getResources } from './resources.js';
import { addUser, getUser, inviteUrl, requireRolesExist, resetUser, traitWarnings } from './users.js';
import { addToken } from './tokens.js';
import { createAppSession, deleteAppSession, heartbeatApps, listAppServersForAdmin, listApps, renewAppCert } from './apps.js';
import { RESET_TOKEN_TTL_MS } from './users.js';
import { APP_SERVICE_EVENTS } from './auditLog.js';
import { lockedUntil } from './loginAttempts.js';
import { createLock } from './locks.js';
import { listProxies } from './proxies.js';
import { findIssuedKey, recordIssuedKey } from './issuedKeyStore.js';

type Method<M extends ApiMethod> = (ctx: AuthContext, caller: Caller, params: Untrusted<ApiParams<M>>) => Promise<ApiResult<M>>;
/** The implementations, one for every method of the contract (the compiler checks that none is missing). */
type Methods = { [M in ApiMethod]: Method<M> };

const requireUserOrAdmin = (caller: Caller) => {
  if (caller.identity.kind !== 'user' && caller.identity.kind !== 'admin') throw new TshError('ACCESS_DENIED', 'this API is for users and administrators');
};
const requireHost = (caller: Caller, role: 'app' | 'proxy') => {
  if (caller.identity.kind !== 'host' || caller.identity.hostRole !== role) throw new TshError('ACCESS_DENIED', `this API is for ${role} services`);
};
/** True when the caller may see the cluster's inner workings (its proxies). */
const mayReadCluster = (caller: Caller) => caller.isAdmin || caller.checker.can('cluster', 'read');

const str = (v: unknown, what: string): string => {
  if (typeof v !== 'string' || !v) throw new TshError('BAD_INPUT', `missing ${what}`);
  return v;
};
const optStr = (v: unknown, what: string): string | undefined => {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new TshError('BAD_INPUT', `${what} must be a string`);
  return v;
};
const optNum = (v: unknown, what: string): number | undefined => {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new TshError('BAD_INPUT', `${what} must be a number`);
  return v;
};
const strList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String).map((s) => s.trim()).filter(Boolean) : []);
const list = <T>(v: unknown, what: string): T[] => {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new TshError('BAD_INPUT', `${what} must be a list`);
  return v as T[];
};

/** Every cluster API method by name; AuthService.call looks methods up here, and a name not in this table is an unknown method. */
export const rpcMethods: Methods = {
  async 'cluster.status'(ctx, caller) {
    requireUserOrAdmin(caller);
    return { ...clusterStatus(ctx), ...(mayReadCluster(caller) && { proxies: await listProxies(ctx) }) };
  },
  async 'proxies.list'(ctx, caller) {
    requireUserOrAdmin(caller);
    requireRule(caller, 'cluster', 'read');
    return listProxies(ctx);
  },

  async 'resources.create'(ctx, caller, p) {
    requireUserOrAdmin(caller);
    return createResources(ctx, caller, list(p.docs, 'docs'), Boolean(p.overwrite));
  },
  async 'resources.get'(ctx, caller, p) {
    requireUserOrAdmin(caller);
    return getResources(ctx, caller, str(p.kind, 'kind'), optStr(p.name, 'name'));
  },
  async 'resources.delete'(ctx, caller, p) {
    requireUserOrAdmin(caller);
    await deleteResource(ctx, caller, str(p.kind, 'kind'), str(p.name, 'name'));
    return {};
  },

  async 'users.add'(ctx, caller, p) {
    requireUserOrAdmin(caller);
    requireRule(caller, 'user', 'create');
    const traits: Record<string, string[]> = {};
    const arns = strList(p.awsRoleArns);
    if (arns.length) traits.aws_role_arns = arns;
    const rt = await addUser(ctx, { name: str(p.name, 'user name'), roles: strList(p.roles), traits, by: caller.identity.username });
    return { user: rt.user, inviteUrl: inviteUrl(ctx, rt.token), expires: rt.expires, ttl: RESET_TOKEN_TTL_MS, warnings: traitWarnings(rt.user, traits) };
  },
  async 'users.update'(ctx, caller, p) {
    requireUserOrAdmin(caller);
    requireRule(caller, 'user', 'update');
    const u = await getUser(ctx, str(p.name, 'user name'));
    if (p.roles !== undefined) {
      const roles = strList(p.roles);
      if (roles.length === 0) throw new TshError('BAD_INPUT', 'a user needs at least one role');
      await requireRolesExist(ctx, roles);
      u.roles = roles;
    }
    if (p.awsRoleArns !== undefined) u.traits = { ...u.traits, aws_role_arns: strList(p.awsRoleArns) };
    await ctx.backend.put(keys.user(u.name), u);
    await ctx.audit.emit('user.update', { user: caller.identity.username, name: u.name, roles: u.roles });
    return { user: u.name, roles: u.roles, traits: u.traits, warnings: traitWarnings(u.name, u.traits) };
  },
  async 'users.list'(ctx, caller) {
    requireUserOrAdmin(caller);
    requireRule(caller, 'user', 'list');
    const users = (await ctx.backend.getRange<StoredUser>(keys.users)).map((i) => i.value);
    return Promise.all(
      users.map(async (u) => ({
        name: u.name,
        roles: u.roles,
        traits: u.traits,
        created: u.createdAt,
        hasPassword: Boolean(u.passwordHash),
        lockedUntil: (await lockedUntil(ctx, u.name))?.toISOString(),
      })),
    );
  },
  async 'users.delete'(ctx, caller, p) {
    requireUserOrAdmin(caller);
    await deleteResource(ctx, caller, 'user', str(p.name, 'user name'));
    return {};
  },
  async 'users.reset'(ctx, caller, p) {
    requireUserOrAdmin(caller);
    requireRule(caller, 'user', 'update');
    const rt = await resetUser(ctx, str(p.name, 'user name'), caller.identity.username);
    return { user: rt.user, inviteUrl: inviteUrl(ctx, rt.token), expires: rt.expires, ttl: RESET_TOKEN_TTL_MS };
  },

  async 'tokens.add'(ctx, caller, p) {
    requireUserOrAdmin(caller);
    requireRule(caller, 'token', 'create');
    const ttl = optStr(p.ttl, 'token TTL');
    const ttlMs = ttl ? parseDuration(ttl, 'token TTL') : undefined;
    const token = await addToken(ctx, { type: str(p.type, 'token type'), ttlMs, appName: optStr(p.appName, 'app name'), appUri: optStr(p.appUri, 'app URI'), by: caller.identity.username });
    return { ...token, proxyAddr: ctx.proxyPublicAddr(), caPin: clusterStatus(ctx).caPin };
  },
  async 'tokens.list'(ctx, caller) {
    requireUserOrAdmin(caller);
    return (await getResources(ctx, caller, 'token')) as TokenRecord[];
  },
  async 'tokens.delete'(ctx, caller, p) {
    requireUserOrAdmin(caller);
    await deleteResource(ctx, caller, 'token', str(p.token, 'token'));
    return {};
  },

  async 'locks.create'(ctx, caller, p) {
    requireUserOrAdmin(caller);
    requireRule(caller, 'lock', 'create');
    const opt = (v: unknown) => (v === undefined || v === null ? undefined : String(v));
    return createLock(ctx, caller.identity.username, { user: opt(p.user), role: opt(p.role), message: opt(p.message), ttl: opt(p.ttl), expires: opt(p.expires) });
  },
  async 'locks.list'(ctx, caller) {
    requireUserOrAdmin(caller);
    return (await getResources(ctx, caller, 'lock')) as ApiResult<'locks.list'>;
  },

  async 'apps.list'(ctx, caller) {
    requireUserOrAdmin(caller);
    return listApps(ctx, caller);
  },
  async 'appServers.list'(ctx, caller) {
    requireUserOrAdmin(caller);
    requireRule(caller, 'app_server', 'list');
    return listAppServersForAdmin(ctx);
  },
  async 'appServers.heartbeat'(ctx, caller, p) {
    requireHost(caller, 'app');
    await heartbeatApps(ctx, caller, list<AppServerSpec>(p.servers, 'servers'));
    return {};
  },
  async 'appSessions.create'(ctx, caller, p) {
    return createAppSession(ctx, caller, { app: str(p.app, 'app name'), awsRoleArn: optStr(p.awsRoleArn, 'IAM role ARN'), publicKey: str(p.publicKey, 'public key'), ttlMs: optNum(p.ttlMs, 'ttlMs') });
  },
  async 'appSessions.renew'(ctx, caller, p) {
    return renewAppCert(ctx, caller, { sessionId: str(p.sessionId, 'session id'), publicKey: str(p.publicKey, 'public key'), ttlMs: optNum(p.ttlMs, 'ttlMs') });
  },
  async 'appSessions.delete'(ctx, caller, p) {
    requireUserOrAdmin(caller);
    return { deleted: await deleteAppSession(ctx, caller, str(p.sessionId, 'session id')) };
  },

  async 'audit.search'(ctx, caller, p) {
    requireUserOrAdmin(caller);
    requireRule(caller, 'event', 'list');
    const since = optStr(p.since, '--since');
    const sinceMs = since ? parseDuration(since, '--since') : 3_600_000;
    return ctx.audit.search({ since: new Date(ctx.clock().getTime() - sinceMs), limit: optNum(p.limit, '--limit'), event: optStr(p.event, '--type') });
  },
  async 'audit.emit'(ctx, caller, p) {
    requireHost(caller, 'app');
    const events = list<EmittedEvent>(p.events, 'events');
    for (const e of events) {
      if (!APP_SERVICE_EVENTS.has(e.event)) throw new TshError('BAD_INPUT', `app services may not emit "${e.event}"`);
      if (typeof e.fields !== 'object' || e.fields === null || Array.isArray(e.fields)) throw new TshError('BAD_INPUT', 'an audit event needs an object of fields');
    }
    // Each event carries the uid its app service gave it, so a batch sent again is stored once (see AuditLog.emitMany).
    await ctx.audit.emitMany(events.map((e) => ({ event: e.event, fields: { ...e.fields, server_id: caller.identity.username } })));
    return {};
  },
  async 'roles.byName'(ctx, caller, p) {
    requireHost(caller, 'app');
    return loadRoles(ctx, strList(p.names));
  },
  async 'issuedKeys.record'(ctx, caller, p) {
    requireHost(caller, 'app');
    await recordIssuedKey(ctx, p.key as IssuedKeyRecord);
    return {};
  },
  async 'issuedKeys.find'(ctx, caller, p) {
    requireHost(caller, 'app');
    return { key: await findIssuedKey(ctx, str(p.accessKeyId, 'access key id'), str(p.sessionId, 'session id')) };
  },
};

/** True when the name is a method of the contract (a name off the wire may be anything). */
export function isApiMethod(name: string): name is ApiMethod {
  return Object.prototype.hasOwnProperty.call(rpcMethods, name);
}
