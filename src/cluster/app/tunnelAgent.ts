/**
 * The app service's end of the reverse tunnel (see proxy/tunnelRegistry).
 *
 * It dials the proxy with its host certificate and ALPN tsh-tunnel-v1, then
 * runs an HTTP/2 *server* on that outbound socket: the proxy opens streams
 * to it. It pings the proxy, and on any loss reconnects with backoff
 * (100 ms doubling to 5 s, with jitter), so a restarted proxy or a broken
 * link heals by itself.
 */
import tls from 'node:tls';
import http2 from 'node:http2';
import type { Logger } from '../logger.js';
import { keepTunnelAlive } from '../tunnelKeepAlive.js';
import { ALPN, TUNNEL_WINDOW } from '../../shared/api/protocol.js';
import { metrics } from '../diag/metrics.js';

const HANDSHAKE_TIMEOUT_MS = 5_000;

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
  /** A stream for an app (path /app/<name>), with its headers. */
  onAppStream(app: string, stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): void;
}

/** The app service's one tunnel to the proxy (see the module comment); `start` dials, `close` stops reconnecting. */
export class TunnelAgent {
  private session?: http2.ServerHttp2Session;
  private socket?: tls.TLSSocket;
  private closed = false;
  private delay = 100;
  private retry?: NodeJS.Timeout;
  private connectedOnce = false;
  private isUp = false;
  /** Resolves once the first tunnel is up. */
  readonly ready: Promise<void>;
  private resolveReady!: () => void;

  constructor(private readonly opts: TunnelAgentOptions) {
    this.ready = new Promise((r) => (this.resolveReady = r));
  }

  start(): void {
    this.connect();
  }

  /** The proxy's address, for messages. */
  get target(): string {
    return `${this.opts.host}:${this.opts.port}`;
  }

  /** True while the proxy routes to this tunnel (registered and not lost since). */
  get up(): boolean {
    return this.isUp;
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
      if (!this.closed) o.log.debug('APP', `tunnel to ${o.host}:${o.port}: ${err.message}`);
    });
    socket.on('close', () => {
      this.isUp = false;
      this.scheduleReconnect();
    });
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
      this.delay = 100;
    });
  }

  private onStream(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): void {
    stream.on('error', () => {});
    const path = String(headers[':path'] ?? '');
    if (path === '/hello') {
      stream.respond({ ':status': 200, 'content-type': 'application/json' });
      stream.end(JSON.stringify({ hostId: this.opts.hostId, apps: this.opts.apps }));
      return;
    }
    if (path === '/registered') {
      // The proxy routes to us from now on: only now is the tunnel "up" for users.
      stream.respond({ ':status': 204 });
      stream.end();
      const o = this.opts;
      if (!this.connectedOnce) o.log.info('APP', `tunnel to the proxy at ${o.host}:${o.port} is up, serving ${o.apps.join(', ')}`);
      else {
        o.log.info('APP', `tunnel to the proxy at ${o.host}:${o.port} is up again`);
        metrics.tunnelReconnect();
      }
      this.connectedOnce = true;
      this.isUp = true;
      this.resolveReady();
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

  private scheduleReconnect(): void {
    if (this.closed || this.retry) return;
    const wait = this.delay * (0.75 + Math.random() * 0.5);
    this.delay = Math.min(this.delay * 2, 5_000);
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.connect();
    }, wait);
    this.retry.unref();
  }

  close(): void {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    this.session?.destroy();
    this.socket?.destroy();
  }
}
