/**
 * The app service's end of the reverse tunnel (see proxy/tunnelRegistry).
 *
 * It dials the proxy with its host certificate and ALPN tsh-tunnel-v1, then
 * runs an HTTP/2 *server* on that outbound socket: the proxy opens streams
 * to it. It pings the proxy, and on any loss reconnects with backoff
 * (100 ms doubling to {@link MAX_RETRY_MS}, jittered) for as long as the
 * process runs, so a restarted proxy or a broken link heals by itself:
 *
 *   tunnel up ... lost (WARN, once) -> dial, dial, ... (at most ~1 s apart)
 *     -> proxy back: TLS, /hello, /registered -> onUp (heartbeat) -> "up again after N s" (INFO)
 *
 * The retry timer is what keeps an app service's process alive while its
 * proxy is away: nothing else is running then.
 */
import tls from 'node:tls';
import http2 from 'node:http2';
import type { Logger } from '../logger.js';
import { keepTunnelAlive } from '../tunnelKeepAlive.js';
import { ALPN, TUNNEL_PATH, TUNNEL_WINDOW } from '../../shared/api/protocol.js';
import type { Lock } from '../../shared/resources/types.js';
import { metrics } from '../diag/metrics.js';

const HANDSHAKE_TIMEOUT_MS = 5_000;
const FIRST_RETRY_MS = 100;
/**
 * The longest wait between two dials. A proxy that comes back is dialled
 * within this (plus a handshake), which keeps the promise that an app
 * service is served again within 2 s of its proxy's return.
 */
export const MAX_RETRY_MS = 1_000;

/** Where the tunnel goes, with which credentials, and what the app service does with each stream the proxy opens. */
export interface TunnelAgentOptions {
  /** The proxy's host and port. */
  host: string;
  port: number;
  /** The app service's host key and certificate (PEM), which the proxy checks. */
  key: string;
  cert: string;
  /** Roots that verify the proxy (cluster host CA, system roots); ignored when insecure. */
  ca?: string[];
  insecure: boolean;
  /** TLS server name when the proxy host is not the name its certificate carries. */
  servername?: string;
  /** Reported to the proxy in answer to its `/hello` stream. */
  hostId: string;
  /** App names this agent serves; streams for any other app get 404. */
  apps: string[];
  log: Logger;
  /** Runs each time the proxy registers the tunnel, before it is reported up (the app service heartbeats here). */
  onUp?(): Promise<void>;
  /** The locks in force, as the proxy sends them (on registration and on every change). */
  onLocks?(locks: Lock[]): void;
  /** A stream for an app (path /app/<name>), with its headers. */
  onAppStream(app: string, stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): void;
}

/** The app service's one tunnel to the proxy (see the module comment); `start` dials, `close` stops reconnecting. */
export class TunnelAgent {
  private session?: http2.ServerHttp2Session;
  private socket?: tls.TLSSocket;
  private closed = false;
  private delay = FIRST_RETRY_MS;
  private retry?: NodeJS.Timeout;
  private connectedOnce = false;
  private registered = false;
  /** Since when the proxy has been unreachable, and how often it was dialled since (said in the "up again" line). */
  private outage?: { since: number; attempts: number };
  private lastError?: string;
  /** Resolves once the first tunnel is up. */
  readonly ready: Promise<void>;
  private resolveReady!: () => void;

  constructor(private readonly opts: TunnelAgentOptions) {
    this.ready = new Promise((r) => (this.resolveReady = r));
  }

  start(): void {
    this.connect();
  }

  private connect(): void {
    if (this.closed) return;
    const o = this.opts;
    const socket = tls.connect({
      host: o.host,
      port: o.port,
      key: o.key,
      cert: o.cert,
      ca: o.ca,
      rejectUnauthorized: !o.insecure,
      servername: o.servername,
      ALPNProtocols: [ALPN.tunnel],
    });
    this.socket = socket;
    socket.setTimeout(HANDSHAKE_TIMEOUT_MS, () => socket.destroy(new Error('handshake timed out')));
    socket.on('error', (err) => {
      this.lastError = (err as NodeJS.ErrnoException).code ?? err.message;
      if (!this.closed) o.log.debug('APP', `tunnel to ${o.host}:${o.port}: ${err.message}`);
    });
    socket.on('close', () => this.lost());
    socket.once('secureConnect', () => {
      socket.setTimeout(0);
      socket.setNoDelay(true);
      if (socket.alpnProtocol !== ALPN.tunnel) {
        o.log.error('APP', `${o.host}:${o.port} is not a tsh-aws proxy (no tunnel protocol)`);
        socket.destroy();
        return;
      }
      const session = http2.performServerHandshake(socket, { settings: { initialWindowSize: TUNNEL_WINDOW } });
      this.session = session;
      session.on('error', () => {});
      session.on('remoteSettings', () => {
        try {
          session.setLocalWindowSize(TUNNEL_WINDOW);
        } catch {
          /* session closing */
        }
      });
      session.on('stream', (stream, headers) => this.onStream(stream, headers));
      keepTunnelAlive(session);
    });
  }

  /** The proxy's address, for messages. */
  get target(): string {
    return `${this.opts.host}:${this.opts.port}`;
  }

  /** True while the proxy routes to this tunnel (registered and not lost since). */
  get up(): boolean {
    return this.registered;
  }

  private onStream(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): void {
    stream.on('error', () => {});
    const path = String(headers[':path'] ?? '');
    if (path === TUNNEL_PATH.hello) {
      stream.respond({ ':status': 200, 'content-type': 'application/json' });
      stream.end(JSON.stringify({ hostId: this.opts.hostId, apps: this.opts.apps }));
      return;
    }
    if (path === TUNNEL_PATH.locks) {
      this.readLocks(stream);
      return;
    }
    if (path === TUNNEL_PATH.registered) {
      // The proxy routes to us from now on: only now is the tunnel "up" for users.
      stream.respond({ ':status': 204 });
      stream.end();
      void this.registeredNow();
      return;
    }
    const m = /^\/app\/([^/]+)$/.exec(path);
    if (m) {
      const app = decodeURIComponent(m[1]);
      if (this.opts.apps.includes(app)) {
        this.opts.onAppStream(app, stream, headers);
        return;
      }
    }
    stream.respond({ ':status': 404 });
    stream.end();
  }

  private readLocks(stream: http2.ServerHttp2Stream): void {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      let locks: Lock[];
      try {
        locks = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { locks: Lock[] }).locks;
        if (!Array.isArray(locks)) throw new Error('no list of locks');
      } catch (err) {
        this.opts.log.warn('APP', `the proxy sent unreadable locks: ${(err as Error).message}`);
        stream.respond({ ':status': 400 });
        return void stream.end();
      }
      this.opts.onLocks?.(locks);
      stream.respond({ ':status': 204 });
      stream.end();
    });
  }

  private async registeredNow(): Promise<void> {
    const o = this.opts;
    this.registered = true;
    this.delay = FIRST_RETRY_MS;
    await o.onUp?.();
    if (!this.connectedOnce || !this.outage) o.log.info('APP', `tunnel to the proxy at ${this.target} is up, serving ${o.apps.join(', ')}`);
    else {
      o.log.info('APP', `tunnel to the proxy at ${this.target} is up again after ${((Date.now() - this.outage.since) / 1000).toFixed(1)} s (${this.outage.attempts} attempts)`);
      metrics.tunnelReconnect();
    }
    this.connectedOnce = true;
    this.outage = undefined;
    this.resolveReady();
  }

  /** The socket closed: say so once per outage, and dial again after a jittered wait. */
  private lost(): void {
    if (this.closed || this.retry) return;
    const o = this.opts;
    const wasUp = this.registered;
    this.registered = false;
    if (!this.outage) {
      this.outage = { since: Date.now(), attempts: 0 };
      const why = this.lastError ?? 'connection closed';
      o.log.warn('APP', wasUp ? `lost the tunnel to the proxy at ${this.target} (${why}); reconnecting until it is back` : `cannot reach the proxy at ${this.target} (${why}); retrying until it answers`);
    }
    this.lastError = undefined;
    const wait = this.delay * (0.5 + Math.random() * 0.5);
    this.delay = Math.min(this.delay * 2, MAX_RETRY_MS);
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.outage!.attempts++;
      this.connect();
    }, wait);
  }

  close(): void {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    this.session?.destroy();
    this.socket?.destroy();
  }
}
