/**
 * Apps and app sessions.
 *
 * App services heartbeat the apps they serve; `tsh apps ls` lists those the
 * caller's roles reach; `tsh apps login` opens a server-side app session
 * bound to one IAM role and gets an app certificate carrying its id. The
 * proxy refuses a certificate whose session is gone, so `tsh apps logout`
 * (which deletes the session) revokes it at once.
 */
import { randomUUID } from 'node:crypto';
import { TshError } from '../../shared/errors.js';
import type { Identity } from '../../shared/identity/identity.js';
import { parseHostPort } from '../../shared/net/hostPort.js';
import { isAwsConsoleUri } from '../../shared/aws/endpoints.js';
import { keys, type AuthContext, type Caller } from './authContext.js';
import { issueCertificate } from './certAuthorities.js';
import { checkPublicKey } from './login.js';
import type { AppListing, AppServerListing, AppServerSpec, AppSession, AppSpec } from '../../shared/api/types.js';

export type { AppListing, AppSession, AppSpec };

/** A heartbeat record: one app served by one agent. */
export type AppServer = AppServerSpec;

/** Heartbeats are valid this long; agents beat three times per period. */
export const APP_SERVER_TTL_MS = 90_000;

/** Records that an agent serves its apps, for the next {@link APP_SERVER_TTL_MS}. */
export async function heartbeatApps(ctx: AuthContext, caller: Caller, servers: AppServer[]): Promise<void> {
  if (caller.identity.kind !== 'host' || caller.identity.hostRole !== 'app') throw new TshError('ACCESS_DENIED', 'only app services may announce apps');
  const expires = new Date(ctx.clock().getTime() + APP_SERVER_TTL_MS);
  for (const s of servers) {
    if (s.hostId !== caller.identity.username) throw new TshError('ACCESS_DENIED', 'an app service may only announce its own apps');
    await ctx.backend.put(keys.appServer(s.app.name, s.hostId), s, { expires });
  }
}

/**
 * Takes an agent's apps out of the listing at once, when the proxy saw its
 * last tunnel close (rather than after {@link APP_SERVER_TTL_MS}); it
 * announces them again when it is back.
 */
export async function dropAppServers(ctx: AuthContext, hostId: string, apps: string[]): Promise<void> {
  await ctx.backend.batch(apps.map((app) => ({ op: 'delete' as const, key: keys.appServer(app, hostId) })));
}

/** Every live app server (one row per app and agent). */
export async function listAppServers(ctx: AuthContext): Promise<AppServer[]> {
  return (await ctx.backend.getRange<AppServer>(keys.appServers)).map((i) => i.value);
}

/** Every live app server with its public address and heartbeat expiry, for administrators (`tctl apps ls`). */
export async function listAppServersForAdmin(ctx: AuthContext): Promise<AppServerListing[]> {
  return (await ctx.backend.getRange<AppServer>(keys.appServers)).map(({ value: s, expires }) => ({
    hostId: s.hostId,
    hostname: s.hostname,
    version: s.version,
    expires: expires?.toISOString(),
    app: { ...s.app, publicAddr: appPublicAddr(ctx, s.app) },
  }));
}

/** The public address of an app: its own, or `<name>.<proxy host>` as in Teleport. */
export function appPublicAddr(ctx: AuthContext, app: AppSpec): string {
  return app.publicAddr || `${app.name}.${parseHostPort(ctx.proxyPublicAddr(), 3080).host}`;
}

/** Apps the caller can reach, one entry per app name, sorted. */
export async function listApps(ctx: AuthContext, caller: Caller): Promise<AppListing[]> {
  const byName = new Map<string, AppListing>();
  for (const s of await listAppServers(ctx)) {
    const app = s.app;
    if (!caller.isAdmin && !caller.checker.canAccessApp(app)) continue;
    const entry = byName.get(app.name);
    if (entry) {
      entry.agents.push(s.hostname);
      continue;
    }
    const aws = isAwsConsoleUri(app.uri);
    byName.set(app.name, {
      name: app.name,
      description: app.description ?? '',
      publicAddr: appPublicAddr(ctx, app),
      labels: app.labels,
      uri: app.uri,
      aws,
      awsRoleArns: aws && !caller.isAdmin ? caller.checker.awsRoleArnsForApp(app) : [],
      awsExternalId: aws ? app.awsExternalId : undefined,
      agents: [s.hostname],
    });
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

async function findApp(ctx: AuthContext, name: string): Promise<AppSpec> {
  const server = (await listAppServers(ctx)).find((s) => s.app.name === name);
  if (!server) throw new TshError('NOT_FOUND', `app "${name}" not found`, { hint: 'use `tsh apps ls` to see registered apps' });
  return server.app;
}

/**
 * Opens an app session for the caller (a logged-in user) bound to one IAM
 * role, and signs an app certificate for it that expires no later than the
 * login itself. `tsh apps login` and the web UI's Launch both come here.
 */
export async function createAppSession(
  ctx: AuthContext,
  caller: Caller,
  req: { app: string; awsRoleArn?: string; publicKey: string; ttlMs?: number; via?: 'tsh' | 'web' },
): Promise<{ cert: string; session: AppSession }> {
  if (caller.identity.kind !== 'user') throw new TshError('ACCESS_DENIED', 'app sessions are opened with a login certificate', { hint: 'run `tsh login` first' });
  checkPublicKey(req.publicKey);
  const app = await findApp(ctx, req.app);
  if (!caller.checker.canAccessApp(app)) {
    throw new TshError('ACCESS_DENIED', `access to app "${req.app}" denied`, { hint: 'ask an administrator for a role whose app_labels match this app' });
  }
  const aws = isAwsConsoleUri(app.uri);
  const arn = req.awsRoleArn ?? '';
  if (aws) {
    const allowed = caller.checker.awsRoleArnsForApp(app);
    if (!arn) throw new TshError('BAD_INPUT', '--aws-role flag is required', { details: allowed.join('\n') });
    if (!allowed.includes(arn)) {
      throw new TshError('ACCESS_DENIED', `IAM role "${arn}" is not allowed for user "${caller.identity.username}" on app "${req.app}"`, {
        hint: allowed.length ? `allowed roles: ${allowed.join(', ')}` : 'your roles allow no IAM role on this app; ask an administrator',
      });
    }
  }
  const now = ctx.clock();
  const loginExpires = new Date(caller.identity.expires);
  const notAfter = new Date(Math.min(loginExpires.getTime(), req.ttlMs && req.ttlMs > 0 ? now.getTime() + req.ttlMs : Infinity));
  const session: AppSession = {
    id: randomUUID(),
    user: caller.identity.username,
    app: app.name,
    publicAddr: appPublicAddr(ctx, app),
    awsRoleArn: arn,
    created: now.toISOString(),
    expires: loginExpires.toISOString(),
  };
  await ctx.backend.create(keys.appSession(session.id), session, { expires: loginExpires });
  const cert = signAppCert(ctx, caller.identity, session, req.publicKey, notAfter);
  await ctx.audit.emit('app.session.start', {
    user: session.user,
    app_name: session.app,
    app_public_addr: session.publicAddr,
    app_uri: app.uri,
    aws_role_arn: session.awsRoleArn,
    sid: session.id,
    via: req.via ?? 'tsh',
  });
  return { cert, session };
}

/** A new certificate for an existing session (the local proxy renews this way while it runs). */
export async function renewAppCert(ctx: AuthContext, caller: Caller, req: { sessionId: string; publicKey: string; ttlMs?: number }): Promise<{ cert: string; session: AppSession }> {
  if (caller.identity.kind !== 'user') throw new TshError('ACCESS_DENIED', 'app certificates are renewed with a login certificate', { hint: 'run `tsh login` first' });
  checkPublicKey(req.publicKey);
  const session = await getAppSession(ctx, req.sessionId);
  if (!session || session.user !== caller.identity.username) {
    throw new TshError('NOT_FOUND', 'the app session has ended', { hint: 'log in to the app again with `tsh apps login`' });
  }
  const now = ctx.clock();
  const limit = Math.min(Date.parse(caller.identity.expires), Date.parse(session.expires));
  const notAfter = new Date(Math.min(limit, req.ttlMs && req.ttlMs > 0 ? now.getTime() + req.ttlMs : Infinity));
  return { cert: signAppCert(ctx, caller.identity, session, req.publicKey, notAfter), session };
}

function signAppCert(ctx: AuthContext, user: Identity, session: AppSession, publicKey: string, notAfter: Date): string {
  const identity: Identity = {
    ...user,
    kind: 'app',
    app: { name: session.app, publicAddr: session.publicAddr, sessionId: session.id, awsRoleArn: session.awsRoleArn },
    expires: notAfter.toISOString(),
  };
  return issueCertificate(ctx.cas.user, { identity, publicKey, notBefore: new Date(ctx.clock().getTime() - 60_000), notAfter, usage: 'client' });
}

/** The session, or undefined when it ended or expired. */
export async function getAppSession(ctx: AuthContext, id: string): Promise<AppSession | undefined> {
  if (!/^[0-9a-f-]{36}$/.test(id)) return undefined;
  return (await ctx.backend.get<AppSession>(keys.appSession(id)))?.value;
}

/** Ends a session (apps logout). A session that is already gone is not an error. */
export async function deleteAppSession(ctx: AuthContext, caller: Caller, id: string): Promise<boolean> {
  const session = await getAppSession(ctx, id);
  if (!session) return false;
  if (!caller.isAdmin && session.user !== caller.identity.username) {
    throw new TshError('ACCESS_DENIED', 'this app session belongs to another user');
  }
  await endAppSessions(ctx, [session]);
  return true;
}

/**
 * Ends every app session of a user (`tctl users rm`): their app
 * certificates stop working at once, and the proxy closes their connections.
 */
export async function endUserAppSessions(ctx: AuthContext, user: string): Promise<void> {
  const sessions = (await ctx.backend.getRange<AppSession>(keys.appSessions)).map((i) => i.value).filter((s) => s.user === user);
  await endAppSessions(ctx, sessions);
}

async function endAppSessions(ctx: AuthContext, sessions: AppSession[]): Promise<void> {
  if (sessions.length === 0) return;
  // Every proxy hears of the deletes through the change feed and closes the sessions' connections.
  await ctx.backend.batch(sessions.map((s) => ({ op: 'delete' as const, key: keys.appSession(s.id) })));
  await ctx.audit.emitMany(sessions.map((s) => ({ event: 'app.session.end', fields: { user: s.user, app_name: s.app, aws_role_arn: s.awsRoleArn, sid: s.id } })));
}
