/**
 * The keep-alive pools of the AWS request path (the local proxy's to the
 * cluster, the app service's to AWS), in one place: undici pools whose
 * connections are made here, with the TLS settings given.
 *
 * Why our own connector: undici takes the TLS server name from each
 * request's Host header (and reconnects when it changes), and always offers
 * ALPN http/1.1. On this path the Host is the AWS host while the connection
 * may go to the cluster proxy (which routes app traffic by ALPN tsh-app-v1)
 * or to an operator's endpoint override: the certificate is checked against,
 * and SNI names, the host connected to, whatever Host a request carries.
 */
import net, { type LookupFunction } from 'node:net';
import tls, { type ConnectionOptions } from 'node:tls';
import { Pool, type buildConnector } from 'undici';

export interface KeepAlivePoolOptions {
  /** `https://host:port` or `http://host:port`. */
  origin: string;
  /** TLS settings (secure context, ALPN, rejectUnauthorized); `servername` is the name checked and sent ('' for none: an IP address). */
  tls?: ConnectionOptions & { servername: string };
  /** How names resolve before a connection (the app service's address check). */
  lookup?: LookupFunction;
  /** Idle connections close after this long. */
  idleTimeoutMs: number;
}

/**
 * Most connections per destination; more requests at once wait in the pool
 * for one. Why not one per request: undici hands requests to the first free
 * connection, so under bursts (as requests arrive from the tunnel) the last
 * connections of a larger pool sit idle past the server's keep-alive hint
 * and are made again at the next burst: at 128 clients a pool of 128 opened
 * 60-90 TLS connections per 5 s and its p99 rose to 0.7-1.9 s; one of 64
 * opened none and kept p99 near 0.2-0.35 s (bench, C=128). The cost: a 65th
 * request at once to one endpoint (a long S3 download, say) waits.
 */
const MAX_CONNECTIONS = 64;
const CONNECT_TIMEOUT_MS = 10_000;

export function keepAlivePool(o: KeepAlivePoolOptions): Pool {
  const url = new URL(o.origin);
  const secure = url.protocol === 'https:';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || (secure ? 443 : 80));
  const connect: buildConnector.connector = (_opts, callback) => {
    const socket = secure
      ? tls.connect({ ...o.tls, host, port, servername: o.tls?.servername || undefined, lookup: o.lookup })
      : net.connect({ host, port, lookup: o.lookup });
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 60_000);
    const timer = setTimeout(() => socket.destroy(Object.assign(new Error(`connecting to ${host}:${port} timed out`), { code: 'ETIMEDOUT' })), CONNECT_TIMEOUT_MS);
    const failed = (err: Error) => {
      clearTimeout(timer);
      callback(err, null);
    };
    socket.once('error', failed);
    socket.once(secure ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      socket.off('error', failed);
      callback(null, socket);
    });
  };
  return new Pool(o.origin, { connections: MAX_CONNECTIONS, pipelining: 1, keepAliveTimeout: o.idleTimeoutMs, keepAliveMaxTimeout: o.idleTimeoutMs, connect });
}
