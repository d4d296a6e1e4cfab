/**
 * Apps in the resource shapes of Teleport (`kind: app`, `kind: app_server`,
 * both `version: v3`, snake_case fields), which `tsh apps ls -f json|yaml` and
 * `tctl apps ls -f json|yaml` print, so scripts written against Teleport's
 * output (`.metadata.name`, `.spec.public_addr`, `.spec.app.spec.uri`) work
 * here as written.
 */
import { consoleRegion, isAwsConsoleUri } from '../aws/endpoints.js';

/** What an app is, whichever side of the cluster API describes it. */
export interface AppFacts {
  name: string;
  description?: string;
  labels: Record<string, string>;
  uri: string;
  /** The address users reach it at (`<name>.<proxy host>` unless configured). */
  publicAddr: string;
  /** ExternalId the app service passes to STS AssumeRole (AWS apps). */
  awsExternalId?: string;
}

/** Teleport's `app` resource, v3. */
export interface AppResource {
  kind: 'app';
  version: 'v3';
  metadata: { name: string; description: string; labels: Record<string, string> };
  spec: {
    uri: string;
    public_addr: string;
    /** `AWS` for an AWS console app, as Teleport marks them. */
    cloud?: 'AWS';
    /** AWS apps only: the ExternalId used when assuming roles, and the region the console URI names. */
    aws?: { external_id?: string; region?: string };
  };
}

/** Teleport's `app_server` resource, v3: one app as one app service serves it. */
export interface AppServerResource {
  kind: 'app_server';
  version: 'v3';
  metadata: { name: string; expires?: string };
  spec: { version: string; hostname: string; host_id: string; app: AppResource };
}

/** An app as a `kind: app` resource. */
export function appResource(app: AppFacts): AppResource {
  const spec: AppResource['spec'] = { uri: app.uri, public_addr: app.publicAddr };
  if (isAwsConsoleUri(app.uri)) {
    spec.cloud = 'AWS';
    const region = consoleRegion(app.uri);
    // Left out when empty, as Teleport does.
    if (app.awsExternalId || region) spec.aws = { ...(app.awsExternalId ? { external_id: app.awsExternalId } : {}), ...(region ? { region } : {}) };
  }
  return { kind: 'app', version: 'v3', metadata: { name: app.name, description: app.description ?? '', labels: app.labels ?? {} }, spec };
}

/** One heartbeat record (app service and app) as a `kind: app_server` resource. */
export function appServerResource(server: { hostId: string; hostname: string; version: string; expires?: string; app: AppFacts }): AppServerResource {
  return {
    kind: 'app_server',
    version: 'v3',
    metadata: { name: server.app.name, ...(server.expires ? { expires: server.expires } : {}) },
    spec: { version: server.version, hostname: server.hostname, host_id: server.hostId, app: appResource(server.app) },
  };
}
