/**
 * The app service (agent): joins the cluster once, then serves its apps
 * through reverse tunnels, one to every proxy of the cluster (agentPool).
 *
 *   first start:  token --POST /v1/webapi/join--> proxy --> host certificate
 *                 (the proxy verified by teleport.ca_pin, trusted roots, or --insecure)
 *   every start:  identity from <data_dir>/host/identity.json (0600): no new token needed
 *                 tunnels --TLS tsh-tunnel-v1--> each proxy (outbound only, through proxy_server;
 *                                                           locks and role changes come back down them)
 *                 roles, heartbeats, audit events and issued keys --cluster API (clusterApi)--> auth
 *                 audit events spooled in <data_dir>/spool/ before each request is sent (auditSpool)
 */
import http from 'node:http';
import https from 'node:https';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { hostname } from 'node:os';
import { createHash, createPublicKey, randomUUID } from 'node:crypto';
import type { ServerHttp2Stream, IncomingHttpHeaders } from 'node:http2';
import { TshError } from '../../shared/errors.js';
import { VERSION } from '../../shared/version.js';
import { ApiClient, transportError } from '../../shared/http/apiClient.js';
import { inProcessApi, remoteApi, type ClusterApi } from './clusterApi.js';
import { generateKeyPair } from '../../shared/pki/generateKeyPair.js';
import { readCertificate, isSignedBy } from '../../shared/pki/readCertificate.js';
import { identityOf, type Identity } from '../../shared/identity/identity.js';
import { parseHostPort } from '../../shared/net/hostPort.js';
import type { Role } from '../../shared/resources/types.js';
import type { TeleportConfig, AppConfig } from '../config/teleportConfig.js';
import type { AuthService } from '../auth/authService.js';
import { writeSecure } from '../auth/authService.js';
import { AccessChecker } from '../auth/accessChecker.js';
import { findLock, lockError } from '../auth/locks.js';
import type { Lock } from '../../shared/resources/types.js';
import { lockTarget } from '../../shared/resources/lockTarget.js';
import type { Logger } from '../logger.js';
import { AgentPool } from './agentPool.js';
import { IssuedKeys } from './issuedKeys.js';
import { RoleCache } from './roleCache.js';
import { keys as backendKeys } from '../auth/authContext.js';
import { StreamSocket } from './streamSocket.js';
import { connectionContexts, createAwsHandler, type ConnectionContext } from './awsHandler.js';
import { CLIENT_CERT_HEADER } from '../../shared/api/protocol.js';
import { refuseConnect } from '../../shared/http/requestTarget.js';
import { refuseMalformedRequest } from '../../shared/http/malformedRequest.js';
import type { Duplex } from 'node:stream';
import { AssumeRoleCache } from './assumeRole.js';
import { AuditSpool } from './auditSpool.js';
import type { ResolveAll } from './awsEndpoint.js';
import { createConsoleHandler, dispatchConsoleRequests } from './consoleSignin.js';
import { watchAuditBacklog, watchTunnels } from '../diag/metrics.js';

/** The agent's stored identity. */
interface HostIdentity {
  hostId: string;
  key: string;
  cert: string;
  userCa: string;
  hostCa: string;
  clusterName: string;
  /** The proxy's certificate is trusted through these roots ('cluster' = host CA, 'system', or 'insecure'). */
  proxyTrust: 'cluster' | 'system' | 'insecure';
}

const HEARTBEAT_MS = 30_000;

/** A running app service (see the module comment); a teleport process whose config enables app_service makes one with AppService.start. */
export class AppService {
  private heartbeat?: NodeJS.Timeout;
  private unwatch: Array<() => void> = [];

  private constructor(
    readonly hostId: string,
    private readonly tunnel: AgentPool | undefined,
    private readonly api: ClusterApi,
    private readonly audit: AuditSpool,
    private readonly server: http.Server,
  ) {}

  /** Loads (or obtains by joining) the host identity and starts serving. */
  static async start(
    config: TeleportConfig,
    opts: {
      proxyServer: string;
      log: Logger;
      /** The auth service, when it runs in this process (no join, no API round trips). */
      localAuth?: AuthService;
      /** The proxy's tunnel registry, when the proxy runs in this process: connections come in directly. */
      localProxy?: { addLocal(apps: string[], handler: (socket: Duplex, clientCertDer: Buffer) => void): void };
      clock?: () => Date;
      heartbeatMs?: number;
      /** How AWS host names are resolved (the system resolver when absent; tests stand in for DNS). */
      resolve?: ResolveAll;
    },
  ): Promise<AppService> {
    const { log } = opts;
    const identity = await loadOrJoin(config, opts.proxyServer, log, opts.localAuth);
    const proxy = parseHostPort(opts.proxyServer, 3080, 'teleport.proxy_server');
    const ca = identity.proxyTrust === 'cluster' ? [identity.hostCa] : undefined;
    const insecure = identity.proxyTrust === 'insecure';
    const api: ClusterApi = opts.localAuth ? inProcessApi(opts.localAuth, identity.cert) : remoteApi(new ApiClient({ addr: opts.proxyServer, key: identity.key, cert: identity.cert, ca, insecure }));
    const apps = new Map(config.app.apps.map((a) => [a.name, a]));

    const roleCache = new RoleCache((names) => api.rpc('roles.byName', { names }));
    const rolesFor = (names: string[]) => roleCache.get(names);
    const rolesChanged = (names: string[] | undefined) => roleCache.changed(names);
    const stopWatchingRoles = opts.localAuth?.ctx.backend.watch([backendKeys.roles], {
      changes: (changes) => rolesChanged(changes.map((c) => c.key.slice(backendKeys.roles.length))),
      reset: () => rolesChanged(undefined),
    });
    const audit = await AuditSpool.open(join(config.dataDir, 'spool'), async (events) => void (await api.rpc('audit.emit', { events })), log, opts.clock);
    // One checker per connection's identity, rebuilt whenever rolesFor fetched the roles anew.
    const checkers = new WeakMap<Identity, { roles: Promise<Role[]>; checker: Promise<AccessChecker> }>();
    const checkerFor = (id: Identity): Promise<AccessChecker> => {
      const roles = rolesFor(id.roles);
      const hit = checkers.get(id);
      if (hit?.roles === roles) return hit.checker;
      const checker = roles.then((r) => new AccessChecker(r, id.traits));
      checkers.set(id, { roles, checker });
      return checker;
    };
    // The locks in force: the auth service's own view in its process, else the set the proxy pushes down the tunnel.
    let pushedLocks: Lock[] = [];
    const lockedOut = (id: Identity) => {
      const lock = opts.localAuth ? opts.localAuth.ctx.locks.lockFor(id) : findLock(pushedLocks, id, (opts.clock ?? (() => new Date()))());
      return lock && lockError(lock);
    };
    const credentials = new AssumeRoleCache(opts.clock);
    const issuedKeys = new IssuedKeys(
      opts.clock,
      {
        record: async (key) => void (await api.rpc('issuedKeys.record', { key })),
        find: async (accessKeyId, sessionId) => (await api.rpc('issuedKeys.find', { accessKeyId, sessionId })).key,
      },
      (err) => log.warn('APP', `could not share an AssumeRole answer's keys with the cluster (only this app service honours them): ${(err as Error).message}`),
    );
    const handler = createAwsHandler({
      issuedKeys,
      checkerFor,
      lockedOut,
      credentials,
      audit,
      log,
      clock: opts.clock,
      resolve: opts.resolve,
    });
    const consoleSignin = createConsoleHandler({
      checkerFor,
      lockedOut,
      credentials,
      audit: (event, fields) => audit.record(event, fields),
      proxyPublicAddr: () => api.proxyPublicAddr(),
      log,
      clock: opts.clock,
    });
    const server = http.createServer({ keepAliveTimeout: 60_000 }, dispatchConsoleRequests(consoleSignin, handler));
    server.on('connect', refuseConnect);
    server.on('clientError', refuseMalformedRequest);

    const accept = (socket: Duplex, appName: string, certDer: Buffer, proxyId?: string) => {
      connectionContexts.set(socket, { ...verifyClient(identity, apps.get(appName)!, certDer, opts.clock), proxyId });
      server.emit('connection', socket);
    };
    const beat = async () => {
      const servers = [...apps.values()].map((app) => ({ hostId: identity.hostId, hostname: config.nodeName, version: VERSION, app: appSpec(app) }));
      try {
        await api.rpc('appServers.heartbeat', { servers });
      } catch (err) {
        log.warn('APP', `heartbeat failed: ${(err as Error).message}`);
      }
    };
    let tunnel: AgentPool | undefined;
    if (opts.localProxy) {
      for (const name of apps.keys()) opts.localProxy.addLocal([name], (socket, certDer) => accept(socket, name, certDer));
      log.info('APP', `app service in the proxy's process is up, serving ${[...apps.keys()].join(', ')}`);
    } else {
      tunnel = new AgentPool({
      host: proxy.host,
      port: proxy.port,
      key: identity.key,
      cert: identity.cert,
      ca,
      insecure,
      hostId: identity.hostId,
      apps: [...apps.keys()],
      log,
      // The proxies drop an agent from the listing when its last tunnel closes: announce the apps again at once when it is back.
      // Role changes made while no tunnel was up were not told: forget the roles held.
      async onUp() {
        rolesChanged(undefined);
        await beat();
      },
      onRoles: rolesChanged,
      onLocks(locks) {
        const said = (l: Lock[]) => l.map(lockTarget).join(', ');
        if (said(locks) !== said(pushedLocks)) log.info('APP', locks.length ? `locks in force here: ${said(locks)}` : 'no locks in force here');
        pushedLocks = locks;
      },
      onAppStream(appName: string, stream: ServerHttp2Stream, headers: IncomingHttpHeaders, proxyId: string | undefined) {
        stream.respond({ ':status': 200 });
        accept(new StreamSocket(stream), appName, Buffer.from(String(headers[CLIENT_CERT_HEADER] ?? ''), 'base64'), proxyId);
      },
      });
      tunnel.start();
    }
    const svc = new AppService(identity.hostId, tunnel, api, audit, server);
    svc.unwatch.push(watchAuditBacklog(() => audit.backlog), watchTunnels(() => (tunnel ? tunnel.count : 1)));
    if (stopWatchingRoles) svc.unwatch.push(stopWatchingRoles);
    // An agent whose tunnel is down is not announced: nobody could reach its apps.
    if (!tunnel) await beat();
    svc.heartbeat = setInterval(() => void (tunnel && !tunnel.up ? undefined : beat()), opts.heartbeatMs ?? HEARTBEAT_MS);
    svc.heartbeat.unref();
    log.info('APP', `App service ${identity.hostId} serving ${[...apps.keys()].join(', ')} through ${opts.proxyServer}`);
    return svc;
  }

  /**
   * Sends the audit events spooled so far (they go in batches, up to 250 ms
   * after each request), so a listing right after a request shows it.
   */
  flushAudit(): Promise<void> {
    return this.audit.flush();
  }

  /** Why this service cannot serve now (for /readyz), or undefined when it can: a tunnel to at least one proxy must be up. */
  readiness(): string | undefined {
    if (!this.tunnel || this.tunnel.up) return undefined;
    return `app service: the tunnel to the proxy at ${this.tunnel.target} is down`;
  }

  /** Resolves when the proxy routes to this service (at once when they share a process). */
  get ready(): Promise<void> {
    return this.tunnel?.ready ?? Promise.resolve();
  }

  async close(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const stop of this.unwatch.splice(0)) stop();
    this.tunnel?.close();
    this.server.closeAllConnections();
    await this.audit.close();
    this.api.close();
  }
}

function appSpec(app: AppConfig) {
  return { name: app.name, uri: app.uri, description: app.description, labels: app.labels, publicAddr: app.publicAddr, awsExternalId: app.awsExternalId };
}

/** Checks the client certificate the proxy relayed: an app certificate of this cluster, for this app. */
function verifyClient(host: HostIdentity, app: AppConfig, der: Buffer, clock?: () => Date): ConnectionContext {
  try {
    if (der.length === 0) throw new TshError('CERTIFICATE', 'an app certificate is required');
    const cert = readCertificate(der);
    const identity = identityOf(cert);
    if (!isSignedBy(der, host.userCa) || identity.cluster !== host.clusterName || identity.kind !== 'app' || !identity.app) {
      throw new TshError('CERTIFICATE', 'this is not an app certificate of this cluster');
    }
    if (cert.notAfter.getTime() <= (clock ?? (() => new Date()))().getTime()) {
      throw new TshError('SESSION_EXPIRED', 'the app certificate has expired', { hint: 'log in to the app again with `tsh apps login`' });
    }
    if (identity.app.name !== app.name) throw new TshError('CERTIFICATE', `the certificate is for app "${identity.app.name}", not "${app.name}"`);
    return { app, identity };
  } catch (err) {
    return { app, refusal: err instanceof TshError ? err : new TshError('CERTIFICATE', 'unreadable client certificate') };
  }
}

/** The token from join_params.token_name: a file's contents when it names a file, else the value itself. */
async function readJoinToken(value: string | undefined): Promise<string> {
  if (!value) throw new TshError('CONFIG', 'this app service has not joined yet and has no join token', { hint: 'set teleport.join_params.token_name (or pass --token)' });
  if (value.startsWith('/') || existsSync(value)) {
    try {
      return (await readFile(value, 'utf8')).trim();
    } catch (cause) {
      throw new TshError('CONFIG', `cannot read the join token file ${value}: ${(cause as NodeJS.ErrnoException).code ?? cause}`, { hint: 'copy the token from `tctl tokens add --type=app` into that file' });
    }
  }
  return value.trim();
}

/** Reads the stored host identity, or joins with the token and stores one. */
async function loadOrJoin(config: TeleportConfig, proxyServer: string, log: Logger, localAuth?: AuthService): Promise<HostIdentity> {
  const file = join(config.dataDir, 'host', 'identity.json');
  try {
    const stored = JSON.parse(await readFile(file, 'utf8')) as HostIdentity;
    if (readCertificate(stored.cert).notAfter.getTime() > Date.now()) return stored;
    log.warn('APP', 'the stored host certificate has expired; joining again');
  } catch {
    // not joined yet
  }
  const keys = await generateKeyPair();
  let identity: HostIdentity;
  if (localAuth) {
    // Same process as the auth service: no token, the CA signs directly.
    const hostId = randomUUID();
    const cert = localAuth.issueHostCert({ hostId, hostRole: 'app', publicKey: keys.publicKey });
    const cas = localAuth.caCerts();
    identity = { hostId, key: keys.privateKey, cert, userCa: cas.userCa, hostCa: cas.hostCa, clusterName: localAuth.ctx.clusterName, proxyTrust: 'cluster' };
  } else {
    const token = await readJoinToken(config.joinToken);
    const trust = await chooseProxyTrust(config, proxyServer);
    const client = new ApiClient({ addr: proxyServer, ca: trust.ca, insecure: trust.mode === 'insecure' });
    try {
      const res = await client.post<{ hostId: string; cert: string; userCa: string; hostCa: string; clusterName: string }>('/v1/webapi/join', { token, public_key: keys.publicKey, hostname: config.nodeName || hostname() });
      identity = { hostId: res.hostId, key: keys.privateKey, cert: res.cert, userCa: res.userCa, hostCa: res.hostCa, clusterName: res.clusterName, proxyTrust: trust.mode };
    } catch (err) {
      if (err instanceof TshError && err.code === 'UNTRUSTED_PROXY') {
        throw new TshError('UNTRUSTED_PROXY', err.message, { hint: 'set teleport.ca_pin to the CA pin printed by `tctl status` (or start with --insecure on a test cluster)' });
      }
      throw err;
    } finally {
      client.close();
    }
    log.info('APP', `joined cluster "${identity.clusterName}" as ${identity.hostId}`);
  }
  await writeSecure(file, JSON.stringify(identity));
  return identity;
}

/**
 * How a joining agent trusts the proxy: with ca_pin, the CAs fetched from the
 * proxy must match the pin (then the host CA is trusted); with --insecure,
 * nothing is checked (and we say so); otherwise the system roots.
 */
async function chooseProxyTrust(config: TeleportConfig, proxyServer: string): Promise<{ mode: 'cluster' | 'system' | 'insecure'; ca?: string[] }> {
  if (config.caPins.length) {
    const { host, port } = parseHostPort(proxyServer, 3080);
    const cas = await new Promise<{ host_ca: string }>((resolve, reject) => {
      const req = https.get({ host, port, path: '/v1/webapi/cas', rejectUnauthorized: false, timeout: 10_000 }, (res) => {
        let data = '';
        res.on('data', (c) => (data += c));
        res.on('end', () => {
          try {
            resolve(JSON.parse(data));
          } catch {
            reject(new TshError('CONFIG', `${proxyServer} did not answer like a tsh-aws proxy`));
          }
        });
      });
      req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
      req.on('error', (e) => reject(transportError(e, proxyServer)));
    });
    const spki = createPublicKey(cas.host_ca).export({ type: 'spki', format: 'der' });
    const pin = `sha256:${createHash('sha256').update(spki).digest('hex')}`;
    if (!config.caPins.includes(pin)) {
      throw new TshError('UNTRUSTED_PROXY', `the cluster at ${proxyServer} does not match teleport.ca_pin (it has ${pin})`, {
        hint: 'copy the CA pin from `tctl status` on the cluster; a mismatch may mean someone is intercepting the connection',
      });
    }
    return { mode: 'cluster', ca: [cas.host_ca] };
  }
  if (config.insecure) return { mode: 'insecure' };
  return { mode: 'system' };
}

export type { Identity };
