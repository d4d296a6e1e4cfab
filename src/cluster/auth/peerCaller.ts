import type { TLSSocket } from 'node:tls';
import { TshError } from '../../shared/errors.js';
import type { AuthService } from './authService.js';
import type { Caller } from './authContext.js';

const cache = new WeakMap<TLSSocket, Promise<Caller | undefined>>();

/**
 * The caller behind a TLS connection, from its client certificate: undefined
 * when none was sent, SESSION_EXPIRED for an expired one, CERTIFICATE for one
 * this cluster did not issue. Computed once per connection.
 */
export function peerCaller(auth: AuthService, socket: TLSSocket): Promise<Caller | undefined> {
  let p = cache.get(socket);
  if (!p) {
    p = resolve(auth, socket);
    cache.set(socket, p);
  }
  return p;
}

async function resolve(auth: AuthService, socket: TLSSocket): Promise<Caller | undefined> {
  const peer = socket.getPeerCertificate?.(false);
  if (!peer || !peer.raw) return undefined;
  if (!socket.authorized) {
    const reason = String(socket.authorizationError ?? '');
    if (reason === 'CERT_HAS_EXPIRED') throw new TshError('SESSION_EXPIRED', 'your session has expired', { hint: 'log in again with `tsh login`' });
    throw new TshError('CERTIFICATE', 'the client certificate was not issued by this cluster', { hint: 'log in to this cluster with `tsh login --proxy=...`' });
  }
  return auth.authenticate(peer.raw);
}
