/**
 * One reverse tunnel from the app service to one proxy (see
 * proxy/tunnelRegistry for the other end): the transport under agentPool,
 * which decides how many to keep and when to dial.
 *
 * It dials the proxy (or the load balancer in front of the proxies) with the
 * host certificate and ALPN tsh-tunnel-v1, then runs an HTTP/2 *server* on
 * that outbound socket: the proxy opens the streams.
 *
 *   TLS up -> proxy: GET /hello (x-tsh-proxy-id) -> accept(id)? 200 {hostId, apps} : 409 and close
 *          -> proxy: POST /locks, /proxies -> POST /registered -> onRegistered(id)
 *          -> proxy: POST /app/<name> per client connection, /locks, /proxies, /roles on changes
 *   socket closed (either end, a ping unanswered) -> onClosed, once
 */
import tls from 'node:tls';
import http2 from 'node:http2';
import type { Logger } from '../logger.js';
import { keepTunnelAlive } from '../tunnelKeepAlive.js';
import { ALPN, PROXY_ID_HEADER, TUNNEL_PATH, TUNNEL_WINDOW } from '../../shared/api/protocol.js';
import type { Lock } from '../../shared/resources/types.js';

const HANDSHAKE_TIMEOUT_MS = 5_000;
/** Documents the proxy sends down the tunnel are small; anything bigger is refused. */
const MAX_DOCUMENT_BYTES = 4 << 20;

/** What the app service does with what comes down a tunnel (the same for every tunnel). */
export interface TunnelHandlers {
  /** The locks in force, as the proxy sends them (on registration and on every change). */
  onLocks?(locks: Lock[]): void;
  /** The roles that changed (undefined: any may have). */
  onRoles?(roles: string[] | undefined): void;
  /** A stream for an app (path /app/<name>), with its headers, from the proxy with that id. */
  onAppStream(app: string, stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders, proxyId: string | undefined): void;
}

/** Where the tunnel goes, with which credentials. */
export interface TunnelAgentOptions extends TunnelHandlers {
  /** The proxy's (or load balancer's) host and port. */
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
}

/** What a pool learns from one tunnel. */
export interface TunnelEvents {
  /** At the proxy's hello: keep this tunnel? (No when one to that proxy exists already.) */
  accept(proxyId: string): boolean;
  /** The proxy routes to this tunnel from now on. */
  onRegistered(proxyId: string): void;
  /** The live proxies' ids, as the proxy sends them. */
  onProxies(ids: string[]): void;
  /** The tunnel is gone (or never came up); `why` when it failed. Called once. */
  onClosed(why: string | undefined): void;
}

/** One tunnel (see the module comment): `connect` dials once, `close` ends it. */
export class TunnelAgent {
  private session?: http2.ServerHttp2Session;
  private socket?: tls.TLSSocket;
  private lastError?: string;
  private closed = false;
  /** The proxy's id, once its hello named it. */
  proxyId?: string;
  /** The proxy sent its hello to a proxy this pool already reaches, and was told so. */
  duplicate = false;

  constructor(
    private readonly opts: TunnelAgentOptions,
    private readonly events: TunnelEvents,
  ) {}

  connect(): void {
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
    socket.on('close', () => {
      if (this.closed) return;
      this.closed = true;
      this.events.onClosed(this.lastError);
    });
    socket.once('secureConnect', () => {
      socket.setTimeout(0);
      socket.setNoDelay(true);
      if (socket.alpnProtocol !== ALPN.tunnel) {
        o.log.error('APP', `${o.host}:${o.port} is not a tsh-aws proxy (no tunnel protocol)`);
        this.lastError = 'not a tsh-aws proxy';
        socket.destroy();
        return;
      }
      const session = http2.performServerHandshake(socket, { settings: { initialWindowSize: TUNNEL_WINDOW } });
      this.session = session;
      session.on('error', () => {});
      session.on('close', () => socket.destroy());
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

  private onStream(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): void {
    stream.on('error', () => {});
    const path = String(headers[':path'] ?? '');
    const o = this.opts;
    switch (path) {
      case TUNNEL_PATH.hello: {
        // A proxy that names no id (an older one) is told apart by the address it was reached at.
        const id = String(headers[PROXY_ID_HEADER] ?? `${o.host}:${o.port}`);
        this.proxyId = id;
        if (!this.events.accept(id)) {
          this.duplicate = true;
          stream.respond({ ':status': 409 });
          stream.end();
          return;
        }
        stream.respond({ ':status': 200, 'content-type': 'application/json' });
        stream.end(JSON.stringify({ hostId: o.hostId, apps: o.apps }));
        return;
      }
      case TUNNEL_PATH.locks:
        return this.readDocument<{ locks: Lock[] }>(stream, (d) => Array.isArray(d.locks), (d) => o.onLocks?.(d.locks));
      case TUNNEL_PATH.proxies:
        return this.readDocument<{ proxies: string[] }>(stream, (d) => Array.isArray(d.proxies), (d) => this.events.onProxies(d.proxies.map(String)));
      case TUNNEL_PATH.roles:
        return this.readDocument<{ roles?: string[] }>(stream, (d) => d.roles === undefined || Array.isArray(d.roles), (d) => o.onRoles?.(d.roles?.map(String)));
      case TUNNEL_PATH.registered:
        // The proxy routes to us from now on: only now is the tunnel "up" for users.
        stream.respond({ ':status': 204 });
        stream.end();
        this.events.onRegistered(this.proxyId ?? `${o.host}:${o.port}`);
        return;
    }
    const m = /^\/app\/([^/]+)$/.exec(path);
    if (m) {
      const app = decodeURIComponent(m[1]);
      if (o.apps.includes(app)) return o.onAppStream(app, stream, headers, this.proxyId);
    }
    stream.respond({ ':status': 404 });
    stream.end();
  }

  /** Reads one JSON document the proxy sends, checks its shape and hands it on; 400 for a bad one. */
  private readDocument<T>(stream: http2.ServerHttp2Stream, valid: (doc: T) => boolean, use: (doc: T) => void): void {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_DOCUMENT_BYTES) stream.close(http2.constants.NGHTTP2_REFUSED_STREAM);
      else chunks.push(c);
    });
    stream.on('end', () => {
      let doc: T;
      try {
        doc = JSON.parse(Buffer.concat(chunks).toString('utf8')) as T;
        if (!doc || !valid(doc)) throw new Error('not the expected document');
      } catch (err) {
        this.opts.log.warn('APP', `the proxy sent an unreadable document: ${(err as Error).message}`);
        stream.respond({ ':status': 400 });
        return void stream.end();
      }
      use(doc);
      stream.respond({ ':status': 204 });
      stream.end();
    });
  }

  close(): void {
    this.closed = true;
    this.session?.destroy();
    this.socket?.destroy();
  }
}
