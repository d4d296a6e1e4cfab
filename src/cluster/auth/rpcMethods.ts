/**
 * The cluster API: one entry per method, each checking who may call it.
 * Clients reach it as `POST /v1/rpc/<method>` with a JSON body, over mTLS;
 * the transport authenticates, these functions authorise.
 */
import { TshError } from '../../shared/errors.js';
import { parseDuration } from '../../shared/duration.js';
import type { AuthService } from './authService.js';
import { keys, requireRule, type Caller, type StoredUser } from './authContext.js';
import { createResources, deleteResource, getResources } from './resources.js';
import { addUser, getUser, inviteUrl, requireRolesExist, resetUser, traitWarnings } from './users.js';
import { addToken } from './tokens.js';
import { createAppSession, deleteAppSession, heartbeatApps, listAppServers, listApps, renewAppCert, type AppServer } from './apps.js';
import { RESET_TOKEN_TTL_MS } from './users.js';

type Method = (svc: AuthService, caller: Caller, params: Record<string, any>) => Promise<unknown>;

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

export const rpcMethods: Record<string, Method> = {
  async 'cluster.status'(svc, caller) {
    requireUserOrAdmin(caller);
    return svc.status();
  },

  async 'resources.create'(svc, caller, p) {
    requireUserOrAdmin(caller);
    return createResources(svc.ctx, caller, p.docs, Boolean(p.overwrite));
  },
  async 'resources.get'(svc, caller, p) {
    requireUserOrAdmin(caller);
    return getResources(svc.ctx, caller, str(p.kind, 'kind'), p.name);
  },
  async 'resources.delete'(svc, caller, p) {
    requireUserOrAdmin(caller);
    await deleteResource(svc.ctx, caller, str(p.kind, 'kind'), str(p.name, 'name'));
    return {};
  },

  async 'users.add'(svc, caller, p) {
    requireUserOrAdmin(caller);
    requireRule(caller, 'user', 'create');
    const traits: Record<string, string[]> = {};
    const arns = strList(p.awsRoleArns);
    if (arns.length) traits.aws_role_arns = arns;
    const rt = await addUser(svc.ctx, { name: str(p.name, 'user name'), roles: strList(p.roles), traits, by: caller.identity.username });
    return { user: rt.user, inviteUrl: inviteUrl(svc.ctx, rt.token), expires: rt.expires, ttl: RESET_TOKEN_TTL_MS, warnings: traitWarnings(rt.user, traits) };
  },
  async 'users.update'(svc, caller, p) {
    requireUserOrAdmin(caller);
    requireRule(caller, 'user', 'update');
    const u = await getUser(svc.ctx, str(p.name, 'user name'));
    if (p.roles !== undefined) {
      const roles = strList(p.roles);
      if (roles.length === 0) throw new TshError('BAD_INPUT', 'a user needs at least one role');
      await requireRolesExist(svc.ctx, roles);
      u.roles = roles;
    }
    if (p.awsRoleArns !== undefined) u.traits = { ...u.traits, aws_role_arns: strList(p.awsRoleArns) };
    await svc.ctx.backend.put(keys.user(u.name), u);
    await svc.ctx.audit.emit('user.update', { user: caller.identity.username, name: u.name, roles: u.roles });
    return { user: u.name, roles: u.roles, traits: u.traits, warnings: traitWarnings(u.name, u.traits) };
  },
  async 'users.list'(svc, caller) {
    requireUserOrAdmin(caller);
    requireRule(caller, 'user', 'list');
    return (await svc.ctx.backend.getRange<StoredUser>(keys.users)).map((i) => ({
      name: i.value.name,
      roles: i.value.roles,
      traits: i.value.traits,
      created: i.value.createdAt,
      hasPassword: Boolean(i.value.passwordHash),
      lockedUntil: i.value.lockedUntil && Date.parse(i.value.lockedUntil) > svc.ctx.clock().getTime() ? i.value.lockedUntil : undefined,
    }));
  },
  async 'users.delete'(svc, caller, p) {
    requireUserOrAdmin(caller);
    await deleteResource(svc.ctx, caller, 'user', str(p.name, 'user name'));
    return {};
  },
  async 'users.reset'(svc, caller, p) {
    requireUserOrAdmin(caller);
    requireRule(caller, 'user', 'update');
    const rt = await resetUser(svc.ctx, str(p.name, 'user name'), caller.identity.username);
    return { user: rt.user, inviteUrl: inviteUrl(svc.ctx, rt.token), expires: rt.expires, ttl: RESET_TOKEN_TTL_MS };
  },

  async 'tokens.add'(svc, caller, p) {
    requireUserOrAdmin(caller);
    requireRule(caller, 'token', 'create');
    const ttlMs = p.ttl ? parseDuration(String(p.ttl), 'token TTL') : undefined;
    const token = await addToken(svc.ctx, { type: str(p.type, 'token type'), ttlMs, appName: p.appName, appUri: p.appUri, by: caller.identity.username });
    return { ...token, proxyAddr: svc.ctx.proxyPublicAddr(), caPin: svc.status().caPin };
  },
  async 'tokens.list'(svc, caller) {
    requireUserOrAdmin(caller);
    return getResources(svc.ctx, caller, 'token');
  },
  async 'tokens.delete'(svc, caller, p) {
    requireUserOrAdmin(caller);
    await deleteResource(svc.ctx, caller, 'token', str(p.token, 'token'));
    return {};
  },

  async 'apps.list'(svc, caller) {
    requireUserOrAdmin(caller);
    return listApps(svc.ctx, caller);
  },
  async 'appServers.list'(svc, caller) {
    requireUserOrAdmin(caller);
    requireRule(caller, 'app_server', 'list');
    return listAppServers(svc.ctx);
  },
  async 'appServers.heartbeat'(svc, caller, p) {
    requireHost(caller, 'app');
    await heartbeatApps(svc.ctx, caller, (p.servers ?? []) as AppServer[]);
    return {};
  },
  async 'appSessions.create'(svc, caller, p) {
    return createAppSession(svc.ctx, caller, { app: str(p.app, 'app name'), awsRoleArn: p.awsRoleArn, publicKey: str(p.publicKey, 'public key'), ttlMs: p.ttlMs });
  },
  async 'appSessions.renew'(svc, caller, p) {
    return renewAppCert(svc.ctx, caller, { sessionId: str(p.sessionId, 'session id'), publicKey: str(p.publicKey, 'public key'), ttlMs: p.ttlMs });
  },
  async 'appSessions.delete'(svc, caller, p) {
    requireUserOrAdmin(caller);
    return { deleted: await deleteAppSession(svc.ctx, caller, str(p.sessionId, 'session id')) };
  },

  async 'audit.search'(svc, caller, p) {
    requireUserOrAdmin(caller);
    requireRule(caller, 'event', 'list');
    const sinceMs = p.since ? parseDuration(String(p.since), '--since') : 3_600_000;
    return svc.ctx.audit.search({ since: new Date(svc.ctx.clock().getTime() - sinceMs), limit: typeof p.limit === 'number' ? p.limit : undefined, event: p.event });
  },
  async 'audit.emit'(svc, caller, p) {
    requireHost(caller, 'app');
    for (const e of (p.events ?? []) as Array<{ event: string; fields: Record<string, unknown> }>) {
      if (!/^app\.session\.(dynamodb\.)?request$/.test(e.event)) throw new TshError('BAD_INPUT', `app services may not emit "${e.event}"`);
      await svc.ctx.audit.emit(e.event, { ...e.fields, server_id: caller.identity.username });
    }
    return {};
  },
  async 'roles.byName'(svc, caller, p) {
    requireHost(caller, 'app');
    return svc.rolesByName(strList(p.names));
  },
};
