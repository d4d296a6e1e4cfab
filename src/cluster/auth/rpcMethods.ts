/**
 * The cluster API: one entry per method, each checking who may call it.
 * Clients reach it as `POST /v1/rpc/<method>` with a JSON body, over mTLS;
 * the transport authenticates, these functions authorise.
 */
import { TshError } from '../../shared/errors.js';
import { parseDuration } from '../../shared/duration.js';
import { keys, loadRoles, requireRule, type AuthContext, type Caller, type StoredUser } from './authContext.js';
import { clusterStatus } from './certAuthorities.js';
import { createResources, deleteResource, getResources } from './resources.js';
import { addUser, getUser, inviteUrl, requireRolesExist, resetUser, traitWarnings } from './users.js';
import { addToken } from './tokens.js';
import { createAppSession, deleteAppSession, heartbeatApps, listAppServersForAdmin, listApps, renewAppCert, type AppServer } from './apps.js';
import { RESET_TOKEN_TTL_MS } from './users.js';
import { APP_SERVICE_EVENTS } from './auditLog.js';
import { lockedUntil } from './loginAttempts.js';
import { createLock } from './locks.js';

type Method = (ctx: AuthContext, caller: Caller, params: Record<string, any>) => Promise<unknown>;

const requireUserOrAdmin = (caller: Caller) => {
  if (caller.identity.kind !== 'user' && caller.identity.kind !== 'admin') throw new TshError('ACCESS_DENIED', 'this API is for users and administrators');
};
const requireHost = (caller: Caller, role: 'app' | 'proxy') => {
  if (caller.identity.kind !== 'host' || caller.identity.hostRole !== role) throw new TshError('ACCESS_DENIED', `this API is for ${role} services`);
};
const str = (v: unknown, what: string): string => {
  if (typeof v !== 'string' || !v) throw new TshError('BAD_INPUT', `missing ${what}`);
  return v;
};
const strList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String).map((s) => s.trim()).filter(Boolean) : []);

/** Every cluster API method by name; AuthService.call looks methods up here, and a name not in this table is an unknown method. */
export const rpcMethods: Record<string, Method> = {
  async 'cluster.status'(ctx, caller) {
    requireUserOrAdmin(caller);
    return clusterStatus(ctx);
  },

  async 'resources.create'(ctx, caller, p) {
    requireUserOrAdmin(caller);
    return createResources(ctx, caller, p.docs, Boolean(p.overwrite));
  },
  async 'resources.get'(ctx, caller, p) {
    requireUserOrAdmin(caller);
    return getResources(ctx, caller, str(p.kind, 'kind'), p.name);
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
    const ttlMs = p.ttl ? parseDuration(String(p.ttl), 'token TTL') : undefined;
    const token = await addToken(ctx, { type: str(p.type, 'token type'), ttlMs, appName: p.appName, appUri: p.appUri, by: caller.identity.username });
    return { ...token, proxyAddr: ctx.proxyPublicAddr(), caPin: clusterStatus(ctx).caPin };
  },
  async 'tokens.list'(ctx, caller) {
    requireUserOrAdmin(caller);
    return getResources(ctx, caller, 'token');
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
    return getResources(ctx, caller, 'lock');
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
    await heartbeatApps(ctx, caller, (p.servers ?? []) as AppServer[]);
    return {};
  },
  async 'appSessions.create'(ctx, caller, p) {
    return createAppSession(ctx, caller, { app: str(p.app, 'app name'), awsRoleArn: p.awsRoleArn, publicKey: str(p.publicKey, 'public key'), ttlMs: p.ttlMs });
  },
  async 'appSessions.renew'(ctx, caller, p) {
    return renewAppCert(ctx, caller, { sessionId: str(p.sessionId, 'session id'), publicKey: str(p.publicKey, 'public key'), ttlMs: p.ttlMs });
  },
  async 'appSessions.delete'(ctx, caller, p) {
    requireUserOrAdmin(caller);
    return { deleted: await deleteAppSession(ctx, caller, str(p.sessionId, 'session id')) };
  },

  async 'audit.search'(ctx, caller, p) {
    requireUserOrAdmin(caller);
    requireRule(caller, 'event', 'list');
    const sinceMs = p.since ? parseDuration(String(p.since), '--since') : 3_600_000;
    return ctx.audit.search({ since: new Date(ctx.clock().getTime() - sinceMs), limit: typeof p.limit === 'number' ? p.limit : undefined, event: p.event });
  },
  async 'audit.emit'(ctx, caller, p) {
    requireHost(caller, 'app');
    const events = (p.events ?? []) as Array<{ event: string; fields: Record<string, unknown> }>;
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
};
