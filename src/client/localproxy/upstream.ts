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
import https from 'node:https';
import tls from 'node:tls';
import { secureContextTrusting } from '../../shared/http/secureContextTrusting.js';
import { ALPN } from '../../shared/api/protocol.js';
import { isIP, type Socket } from 'node:net';
import type { Duplex, Readable } from 'node:stream';
import { TshError } from '../../shared/errors.js';
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { transportError } from '../../shared/http/apiClient.js';
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
  /** Raw `[name, value, name, value...]` (repeats kept apart) or an object. */
  headers: OutgoingHttpHeaders | string[];
  /** Buffered, or a stream sent as it comes (an error on it ends the request with that error). */
  body: Buffer | Readable;
}

/** https.Agent whose connections send small TLS records at once (no Nagle delay between head and body). */
class AppAgent extends https.Agent {
  override createConnection(options: https.RequestOptions, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
    const socket = super.createConnection(options, callback);
    (socket as Socket | null | undefined)?.setNoDelay?.(true);
    return socket;
  }
}

/** A pool with the in-flight count that decides when a retired pool may close. */
interface Generation {
  agent: AppAgent;
  inFlight: number;
  retired: boolean;
}

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
    if (old.inFlight === 0) old.agent.destroy();
  }

  /**
   * Forwards one request and resolves with the response (its body still to
   * be read), or rejects with a TshError saying why the cluster could not be
   * reached. The caller must consume or destroy the response.
   */
  async request(req: UpstreamRequest): Promise<IncomingMessage> {
    if (this.closed) throw transportError(Object.assign(new Error('the local proxy is closing'), { code: 'ECONNRESET' }), this.addr);
    const gen = this.current;
    gen.inFlight++;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      gen.inFlight--;
      if (gen.retired && gen.inFlight === 0) gen.agent.destroy();
    };
    try {
      const res = await this.send(gen.agent, req, false);
      res.once('close', release);
      return res;
    } catch (err) {
      release();
      throw err;
    }
  }

  private send(agent: AppAgent, req: UpstreamRequest, isRetry: boolean): Promise<IncomingMessage> {
    return new Promise<IncomingMessage>((resolve, reject) => {
      let answered = false;
      const out = https.request(
        { host: this.host, port: this.port, method: req.method, path: req.path, headers: req.headers, agent },
        (res) => {
          answered = true;
          resolve(res);
        },
      );
      out.on('error', (err: NodeJS.ErrnoException) => {
        if (answered) return; // the response stream reports its own errors
        // A kept-alive connection the cluster closed while it sat idle: try once more on a new one.
        // The cluster closes all of a session's connections at once, so the other idle ones go too.
        if (!isRetry && out.reusedSocket && Buffer.isBuffer(req.body)) {
          for (const list of Object.values(agent.freeSockets)) for (const s of list ?? []) s.destroy();
          resolve(this.send(agent, req, true));
        }
        // The body's own failure (a chunk signature that did not match, the client gone) is the answer.
        else reject(err instanceof TshError ? err : transportError(err, this.addr));
      });
      if (Buffer.isBuffer(req.body)) out.end(req.body);
      else {
        req.body.once('error', (err) => out.destroy(err));
        req.body.pipe(out);
      }
    });
  }

  /** Closes every connection, idle or not. */
  close(): void {
    this.closed = true;
    this.current.agent.destroy();
  }

  private generation(identity: UpstreamIdentity): Generation {
    // One secure context per certificate, built once. Passing key/cert/ca as agent options instead
    // would make Node rebuild a context for every connection and, worse, concatenate every root
    // certificate into the pool key on every request (https.Agent#getName: ~0.7 ms a request).
    const secureContext = trustingClusterCas(identity, this.opts.clusterCas);
    const agent = new AppAgent({
      keepAlive: true,
      keepAliveMsecs: 15_000,
      maxFreeSockets: 256,
      scheduling: 'lifo',
      timeout: this.opts.idleTimeoutMs ?? 30_000,
      secureContext,
      rejectUnauthorized: !this.opts.insecure,
      // Always explicit: left unset, Node would take the server name from the Host header (the AWS host).
      // '' (no SNI) for an IP address, which is then checked against the certificate's IP names.
      servername: isIP(this.host) ? '' : this.host,
      ALPNProtocols: [ALPN.app],
    });
    return { agent, inFlight: 0, retired: false };
  }
}

/** The client certificate, trusting the system roots plus the cluster's CAs (see secureContextTrusting). */
function trustingClusterCas(identity: UpstreamIdentity, clusterCas: string | undefined): tls.SecureContext {
  return secureContextTrusting({ key: identity.key, cert: identity.cert, extraCas: clusterCas ? [clusterCas] : [] });
}
