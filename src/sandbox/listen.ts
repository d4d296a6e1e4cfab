import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TshError } from '../shared/errors.js';

/**
 * The ports the sandbox's servers take, one after another: `first`, `first + 1`, ...
 * (`teleport sandbox --port`), or a free one each when `first` is undefined or 0.
 */
export function portSequence(first?: number): () => number {
  let next = first ?? 0;
  return () => (next === 0 ? 0 : next++);
}

/**
 * Starting and stopping the sandbox's HTTP servers: each listens on
 * 127.0.0.1 (port 0, a free one, unless `teleport sandbox --port` chose), and
 * stopping drops kept-alive client connections too, so that nothing is left
 * holding the process open after close().
 *
 * Idle kept-alive connections stay open until their client closes them (or
 * the sandbox stops). Node's default closes them after 5 s, and a client
 * reusing one at that moment loses its request to a reset: under load that
 * happened a few times in 40,000 requests (the soak test), where AWS
 * endpoints, which keep idle connections far longer, make it rare.
 */
export async function listenLocal(server: Server, port = 0): Promise<string> {
  server.keepAliveTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new TshError('LISTEN', `127.0.0.1:${port} is already in use`, { hint: 'choose other ports with --port (the sandbox takes that port and the next ones)' }) : err);
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      resolve();
    });
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Stops a server started by {@link listenLocal}; resolves once it is closed. */
export async function closeServer(server: Server): Promise<void> {
  if (!server.listening) return;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}
