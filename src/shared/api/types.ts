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
