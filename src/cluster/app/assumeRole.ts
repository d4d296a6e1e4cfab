/**
 * Credentials for a user's requests: the app service's own AWS identity (the
 * SDK's default chain: environment, shared files with AWS_PROFILE, instance
 * metadata) assumes the IAM role named in the user's certificate, with the
 * Teleport user as RoleSessionName, so CloudTrail shows who acted. Results
 * are cached per role, user and external id until five minutes before they
 * expire; concurrent requests share one STS call. STS throttling and
 * transient failures are retried by the SDK's standard strategy (exponential
 * backoff with jitter, {@link STS_ATTEMPTS} attempts); what still fails is
 * a clear error naming STS and the role.
 */
import { createHash } from 'node:crypto';
import { TshError } from '../../shared/errors.js';
import type { AwsCredentials } from '../../shared/sigv4/types.js';

const REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;
/** Attempts per AssumeRole, the first included. */
const STS_ATTEMPTS = 3;
/** Error names AWS uses for throttling (STS says `Throttling`; others vary). */
const THROTTLING = new Set(['Throttling', 'ThrottlingException', 'ThrottledException', 'RequestLimitExceeded', 'TooManyRequestsException', 'RequestThrottled', 'RequestThrottledException', 'SlowDown']);
/** Error codes of a connection that never got an answer. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

/** The app service's own credentials as the SDK resolved them, with the SDK's note of where they came from. */
interface BaseCredentials {
  sessionToken?: string;
  $source?: Record<string, unknown>;
}

interface Cached {
  creds: AwsCredentials & { expiration: Date; assumedRoleArn: string };
}

/** RoleSessionName for a user: the name itself, or 47 chars + '-' + 16 hex of its SHA-1 past 64 chars. */
export function roleSessionName(user: string): string {
  if (user.length <= 64) return user;
  return `${user.slice(0, 47)}-${createHash('sha1').update(user).digest('hex').slice(0, 16)}`;
}

/** The app service's source of role credentials (see the module comment), so a burst of user requests does not turn into a burst of STS calls. */
export class AssumeRoleCache {
  private readonly cache = new Map<string, Cached>();
  private readonly inflight = new Map<string, Promise<Cached>>();
  private client?: Promise<{ send(cmd: unknown): Promise<any>; AssumeRoleCommand: new (input: unknown) => unknown; baseCredentials(): Promise<BaseCredentials> }>;

  constructor(private readonly clock: () => Date = () => new Date()) {}

  /** Temporary credentials for (role, user), from the cache when fresh. */
  async get(roleArn: string, user: string, externalId?: string): Promise<Cached['creds']> {
    const key = `${roleArn}\n${user}\n${externalId ?? ''}`;
    const hit = this.cache.get(key);
    if (hit && hit.creds.expiration.getTime() - REFRESH_BEFORE_EXPIRY_MS > this.clock().getTime()) return hit.creds;
    let p = this.inflight.get(key);
    if (!p) {
      p = this.assume(roleArn, user, externalId).finally(() => this.inflight.delete(key));
      this.inflight.set(key, p);
    }
    const fresh = await p;
    this.cache.set(key, fresh);
    return fresh.creds;
  }

  /**
   * New credentials for (role, user), never cached: a console sign-in wants
   * its own session, of the length it asks for (`durationSeconds`, or STS's
   * default of one hour).
   */
  async fresh(roleArn: string, user: string, externalId?: string, durationSeconds?: number): Promise<Cached['creds']> {
    return (await this.assume(roleArn, user, externalId, durationSeconds)).creds;
  }

  /**
   * True when the app service's own AWS credentials are temporary (a role
   * session from the environment, a profile's role, SSO, web identity): then
   * assuming a user's role is role chaining, which AWS caps at one hour and
   * for which the console federation endpoint refuses a SessionDuration.
   * Instance and container metadata credentials carry a session token too but
   * are not chaining; they are the ones the SDK does not tag with a source.
   */
  async baseIsTemporary(): Promise<boolean> {
    const creds = await (await this.sts()).baseCredentials().catch((err) => {
      throw noCredentials(err) ?? err;
    });
    return Boolean(creds.sessionToken) && Object.keys(creds.$source ?? {}).length > 0;
  }

  private async assume(roleArn: string, user: string, externalId?: string, durationSeconds?: number): Promise<Cached> {
    const sts = await this.sts();
    try {
      const out = await sts.send(new sts.AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: roleSessionName(user), ExternalId: externalId, DurationSeconds: durationSeconds }));
      const c = out.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error('STS returned no credentials');
      return {
        creds: {
          accessKeyId: c.AccessKeyId,
          secretAccessKey: c.SecretAccessKey,
          sessionToken: c.SessionToken,
          expiration: new Date(c.Expiration ?? this.clock().getTime() + 3_600_000),
          assumedRoleArn: out.AssumedRoleUser?.Arn ?? roleArn,
        },
      };
    } catch (err) {
      throw stsFailure(err, roleArn);
    }
  }

  private sts() {
    this.client ??= (async () => {
      const m = await import('@aws-sdk/client-sts');
      const region = process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'us-east-1';
      const client = new m.STSClient({ region, maxAttempts: STS_ATTEMPTS });
      return { send: (cmd: unknown) => client.send(cmd as never), AssumeRoleCommand: m.AssumeRoleCommand as any, baseCredentials: () => client.config.credentials() as Promise<BaseCredentials> };
    })();
    return this.client;
  }
}

/** The error a failed AssumeRole stands for: throttled or unreachable STS (503: SDKs retry it), a refusal (403), missing credentials. */
function stsFailure(err: unknown, roleArn: string): TshError {
  const e = err as { name?: string; code?: string; message?: string; $metadata?: { attempts?: number; httpStatusCode?: number } };
  const attempts = e.$metadata?.attempts ?? 1;
  const tries = attempts > 1 ? `, after ${attempts} attempts` : '';
  const region = process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'us-east-1';
  const sts = `AWS STS (${process.env.AWS_ENDPOINT_URL_STS || process.env.AWS_ENDPOINT_URL || `https://sts.${region}.amazonaws.com`})`;
  const missing = noCredentials(err);
  if (missing) return missing;
  if (THROTTLING.has(e.name ?? '') || e.$metadata?.httpStatusCode === 429) {
    return new TshError('UNAVAILABLE', `${sts} is throttling the app service's calls to assume ${roleArn} (${e.name}: ${e.message}${tries})`, {
      hint: 'retry in a moment; if it lasts, the account is over its STS request rate',
    });
  }
  if (UNREACHABLE.has(e.code ?? e.name ?? '') || e.name === 'TimeoutError') {
    return new TshError('UNAVAILABLE', `the app service cannot reach ${sts} to assume ${roleArn} (${e.code ?? e.name}${tries})`, {
      hint: 'check the network path from the app service host to STS, or AWS_ENDPOINT_URL_STS',
    });
  }
  if ((e.$metadata?.httpStatusCode ?? 0) >= 500) {
    return new TshError('UNAVAILABLE', `${sts} failed to assume ${roleArn} (${e.name ?? 'error'}: ${e.message ?? ''}${tries})`, { hint: 'retry in a moment' });
  }
  return new TshError('ACCESS_DENIED', `the app service could not assume ${roleArn}: ${e.message ?? e.name}`, {
    hint: 'check the role\'s trust policy and that the app service\'s identity may call sts:AssumeRole on it',
  });
}

/** The error to report when the SDK found no credentials for the app service, else undefined. */
function noCredentials(err: unknown): TshError | undefined {
  if ((err as { name?: string }).name !== 'CredentialsProviderError') return undefined;
  return new TshError('CONFIG', 'the app service has no AWS credentials to assume roles with', {
    hint: 'give the app service an instance profile, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or AWS_PROFILE',
  });
}
