/**
 * The cluster API as one typed contract: every method's name, the
 * parameters it takes and the result it gives. Both ends are checked
 * against it by the compiler:
 *
 *   tsh, tctl, the app service (ApiClient.rpc)  --POST /v1/rpc/<method>-->  rpcMethods (cluster/auth)
 *   an app service in the auth's process (inProcessApi)  ------------------>  rpcMethods
 *
 * The server reads each parameter as {@link Untrusted} (the names are the
 * contract's, the values still have to be checked: they came off the
 * network), and must answer with exactly the result type.
 */
import type { Lock, Resource, Role } from '../resources/types.js';
import type { AppListing, AppServerListing, AppServerSpec, AppSession, AuditEventRecord, IssuedKeyRecord, ProxyListing, TokenRecord } from './types.js';

/** `tctl status`: who the cluster is, and the proxies heartbeating now (for callers who may read the cluster). */
export interface ClusterStatus {
  clusterName: string;
  version: string;
  caPin: string;
  proxies?: ProxyListing[];
}

/** An invite or reset link for a user. */
export interface UserInvite {
  user: string;
  inviteUrl: string;
  expires: string;
  /** How long the link is valid, in ms. */
  ttl: number;
}

/** One user as `tctl users ls` shows it. */
export interface UserListing {
  name: string;
  roles: string[];
  traits: Record<string, string[]>;
  created: string;
  hasPassword: boolean;
  lockedUntil?: string;
}

/** An audit event as an app service sends it (`audit.emit`). */
export interface EmittedEvent {
  event: string;
  fields: Record<string, unknown>;
}

/** Nothing to say back. */
export type Empty = Record<string, never>;

/** Every method: `{ params; result }`. */
export interface ClusterApiMethods {
  'cluster.status': { params: Empty; result: ClusterStatus };
  'proxies.list': { params: Empty; result: ProxyListing[] };

  'resources.create': { params: { docs: unknown[]; overwrite?: boolean }; result: { written: string[]; warnings: string[] } };
  'resources.get': { params: { kind: string; name?: string }; result: Array<Resource | TokenRecord> };
  'resources.delete': { params: { kind: string; name: string }; result: Empty };

  'users.add': { params: { name: string; roles: string[]; awsRoleArns?: string[] }; result: UserInvite & { warnings: string[] } };
  'users.update': {
    params: { name: string; roles?: string[]; awsRoleArns?: string[] };
    result: { user: string; roles: string[]; traits: Record<string, string[]>; warnings: string[] };
  };
  'users.list': { params: Empty; result: UserListing[] };
  'users.delete': { params: { name: string }; result: Empty };
  'users.reset': { params: { name: string }; result: UserInvite };

  'tokens.add': {
    params: { type: string; ttl?: string; appName?: string; appUri?: string };
    result: TokenRecord & { proxyAddr: string; caPin: string };
  };
  'tokens.list': { params: Empty; result: TokenRecord[] };
  'tokens.delete': { params: { token: string }; result: Empty };

  'locks.create': { params: { user?: string; role?: string; message?: string; ttl?: string; expires?: string }; result: Lock };
  'locks.list': { params: Empty; result: Lock[] };

  'apps.list': { params: Empty; result: AppListing[] };
  'appServers.list': { params: Empty; result: AppServerListing[] };
  'appServers.heartbeat': { params: { servers: AppServerSpec[] }; result: Empty };
  'appSessions.create': { params: { app: string; awsRoleArn?: string; publicKey: string; ttlMs?: number }; result: { cert: string; session: AppSession } };
  'appSessions.renew': { params: { sessionId: string; publicKey: string; ttlMs?: number }; result: { cert: string; session: AppSession } };
  'appSessions.delete': { params: { sessionId: string }; result: { deleted: boolean } };

  'audit.search': { params: { since?: string; limit?: number; event?: string }; result: AuditEventRecord[] };
  'audit.emit': { params: { events: EmittedEvent[] }; result: Empty };

  'roles.byName': { params: { names: string[] }; result: Role[] };
  'issuedKeys.record': { params: { key: IssuedKeyRecord }; result: Empty };
  'issuedKeys.find': { params: { accessKeyId: string; sessionId: string }; result: { key?: IssuedKeyRecord } };
}

/** A method's name. */
export type ApiMethod = keyof ClusterApiMethods;
export type ApiParams<M extends ApiMethod> = ClusterApiMethods[M]['params'];
export type ApiResult<M extends ApiMethod> = ClusterApiMethods[M]['result'];
/** The parameters as the server receives them: the contract's names, values not yet checked. */
export type Untrusted<T> = { [K in keyof T]?: unknown };
/** The parameter list of a call: optional when the method takes none. */
export type ParamsArg<M extends ApiMethod> = Empty extends ApiParams<M> ? [params?: ApiParams<M>] : [params: ApiParams<M>];

/** Anything that calls the cluster API the contract's way: over HTTPS or in process. */
export interface ApiCaller {
  rpc<M extends ApiMethod>(method: M, ...params: ParamsArg<M>): Promise<ApiResult<M>>;
}
