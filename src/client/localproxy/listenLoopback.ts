/**
 * Binding the local proxies, loopback only.
 *
 * A local proxy accepts anything signed with this run's fake keys and sends
 * it on with the user's app certificate: on any other interface, anyone on
 * the network who learned the keys (they are printed, and sit in shell
 * history) would act as the user. So the address is checked before binding,
 * and the two ways binding fails (a taken port, an address that may not be
 * used) become LISTEN errors that say what to do.
 */
import type { Server } from 'node:net';
import { isIP } from 'node:net';
import { TshError } from '../../shared/errors.js';
import { formatHostPort } from '../../shared/net/hostPort.js';

/** True for 127.0.0.0/8, ::1 and `localhost`: the only addresses a local proxy may bind. */
export function isLoopbackAddress(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
  return mapped !== null && mapped[1].startsWith('127.');
}

/**
 * Listens on host:port (port 0: a free one) and resolves with the bound
 * port. Throws TshError('LISTEN') for a non-loopback host (before binding),
 * a busy port, or a port that needs privileges.
 */
export async function listenOnLoopback(server: Server, host: string, port: number): Promise<number> {
  if (!isLoopbackAddress(host)) {
    throw new TshError('LISTEN', `refusing to listen on ${host}: the local AWS proxy listens on loopback addresses only`, {
      hint: 'use 127.0.0.1 (the default); anyone who can reach the proxy can use your AWS role',
    });
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new TshError('USAGE', `invalid port "${port}"`, { hint: 'give a number from 1 to 65535, or omit --port for a free one' });
  }
  const bindHost = host.toLowerCase() === 'localhost' ? '127.0.0.1' : host.replace(/^\[|\]$/g, '');
  const where = formatHostPort({ host: bindHost, port });
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(listenError(err, where, port));
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    // exclusive: never share the port with another process's cluster workers.
    server.listen({ host: bindHost, port, exclusive: true });
  });
  const addr = server.address();
  return typeof addr === 'object' && addr ? addr.port : port;
}

function listenError(err: NodeJS.ErrnoException, where: string, port: number): TshError {
  switch (err.code) {
    case 'EADDRINUSE':
      return new TshError('LISTEN', `port ${port} is already in use (${where})`, {
        hint: 'choose another port with --port, or omit --port to use a free one',
        cause: err,
      });
    case 'EACCES':
      return new TshError('LISTEN', `no permission to listen on port ${port} (${where})`, {
        hint: 'ports below 1024 need privileges; choose a higher port with --port',
        cause: err,
      });
    case 'EADDRNOTAVAIL':
      return new TshError('LISTEN', `the address ${where} is not available on this machine`, { hint: 'use 127.0.0.1', cause: err });
    default:
      return new TshError('LISTEN', `cannot listen on ${where}: ${err.message}`, { cause: err });
  }
}
