import type { TeleportProcess } from '../teleportProcess.js';

/**
 * Why a running process cannot serve, service by service, or undefined when
 * it can (what /readyz answers):
 *   auth   the storage backend answers a read
 *   proxy  it listens and holds the cluster's CAs
 *   app    its tunnel to the proxy is up (always, when it runs in the proxy's process)
 */
export async function readiness(proc: TeleportProcess): Promise<string | undefined> {
  if (proc.auth) {
    try {
      await proc.auth.ctx.backend.get('/cluster/name');
    } catch (err) {
      return `auth service: the storage backend is unreachable (${(err as Error).message})`;
    }
  }
  if (proc.proxy) {
    if (!proc.proxy.server.listening) return 'proxy service: not listening';
    const cas = proc.auth?.caCerts();
    if (!cas?.userCa || !cas.hostCa) return 'proxy service: the cluster CAs are not loaded';
  }
  return proc.app?.readiness();
}
