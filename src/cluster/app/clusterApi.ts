/**
 * How the app service reaches the auth service: the cluster API methods it
 * may call as an app host (`roles.byName`, `audit.emit`,
 * `appServers.heartbeat`, `issuedKeys.*`), through the same typed contract
 * (shared/api/clusterApi) and with the same authorisation either way, and
 * the proxy's public address (the Issuer of console sign-ins).
 *
 *   own host:           app service --HTTPS, host certificate--> proxy --> AuthService.call
 *   proxy's process:    app service ------------------------------------> AuthService.call
 */
import type { ApiClient } from '../../shared/http/apiClient.js';
import type { ApiCaller, ApiMethod, ApiParams, ParamsArg } from '../../shared/api/clusterApi.js';
import type { PingResponse } from '../../shared/api/types.js';
import { identityOf } from '../../shared/identity/identity.js';
import { readCertificate } from '../../shared/pki/readCertificate.js';
import type { AuthService } from '../auth/authService.js';

/** The cluster API as the app service calls it: {@link remoteApi} through the proxy, or {@link inProcessApi}. */
export interface ClusterApi extends ApiCaller {
  /** The proxy's public address (host:port), as users reach it. */
  proxyPublicAddr(): Promise<string>;
  close(): void;
}

/** The cluster API through the proxy, over an {@link ApiClient} holding the host certificate. */
export function remoteApi(client: ApiClient): ClusterApi {
  return {
    rpc: (method, ...params) => client.rpc(method, ...params),
    proxyPublicAddr: async () => (await client.get<PingResponse>('/v1/webapi/ping')).proxy.public_addr,
    close: () => client.close(),
  };
}

/** The API of the auth service in this process, called as the holder of `hostCert`. */
export function inProcessApi(auth: AuthService, hostCert: string): ClusterApi {
  const caller = auth.callerFor(identityOf(readCertificate(hostCert)));
  return {
    rpc: async <M extends ApiMethod>(method: M, ...[params]: ParamsArg<M>) => auth.call(method, await caller, (params ?? {}) as ApiParams<M>),
    proxyPublicAddr: async () => auth.ctx.proxyPublicAddr(),
    close() {},
  };
}
