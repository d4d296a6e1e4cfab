/**
 * How the app service reaches the auth service: the cluster API methods it
 * may call as an app host (`roles.byName`, `audit.emit`,
 * `appServers.heartbeat`), with the same authorisation either way.
 *
 *   own host:           app service --HTTPS, host certificate--> proxy --> AuthService.call
 *   proxy's process:    app service ------------------------------------> AuthService.call
 */
import type { ApiClient } from '../../shared/http/apiClient.js';
import { identityOf } from '../../shared/identity/identity.js';
import { readCertificate } from '../../shared/pki/readCertificate.js';
import type { AuthService } from '../auth/authService.js';

/** The cluster API as the app service calls it: an {@link ApiClient} through the proxy, or {@link inProcessApi}. */
export interface ClusterApi {
  rpc<T = unknown>(method: string, params: Record<string, unknown>): Promise<T>;
  close(): void;
}

/** The API of the auth service in this process, called as the holder of `hostCert`. */
export function inProcessApi(auth: AuthService, hostCert: string): ClusterApi {
  const caller = auth.callerFor(identityOf(readCertificate(hostCert)));
  return {
    rpc: async <T>(method: string, params: Record<string, unknown>) => (await auth.call(method, await caller, params)) as T,
    close() {},
  };
}
