import type { TLSSocket } from 'node:tls';
import { TshError } from '../../shared/errors.js';
import type { AuthService } from './authService.js';
import type { Caller } from './authContext.js';

const cache = new WeakMap<TLSSocket, { generation: number; caller: Promise<Caller | undefined> }>();

/**
 * The caller behind a TLS connection, from its client certificate: undefined
 * when none was sent, SESSION_EXPIRED for an expired one, CERTIFICATE for one
 * this cluster did not issue. Computed once per connection, and again after
 * any user, role or lock changed (on any instance: the change feed moves
 * `callerGeneration`), so a kept-alive connection never acts on stale roles.
 */
export function peerCaller(auth: AuthService, socket: TLSSocket): Promise<Caller | undefined> {
  const hit = cache.get(socket);
  if (hit && hit.generation === auth.callerGeneration) return hit.caller;
  const caller = resolve(auth, socket);
  cache.set(socket, { generation: auth.callerGeneration, caller });
  return caller;
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
