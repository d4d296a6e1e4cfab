import type { Server } from 'node:net';
import { TshError } from '../shared/errors.js';
import { formatHostPort, type HostPort } from '../shared/net/hostPort.js';

/**
 * Starts a server listening and resolves with the bound address, turning the
 * usual failures (port taken, no permission, unknown host) into CONFIG
 * errors that name the setting to change.
 */
export function listen(server: Server, at: HostPort, setting: string): Promise<HostPort> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      const addr = formatHostPort(at);
      const why =
        err.code === 'EADDRINUSE' ? `${addr} is already in use` :
        err.code === 'EACCES' ? `no permission to listen on ${addr}` :
        err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND' ? `${at.host} is not an address of this machine` :
        `cannot listen on ${addr}: ${err.message}`;
      reject(new TshError('LISTEN', why, { hint: `change ${setting}, or stop what uses that port` }));
    };
    server.once('error', onError);
    server.listen(at.port, at.host, () => {
      server.off('error', onError);
      const a = server.address();
      if (a && typeof a === 'object') resolve({ host: a.address, port: a.port });
      else resolve(at);
    });
  });
}
