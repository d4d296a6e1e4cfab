/**
 * Endpoint-URL mode (`tsh proxy aws --endpoint-url`, `tsh aws -e`): for tools
 * that cannot use an HTTPS proxy, the local proxy is itself the AWS endpoint.
 *
 *   client --TLS to https://127.0.0.1:PORT (leaf for 127.0.0.1/localhost, local CA)-->
 *       endpoint server --> inner HTTP server (Host is local: the AWS host comes from the SigV4 scope)
 *
 * Same checks and forwarding as the forward proxy; only the way in differs.
 */
import net, { type Socket } from 'node:net';
import { listenOnLoopback } from './listenLoopback.js';

/** The address the endpoint's certificate names (with DNS `localhost`). */
export const ENDPOINT_HOST = '127.0.0.1';

/** What the endpoint server needs. */
export interface EndpointServerOptions {
  /** Loopback address; default 127.0.0.1. */
  host?: string;
  port?: number;
  /** Takes over each accepted socket: ends TLS for ENDPOINT_HOST and serves the requests inside. */
  intercept(socket: Socket, host: string): void;
}

/** A running endpoint server. */
export interface EndpointServer {
  port: number;
  /** `https://127.0.0.1:PORT`: the endpoint URL for clients. */
  url: string;
  close(): Promise<void>;
}

/** Starts the endpoint server; throws TshError('LISTEN') when it cannot listen. */
export async function startEndpointServer(opts: EndpointServerOptions): Promise<EndpointServer> {
  const sockets = new Set<Socket>();
  const server = net.createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    opts.intercept(socket, ENDPOINT_HOST);
  });
  const port = await listenOnLoopback(server, opts.host ?? ENDPOINT_HOST, opts.port ?? 0);
  return {
    port,
    url: `https://${ENDPOINT_HOST}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}
