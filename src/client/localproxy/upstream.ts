/**
 * The local proxy's connections to the cluster proxy.
 *
 *   local proxy ==mTLS (app certificate, ALPN tsh-app-v1)==> cluster proxy web address
 *                 HTTP/1.1 keep-alive: one request at a time per connection,
 *                 idle connections reused (no TLS handshake per request)
 *
 * The cluster closes these connections when the app session ends or the app
 * certificate expires, so a connection can die while idle in the pool: a
 * request with a buffered body that fails on a reused connection before any
 * byte of a response arrived is sent once more on a fresh one. A streamed
 * body cannot be sent twice: its failure is the caller's (SDKs retry). When the app certificate is renewed, new requests go out on a new
 * pool with the new certificate, while requests already in flight finish on
 * the old one, which is closed once they are done.
 */
import tls from 'node:tls';
import { isIP } from 'node:net';
import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { Pool } from 'undici';
import { secureContextTrusting } from '../../shared/http/secureContextTrusting.js';
import { ALPN } from '../../shared/api/protocol.js';
import { TshError } from '../../shared/errors.js';
import { transportError } from '../../shared/http/apiClient.js';
import { keepAlivePool } from '../../shared/http/keepAlivePool.js';
import { relayResponse, type RelayHooks } from '../../shared/http/relayResponse.js';
import { formatHostPort, parseHostPort } from '../../shared/net/hostPort.js';

/** The client certificate presented to the cluster (PEM). */
export interface UpstreamIdentity {
  key: string;
  cert: string;
}

/** Where and how to reach the cluster proxy. */
export interface UpstreamOptions {
  /** host:port of the cluster proxy's web address (profile.webProxyAddr). */
  addr: string;
  /** PEM of the cluster's CAs, trusted in addition to the system roots. */
  clusterCas?: string;
  /** Skip verifying the cluster proxy's certificate (`--insecure`). */
  insecure?: boolean;
  identity: UpstreamIdentity;
  /** Idle connections are closed after this long; default 30 s (below the cluster's 60 s). */
  idleTimeoutMs?: number;
}

/** One request to forward. */
export interface UpstreamRequest {
  method: string;
  /** Raw path and query, exactly as the client sent them. */
  path: string;
  /** Raw `[name, value, name, value...]`, repeats kept apart. */
  headers: string[];
  /** Buffered, or a stream sent as it comes (an error on it ends the request with that error). */
  body: Buffer | Readable;
}

/** A pool with the in-flight count that decides when a retired pool may close. */
interface Generation {
  pool: Pool;
  inFlight: number;
  retired: boolean;
}

/** Errors of a kept-alive connection that the other end had closed: worth one more try on a fresh one. */
const STALE = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE', 'UND_ERR_CLOSED']);

/** Keep-alive connections to the cluster proxy whose client certificate can be swapped. */
export class UpstreamPool {
  private readonly host: string;
  private readonly port: number;
  private readonly addr: string;
  private current: Generation;
  private closed = false;

  constructor(private readonly opts: UpstreamOptions) {
    const hp = parseHostPort(opts.addr, 3080, 'proxy address');
    this.host = hp.host;
    this.port = hp.port;
    this.addr = formatHostPort(hp);
    this.current = this.generation(opts.identity);
  }

  /** Sends new requests with a renewed certificate; requests in flight finish on their connections. */
  setIdentity(identity: UpstreamIdentity): void {
    const old = this.current;
    this.current = this.generation(identity);
    old.retired = true;
    if (old.inFlight === 0) void old.pool.destroy();
  }

  /**
   * Forwards one request and relays its answer into `res` (see
   * relayResponse); `hooks.onError` gets a TshError saying why the cluster
   * could not be reached, when it could not.
   */
  relay(req: UpstreamRequest, res: ServerResponse, hooks: RelayHooks): void {
    if (this.closed) return hooks.onError(transportError(Object.assign(new Error('the local proxy is closing'), { code: 'ECONNRESET' }), this.addr));
    const gen = this.current;
    gen.inFlight++;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      gen.inFlight--;
      if (gen.retired && gen.inFlight === 0) void gen.pool.destroy();
    };
    const send = (isRetry: boolean) =>
      relayResponse(gen.pool, req, res, {
        ...hooks,
        onError: (err) => {
          // A kept-alive connection the cluster closed while it sat idle: a buffered request goes once more on a new
          // one (undici has dropped the dead connection). A streamed body cannot be sent twice.
          const code = String((err as NodeJS.ErrnoException).code ?? '');
          if (!isRetry && Buffer.isBuffer(req.body) && STALE.has(code) && !res.destroyed) return send(true);
          release();
          // The body's own failure (a chunk signature that did not match, the client gone) is the answer.
          hooks.onError(err instanceof TshError ? err : transportError(err as NodeJS.ErrnoException, this.addr));
        },
        onEnd: (complete) => {
          release();
          hooks.onEnd?.(complete);
        },
      });
    send(false);
  }

  /** One request, answered whole (for tsh's own calls on the app path, such as `tsh aws console`). */
  async fetch(req: { method: string; path: string; headers: Record<string, string> }): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
    try {
      const res = await this.current.pool.request({ method: req.method as 'GET', path: req.path, headers: req.headers });
      return { status: res.statusCode, headers: res.headers, body: Buffer.from(await res.body.arrayBuffer()) };
    } catch (err) {
      throw transportError(err as NodeJS.ErrnoException, this.addr);
    }
  }

  /** Closes every connection, idle or not. */
  close(): void {
    this.closed = true;
    void this.current.pool.destroy();
  }

  private generation(identity: UpstreamIdentity): Generation {
    // One secure context per certificate, built once (building one per connection costs ~1 ms).
    const secureContext = trustingClusterCas(identity, this.opts.clusterCas);
    const pool = keepAlivePool({
      origin: `https://${formatHostPort({ host: this.host, port: this.port })}`,
      // The name checked is the proxy's, whatever Host the request carries (the AWS host);
      // '' (no SNI) for an IP address, which is then checked against the certificate's IP names.
      tls: { secureContext, rejectUnauthorized: !this.opts.insecure, servername: isIP(this.host) ? '' : this.host, ALPNProtocols: [ALPN.app] },
      idleTimeoutMs: this.opts.idleTimeoutMs ?? 30_000,
    });
    return { pool, inFlight: 0, retired: false };
  }
}

/** The client certificate, trusting the system roots plus the cluster's CAs (see secureContextTrusting). */
function trustingClusterCas(identity: UpstreamIdentity, clusterCas: string | undefined): tls.SecureContext {
  return secureContextTrusting({ key: identity.key, cert: identity.cert, extraCas: clusterCas ? [clusterCas] : [] });
}
