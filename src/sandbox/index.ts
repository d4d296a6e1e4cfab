import { startDynamoDbGateway } from './dynamodbGateway.js';
import { SandboxIam, type SandboxRoleSpec } from './iam.js';
import type { SandboxRequest } from './requestLog.js';
import { seedTables, type SandboxTableSpec } from './seedTables.js';
import { startSts } from './sts.js';
import { startFederation } from './federation.js';
import { startS3 } from './s3.js';
import { portSequence } from './listen.js';

export type { SandboxRoleSpec } from './iam.js';
export type { SandboxRequest } from './requestLog.js';
export type { SandboxTableSpec } from './seedTables.js';

/** What the fake AWS account starts with, so each test or demo run can set up the roles and tables it needs. */
export interface SandboxOptions {
  /** Default 123456789012. */
  accountId?: string;
  /** IAM roles that exist from the start (more can be added with `addRole`). */
  roles?: SandboxRoleSpec[];
  /** DynamoDB tables created and filled before startSandbox resolves. */
  tables?: SandboxTableSpec[];
  /** The sandbox's notion of now: session expiry, Expiration, signature clock skew. */
  clock?: () => Date;
  /** The first port of the servers, which take consecutive ports in the order they start (STS, DynamoDB, ...); default: free ones. */
  port?: number;
}

/** A running local AWS: STS, DynamoDB, S3 and the console sign-in (federation) endpoint on loopback. */
export interface Sandbox {
  accountId: string;
  /** The operator IAM user's long-lived key (random per sandbox): the key the app service uses to assume roles. */
  baseCredentials: { accessKeyId: string; secretAccessKey: string };
  stsEndpoint: string;
  dynamodbEndpoint: string;
  /** The sign-in federation endpoint's base URL (`<signinEndpoint>/federation`). */
  signinEndpoint: string;
  /** S3 (path-style; objects in a temp dir). */
  s3Endpoint: string;
  /** The SDKs' standard endpoint variables pointing at this sandbox. */
  endpointEnv(): Record<string, string>;
  /** Adds a role after start; returns its ARN. */
  addRole(role: SandboxRoleSpec): string;
  /**
   * Makes STS answer every request with `Throttling` ("Rate exceeded", HTTP
   * 400, as AWS does past a caller's rate) for the next `requests` requests
   * and/or for `forMs`; `{}` ends it.
   */
  throttleSts(opts: { requests?: number; forMs?: number }): void;
  /** Every request answered, in order. */
  requests: SandboxRequest[];
  /** Stops every server; nothing is left running. */
  close(): Promise<void>;
}

/**
 * Starts the stand-in for AWS that tests and the demo use (DESIGN.md, "Local
 * AWS sandbox"): STS that checks the operator's SigV4 and hands out role
 * sessions, DynamoDB (dynalite behind a verifying gateway) that accepts only
 * those sessions, and the console sign-in federation endpoint that trades
 * them for a one-use sign-in token. Everything listens on 127.0.0.1 on random ports; the
 * product reaches it only through AWS_ENDPOINT_URL_* variables.
 */
export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const accountId = opts.accountId ?? '123456789012';
  const clock = opts.clock ?? (() => new Date());
  const iam = new SandboxIam(accountId);
  for (const role of opts.roles ?? []) iam.addRole(role);
  const requests: SandboxRequest[] = [];
  const log = (entry: SandboxRequest): void => {
    requests.push(entry);
  };

  const throttle = { untilMs: 0, requests: 0 };
  const nextPort = portSequence(opts.port);
  const sts = await startSts({ iam, clock, log, throttle, port: nextPort() });
  let dynamodb: Awaited<ReturnType<typeof startDynamoDbGateway>> | undefined;
  let federation: Awaited<ReturnType<typeof startFederation>> | undefined;
  let s3: Awaited<ReturnType<typeof startS3>> | undefined;
  try {
    dynamodb = await startDynamoDbGateway({ iam, clock, log, port: nextPort() });
    federation = await startFederation({ iam, clock, log, port: nextPort() });
    s3 = await startS3({ iam, clock, log, port: nextPort() });
    await seedTables(dynamodb.callBackend, opts.tables ?? []);
  } catch (err) {
    await s3?.close();
    await federation?.close();
    await dynamodb?.close();
    await sts.close();
    throw err;
  }
  const gateway = dynamodb;
  const signin = federation;
  const objects = s3;

  let closed = false;
  return {
    accountId,
    baseCredentials: { ...iam.operator.credentials },
    stsEndpoint: sts.endpoint,
    dynamodbEndpoint: gateway.endpoint,
    signinEndpoint: signin.endpoint,
    s3Endpoint: objects.endpoint,
    endpointEnv: () => ({ AWS_ENDPOINT_URL_STS: sts.endpoint, AWS_ENDPOINT_URL_DYNAMODB: gateway.endpoint, AWS_ENDPOINT_URL_SIGNIN: signin.endpoint, AWS_ENDPOINT_URL_S3: objects.endpoint }),
    addRole: (role) => iam.addRole(role).arn,
    throttleSts: ({ requests = 0, forMs = 0 }) => {
      throttle.requests = requests;
      throttle.untilMs = forMs > 0 ? clock().getTime() + forMs : 0;
    },
    requests,
    close: async () => {
      if (closed) return;
      closed = true;
      await Promise.all([sts.close(), gateway.close(), signin.close(), objects.close()]);
    },
  };
}
