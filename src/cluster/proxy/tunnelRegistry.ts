/**
 * Reverse tunnels from app services, as one proxy sees them.
 *
 *   app service --TLS (ALPN tsh-tunnel-v1, host cert)--> proxy (directly, or through a load balancer)
 *   proxy: HTTP/2 *client* over that socket; the agent is the HTTP/2 server
 *   proxy --GET /hello (x-tsh-proxy-id: this proxy)--> agent: { hostId, apps },
 *                                                     or 409: it has a tunnel to this proxy already
 *   proxy --POST /locks--> agent: { locks }            (the locks in force; again on every change)
 *   proxy --POST /proxies--> agent: { proxies }        (every live proxy; again on every change)
 *   proxy --POST /roles--> agent: { roles }            (roles that changed: its cached copies are stale)
 *   proxy --POST /registered--> agent                  (routable from now on)
 *   proxy --POST /app/<name> (one stream per client connection)--> agent
 *
 * The agent's host id must match its certificate. The registry keeps the
 * live tunnels per app, picks agents in turn, and pings them so a half-open
 * tunnel is dropped within seconds. Each tunnel is recorded in the backend
 * (proxies.ts), so when an agent's last tunnel to this proxy closes its apps
 * leave the listing at once only if no other proxy holds one of its tunnels.
 *
 * The HTTP/2 session is the transport; everything else here (who is
 * connected, whom to pick, what agents are told) only asks it to open a
 * stream, so another transport can take its place.
 */
import http2 from 'node:http2';
import type { TLSSocket } from 'node:tls';
import type { Duplex } from 'node:stream';
import { readCertificate, isSignedBy } from '../../shared/pki/readCertificate.js';
import { identityOf } from '../../shared/identity/identity.js';
import type { AuthService } from '../auth/authService.js';
import { dropAppServers } from '../auth/apps.js';
import { keys } from '../auth/authContext.js';
import { listProxies, tunnelClosed, tunnelOpened } from '../auth/proxies.js';
import { Reloader } from '../storage/reloader.js';
import type { Logger } from '../logger.js';
import { keepTunnelAlive } from '../tunnelKeepAlive.js';
import { PROXY_ID_HEADER, TUNNEL_PATH, TUNNEL_WINDOW } from '../../shared/api/protocol.js';

interface Tunnel {
  hostId: string;
  apps: string[];
  session: http2.ClientHttp2Session;
}

/** An agent picked for a connection: who it is, and the session to open the stream on. */
export interface PickedAgent {
  hostId: string;
  session: http2.ClientHttp2Session;
}

/** Takes an authorised app connection (and its client certificate) inside this process. */
export type LocalAppHandler = (socket: Duplex, clientCertDer: Buffer) => void;

/** The proxy's table of connected agents by app (see the module comment); the app relay asks it which tunnel to send a client connection down. */
export class TunnelRegistry {
  private readonly byApp = new Map<string, Tunnel[]>();
  private readonly local = new Map<string, LocalAppHandler>();
  private readonly all = new Set<Tunnel>();
  /** Per app, the count of picks so far: agents take connections in turn. */
  private readonly turns = new Map<string, number>();
  private proxies: string[] = [];
  private readonly proxyWatch: Reloader;
  private readonly unwatchRoles: () => void;
  private closing = false;

  constructor(
    private readonly auth: AuthService,
    private readonly log: Logger,
    /** This proxy's host id. */
    readonly proxyId: string,
  ) {
    auth.ctx.locks.onChange((locks) => this.tellAll(TUNNEL_PATH.locks, { locks }));
    this.proxyWatch = new Reloader(auth.ctx.backend, [keys.proxies], () => this.loadProxies());
    this.unwatchRoles = auth.ctx.backend.watch([keys.roles], {
      changes: (changes) => this.tellAll(TUNNEL_PATH.roles, { roles: changes.map((c) => c.key.slice(keys.roles.length)) }),
      reset: () => this.tellAll(TUNNEL_PATH.roles, {}),
    });
  }

  /** Reads the live proxies (at start, and whenever a heartbeat came or went); agents hear when the set changed. */
  async loadProxies(): Promise<void> {
    const ids = (await listProxies(this.auth.ctx)).map((p) => p.id).sort();
    if (ids.join() === this.proxies.join()) return;
    this.proxies = ids;
    this.tellAll(TUNNEL_PATH.proxies, { proxies: ids });
  }

  /** Takes a socket that negotiated the tunnel protocol. */
  accept(socket: TLSSocket): void {
    const peer = socket.getPeerCertificate(false);
    let hostId: string;
    try {
      if (!socket.authorized || !peer?.raw) throw new Error(String(socket.authorizationError ?? 'no certificate'));
      const identity = identityOf(readCertificate(peer.raw));
      if (identity.kind !== 'host' || identity.hostRole !== 'app' || identity.cluster !== this.auth.ctx.clusterName || !isSignedBy(peer.raw, this.auth.caCerts().hostCa)) {
        throw new Error('not an app service certificate of this cluster');
      }
      hostId = identity.username;
    } catch (err) {
      this.log.warn('PROXY', `refused a tunnel from ${socket.remoteAddress}: ${(err as Error).message}`);
      socket.destroy();
      return;
    }
    const session = http2.connect('http://agent.tunnel', {
      createConnection: () => socket,
      settings: { initialWindowSize: TUNNEL_WINDOW },
    });
    session.on('error', () => {});
    session.on('connect', () => session.setLocalWindowSize(TUNNEL_WINDOW));
    const req = session.request({ ':method': 'GET', ':path': TUNNEL_PATH.hello, [PROXY_ID_HEADER]: this.proxyId });
    let body = '';
    let status = 0;
    req.setEncoding('utf8');
    req.on('response', (h) => (status = Number(h[':status'])));
    req.on('data', (c) => (body += c));
    req.on('error', () => session.destroy());
    req.on('end', () => {
      if (status === 409) {
        // The agent has a tunnel to this proxy already and dialled the load balancer looking for another one.
        this.log.debug('PROXY', `app service ${hostId} is already connected here; closing its extra tunnel`);
        session.close();
        return;
      }
      let apps: string[] = [];
      try {
        const hello = JSON.parse(body) as { hostId: string; apps: string[] };
        if (hello.hostId !== hostId) throw new Error('host id does not match its certificate');
        apps = hello.apps.map(String);
      } catch (err) {
        this.log.warn('PROXY', `agent ${hostId} sent a bad hello: ${(err as Error).message}`);
        session.destroy();
        return;
      }
      this.register({ hostId, apps, session });
    });
  }

  private register(tunnel: Tunnel): void {
    const { hostId, apps, session } = tunnel;
    this.tell(tunnel, TUNNEL_PATH.locks, { locks: this.auth.ctx.locks.current() });
    this.tell(tunnel, TUNNEL_PATH.proxies, { proxies: this.proxies });
    this.add(tunnel);
    void tunnelOpened(this.auth.ctx, hostId, this.proxyId).catch((err) => this.log.warn('PROXY', `could not record the tunnel of ${hostId}: ${(err as Error).message}`));
    // Tell the agent it is routable now (it reports itself up only then).
    session.request({ ':method': 'POST', ':path': TUNNEL_PATH.registered }, { endStream: true }).on('error', () => {}).resume();
    this.log.info('PROXY', `app service ${hostId} connected a tunnel for ${apps.join(', ')}`);
    keepTunnelAlive(session);
    session.on('close', () => {
      this.remove(tunnel);
      if (this.closing) return;
      if ([...this.all].some((t) => t.hostId === hostId)) return this.log.info('PROXY', `app service ${hostId}: one of its tunnels closed`);
      this.log.info('PROXY', `app service ${hostId} tunnel closed`);
      void this.lost(hostId, apps);
    });
  }

  /** Sends a JSON document down one tunnel (fire and forget: a lost tunnel is re-told everything when it is back). */
  private tell(t: Tunnel, path: string, body: unknown): void {
    if (t.session.closed || t.session.destroyed) return;
    const stream = t.session.request({ ':method': 'POST', ':path': path, 'content-type': 'application/json' });
    stream.on('error', (err) => this.log.debug('PROXY', `could not send ${path} to ${t.hostId}: ${err.message}`));
    stream.resume();
    stream.end(JSON.stringify(body));
  }

  private tellAll(path: string, body: unknown): void {
    for (const t of this.all) this.tell(t, path, body);
  }

  /**
   * Registers an app service running in this process: its connections are
   * handed over directly instead of crossing a tunnel to ourselves.
   */
  addLocal(apps: string[], handler: LocalAppHandler): void {
    for (const app of apps) this.local.set(app, handler);
  }

  /** The in-process handler for an app, if its app service runs here. */
  localHandler(app: string): LocalAppHandler | undefined {
    return this.local.get(app);
  }

  /**
   * An agent serving the app, other than those in `exclude`: agents take
   * connections in turn, so connections spread evenly over them.
   */
  pick(app: string, exclude: ReadonlySet<string> = new Set()): PickedAgent | undefined {
    const agents = new Map<string, http2.ClientHttp2Session>();
    for (const t of this.byApp.get(app) ?? []) {
      if (t.session.closed || t.session.destroyed || exclude.has(t.hostId) || agents.has(t.hostId)) continue;
      agents.set(t.hostId, t.session);
    }
    if (agents.size === 0) return undefined;
    const turn = this.turns.get(app) ?? 0;
    this.turns.set(app, turn + 1);
    const [hostId, session] = [...agents.entries()].sort(([a], [b]) => a.localeCompare(b))[turn % agents.size];
    return { hostId, session };
  }

  /** Names of apps with at least one connected agent. */
  connectedApps(): string[] {
    return [...new Set([...this.local.keys(), ...[...this.byApp.entries()].filter(([, l]) => l.length > 0).map(([a]) => a)])];
  }

  /** Host ids of the agents with a tunnel here (the proxy's heartbeat renews their tunnel records). */
  agents(): string[] {
    return [...new Set([...this.all].map((t) => t.hostId))];
  }

  /** Closes every tunnel (the proxy is stopping); agents no other proxy holds leave the listing first. */
  async closeAll(): Promise<void> {
    this.closing = true;
    this.proxyWatch.close();
    this.unwatchRoles();
    const tunnels = [...this.all];
    const byAgent = new Map(tunnels.map((t) => [t.hostId, t.apps]));
    await Promise.all([...byAgent].map(([hostId, apps]) => this.lost(hostId, apps)));
    for (const t of tunnels) t.session.destroy();
  }

  /** This proxy has no tunnel of the agent any more: its tunnel record goes, and its apps too when no proxy has one. */
  private async lost(hostId: string, apps: string[]): Promise<void> {
    try {
      if (!(await tunnelClosed(this.auth.ctx, hostId, this.proxyId))) return;
      this.log.info('PROXY', `app service ${hostId} has no tunnel to any proxy; its apps leave the listing until it is back`);
      await dropAppServers(this.auth.ctx, hostId, apps);
    } catch (err) {
      this.log.warn('PROXY', `could not take the apps of ${hostId} out of the listing: ${(err as Error).message}`);
    }
  }

  private add(t: Tunnel): void {
    this.all.add(t);
    for (const app of t.apps) this.byApp.set(app, [...(this.byApp.get(app) ?? []), t]);
  }

  private remove(t: Tunnel): void {
    this.all.delete(t);
    for (const app of t.apps) this.byApp.set(app, (this.byApp.get(app) ?? []).filter((x) => x !== t));
  }
}
