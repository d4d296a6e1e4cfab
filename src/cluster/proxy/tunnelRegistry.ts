/**
 * Reverse tunnels from app services, as the proxy sees them.
 *
 *   app service --TLS (ALPN tsh-tunnel-v1, host cert)--> proxy
 *   proxy: HTTP/2 *client* over that socket; the agent is the HTTP/2 server
 *   proxy --GET /hello--> agent: { hostId, apps }      (which apps it serves)
 *   proxy --POST /locks--> agent: { locks }            (the locks in force; again on every change)
 *   proxy --POST /registered--> agent                  (routable from now on)
 *   proxy --POST /app/<name> (one stream per client connection)--> agent
 *
 * The agent's host id must match its certificate; the registry keeps the
 * live sessions per app and pings them so a half-open tunnel is dropped
 * within seconds. When an agent's last tunnel closes, its apps leave the
 * listing (`tctl apps ls`, `tsh apps ls`) at once.
 */
import http2 from 'node:http2';
import type { TLSSocket } from 'node:tls';
import type { Duplex } from 'node:stream';
import { readCertificate, isSignedBy } from '../../shared/pki/readCertificate.js';
import { identityOf } from '../../shared/identity/identity.js';
import type { AuthService } from '../auth/authService.js';
import { dropAppServers } from '../auth/apps.js';
import type { Logger } from '../logger.js';
import { keepTunnelAlive } from '../tunnelKeepAlive.js';
import { TUNNEL_PATH, TUNNEL_WINDOW } from '../../shared/api/protocol.js';
import type { Lock } from '../../shared/resources/types.js';

interface Tunnel {
  hostId: string;
  apps: string[];
  session: http2.ClientHttp2Session;
}

/** Takes an authorised app connection (and its client certificate) inside this process. */
export type LocalAppHandler = (socket: Duplex, clientCertDer: Buffer) => void;

/** The proxy's table of connected agents by app (see the module comment); the app relay asks it which tunnel to send a client connection down. */
export class TunnelRegistry {
  private readonly byApp = new Map<string, Tunnel[]>();
  private readonly local = new Map<string, LocalAppHandler>();
  private readonly all = new Set<Tunnel>();
  private next = 0;
  private closing = false;

  constructor(
    private readonly auth: AuthService,
    private readonly log: Logger,
  ) {
    auth.ctx.locks.onChange((locks) => {
      for (const t of this.all) this.sendLocks(t, locks);
    });
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
    const req = session.request({ ':method': 'GET', ':path': TUNNEL_PATH.hello });
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c) => (body += c));
    req.on('error', () => session.destroy());
    req.on('end', () => {
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
      const tunnel: Tunnel = { hostId, apps, session };
      this.sendLocks(tunnel, this.auth.ctx.locks.current());
      this.add(tunnel);
      // Tell the agent it is routable now (it reports itself up only then).
      session.request({ ':method': 'POST', ':path': TUNNEL_PATH.registered }, { endStream: true }).on('error', () => {}).resume();
      this.log.info('PROXY', `app service ${hostId} connected a tunnel for ${apps.join(', ')}`);
      keepTunnelAlive(session);
      session.on('close', () => {
        this.remove(tunnel);
        if (this.closing) return;
        if ([...this.all].some((t) => t.hostId === hostId)) return this.log.info('PROXY', `app service ${hostId}: one of its tunnels closed`);
        this.log.info('PROXY', `app service ${hostId} tunnel closed; its apps leave the listing until it is back`);
        void this.unlist(tunnel);
      });
    });
  }

  /** The whole set each time: an agent holds exactly what its proxy holds. */
  private sendLocks(t: Tunnel, locks: Lock[]): void {
    if (t.session.closed || t.session.destroyed) return;
    const stream = t.session.request({ ':method': 'POST', ':path': TUNNEL_PATH.locks, 'content-type': 'application/json' });
    stream.on('error', (err) => this.log.debug('PROXY', `could not send the locks to ${t.hostId}: ${err.message}`));
    stream.resume();
    stream.end(JSON.stringify({ locks }));
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

  /** A live tunnel serving the app (round-robin over agents), or undefined. */
  pick(app: string): http2.ClientHttp2Session | undefined {
    const list = (this.byApp.get(app) ?? []).filter((t) => !t.session.closed && !t.session.destroyed);
    if (list.length === 0) return undefined;
    this.next = (this.next + 1) % list.length;
    return list[this.next].session;
  }

  /** Names of apps with at least one connected agent. */
  connectedApps(): string[] {
    return [...new Set([...this.local.keys(), ...[...this.byApp.entries()].filter(([, l]) => l.length > 0).map(([a]) => a)])];
  }

  /** Closes every tunnel (the proxy is stopping) and takes their agents' apps out of the listing first. */
  async closeAll(): Promise<void> {
    this.closing = true;
    const tunnels = [...this.all];
    await Promise.all(tunnels.map((t) => this.unlist(t)));
    for (const t of tunnels) t.session.destroy();
  }

  private async unlist(t: Tunnel): Promise<void> {
    await dropAppServers(this.auth.ctx, t.hostId, t.apps).catch((err) => this.log.warn('PROXY', `could not take the apps of ${t.hostId} out of the listing: ${(err as Error).message}`));
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
