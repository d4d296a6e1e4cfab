/**
 * The HTTPS_PROXY that AWS clients are pointed at (`tsh proxy aws`, `tsh aws`).
 *
 *   aws CLI / SDK                      tsh (this process)
 *   -------------                      ------------------------------------------------------
 *   CONNECT dynamodb.us-east-1...:443 -> forward proxy (127.0.0.1:PORT)
 *                                        |- AWS host: 200, TLS ends here (leaf from the local CA),
 *                                        |            decrypted requests go to the inner HTTP server
 *                                        |- other host: tunnelled untouched (user's HTTPS_PROXY or direct)
 *                                        `- not CONNECT, or not host:port: 400
 *
 * It listens on loopback only (see listenLoopback). The intercepted socket
 * is handed over as it is (the TLS terminator wraps it in place), so an
 * intercepted request crosses no extra TCP hop.
 */
import http, { type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { shouldIntercept } from '../../shared/aws/endpoints.js';
import { parseHostPort } from '../../shared/net/hostPort.js';
import { writeAwsError } from '../../shared/http/awsError.js';
import { refuseMalformedRequest } from '../../shared/http/malformedRequest.js';
import { listenOnLoopback } from './listenLoopback.js';
import { tunnel } from './tunnel.js';
import { TshError } from '../../shared/errors.js';

/** What the forward proxy needs. */
export interface ForwardProxyOptions {
  /** Loopback address to listen on; default 127.0.0.1. */
  host?: string;
  /** Port; 0 or absent for a free one. */
  port?: number;
  /**
   * Takes over the socket of an intercepted CONNECT (already answered 200):
   * ends TLS on it for `host` and serves the requests inside (see localAwsProxy).
   */
  intercept(socket: Socket, host: string): void;
  /** tsh's own environment: HTTPS_PROXY / NO_PROXY for tunnelled hosts. */
  env: NodeJS.ProcessEnv;
  /** Do not verify an https:// HTTPS_PROXY (tsh --insecure). */
  insecure?: boolean;
}

/** A running forward proxy. */
export interface ForwardProxy {
  port: number;
  /** `http://127.0.0.1:PORT`: the HTTPS_PROXY value for clients. */
  url: string;
  /** Stops listening and closes every connection it holds. */
  close(): Promise<void>;
}

/** Starts the forward proxy; throws TshError('LISTEN') when it cannot listen. */
export async function startForwardProxy(opts: ForwardProxyOptions): Promise<ForwardProxy> {
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    // A plain request means the client was not told to tunnel: refuse it, whatever it is.
    req.resume();
    const body = 'this is an HTTPS proxy for AWS clients: only CONNECT is supported\n';
    res.writeHead(400, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body), connection: 'close' });
    res.end(body);
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('clientError', refuseMalformedRequest);
  server.on('connect', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    let target: { host: string; port: number };
    try {
      target = connectTarget(req.url ?? '');
    } catch (err) {
      writeAwsError(socket, err, {});
      return;
    }
    socket.setNoDelay(true);
    if (shouldIntercept(target.host)) {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) socket.unshift(head);
      opts.intercept(socket, target.host.toLowerCase());
    } else {
      tunnel(socket, head, target, { env: opts.env, insecure: Boolean(opts.insecure) });
    }
  });

  const host = opts.host ?? '127.0.0.1';
  const port = await listenOnLoopback(server, host, opts.port ?? 0);
  const shown = host === 'localhost' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return {
    port,
    url: `http://${shown}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

/**
 * The authority of a CONNECT (`host:port`, `[v6]:port`; the port may be left
 * out for 443). Anything with a scheme, path, userinfo or space is refused
 * rather than cut down to a host: what is tunnelled is what was asked for.
 */
function connectTarget(target: string): { host: string; port: number } {
  if (/[\s/@?#]/.test(target)) throw new TshError('BAD_INPUT', `invalid CONNECT target "${target.slice(0, 80)}"`, { hint: 'a CONNECT names host:port' });
  return parseHostPort(target, 443, 'CONNECT target');
}
