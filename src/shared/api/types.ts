/**
 * Shapes that cross the cluster API, shared by the cluster (which produces
 * them) and the clients (which read them), so neither imports the other.
 */

/** An app as listed to a user (`tsh apps ls`). */
export interface AppListing {
  name: string;
  description: string;
  publicAddr: string;
  labels: Record<string, string>;
  uri: string;
  /** True for AWS console apps: they serve AWS API access. */
  aws: boolean;
  /** IAM roles the caller may use on this app (AWS apps). */
  awsRoleArns: string[];
  /** ExternalId the app service passes to STS AssumeRole for this app (AWS apps; not a secret). */
  awsExternalId?: string;
  /** Hostnames of the agents serving it. */
  agents: string[];
}

/** A server-side app session. */
export interface AppSession {
  id: string;
  user: string;
  app: string;
  publicAddr: string;
  awsRoleArn: string;
  created: string;
  expires: string;
}

/** One audit event as stored and returned by `audit.search`. */
export interface AuditEventRecord {
  event: string;
  code: string;
  uid: string;
  time: string;
  user?: string;
  [field: string]: unknown;
}

/** One app served by one app service, as `appServers.list` returns it (`tctl apps ls`). */
export interface AppServerListing {
  hostId: string;
  hostname: string;
  version: string;
  /** When this heartbeat lapses unless the app service beats again (RFC 3339). */
  expires?: string;
  app: { name: string; uri: string; description?: string; labels: Record<string, string>; publicAddr: string; awsExternalId?: string };
}

/** `GET /v1/webapi/ping`: what a proxy says about its cluster, before any login. */
export interface PingResponse {
  server_version: string;
  cluster_name: string;
  proxy: { public_addr: string };
  auth: { type: 'local'; second_factor: 'off' | 'otp'; local: { name: string } };
  min_client_version: string;
}

/** An app as an app service announces it: its `app_service.apps` entry. */
export interface AppSpec {
  name: string;
  uri: string;
  description?: string;
  labels: Record<string, string>;
  publicAddr?: string;
  /** ExternalId passed to STS AssumeRole for this app's roles. */
  awsExternalId?: string;
}

/** A heartbeat record: one app served by one app service (`appServers.heartbeat`). */
export interface AppServerSpec {
  hostId: string;
  hostname: string;
  version: string;
  app: AppSpec;
}

/** A join token as the cluster API returns it. */
export interface TokenRecord {
  token: string;
  roles: string[];
  expires: string;
  createdAt?: string;
  appName?: string;
  appUri?: string;
}

/** One proxy of the cluster, as it heartbeats into the backend (`tctl proxies ls`). */
export interface ProxyListing {
  /** The instance's host id (`<data_dir>/host_uuid`). */
  id: string;
  hostname: string;
  /** Where users reach the cluster (the load balancer's address, behind one). */
  publicAddr: string;
  /** Where this proxy itself listens, as others on its network reach it (what a load balancer points at). */
  addr: string;
  version: string;
  /** When this heartbeat lapses unless the proxy beats again (RFC 3339). */
  expires?: string;
}

/**
 * An access key an app service handed out in an sts:AssumeRole answer it
 * relayed (role chaining), shared through the cluster so that every app
 * service of the same app session honours it.
 */
export interface IssuedKeyRecord {
  accessKeyId: string;
  /** The app session the AssumeRole was made in. */
  sessionId: string;
  /** The principal AWS sees: `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`. */
  assumedRoleArn?: string;
  /** The RoleArn the client asked for. */
  roleArn?: string;
  /** When the key stops working (RFC 3339). */
  expiration: string;
}
