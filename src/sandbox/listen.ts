import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Starting and stopping the sandbox's HTTP servers: each listens on
 * 127.0.0.1 port 0, and stopping drops kept-alive client connections too, so
 * that nothing is left holding the process open after close().
 */
export async function listenLocal(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
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
