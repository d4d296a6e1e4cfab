/**
 * Role chaining through the local proxy.
 *
 *   client --sts:AssumeRole (fake keys)--> local proxy --> cluster --> STS
 *   client <--- 200 with temporary Credentials ---------------------+
 *            (the proxy remembers AccessKeyId -> secret, token, role)
 *   client --request signed with those keys--> local proxy: verified with them, forwarded
 *
 * Tools such as Terraform assume a second role with the credentials the
 * first one gave them, then sign with the new keys. Those keys came back
 * through this proxy, so it can check signatures made with them exactly as
 * it checks the fake keys; nothing else is accepted.
 */
import { gunzipSync } from 'node:zlib';
import type { AwsCredentials } from '../../shared/sigv4/types.js';

/** Temporary credentials an AssumeRole answered through this proxy, and the role they stand for. */
export interface AssumedRole {
  credentials: AwsCredentials & { sessionToken: string };
  /** The role the client asked for (RoleArn of the request), when known. */
  roleArn?: string;
  /** `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`, when the response names it. */
  assumedRoleArn?: string;
  expiration: Date;
}

/** How many chained credentials are kept; the oldest go first. */
const MAX_ENTRIES = 1000;

/** The chained credentials this proxy has seen, by access key id. */
export class AssumedRoleStore {
  private readonly byKeyId = new Map<string, AssumedRole>();

  constructor(private readonly clock: () => Date = () => new Date()) {}

  /** Remembers credentials from an AssumeRole response. */
  add(role: AssumedRole): void {
    this.byKeyId.delete(role.credentials.accessKeyId);
    this.byKeyId.set(role.credentials.accessKeyId, role);
    for (const key of this.byKeyId.keys()) {
      if (this.byKeyId.size <= MAX_ENTRIES) break;
      this.byKeyId.delete(key);
    }
  }

  /** The unexpired credentials for an access key id, if this proxy handed them out. */
  get(accessKeyId: string): AssumedRole | undefined {
    const role = this.byKeyId.get(accessKeyId);
    if (role && role.expiration.getTime() <= this.clock().getTime()) {
      this.byKeyId.delete(accessKeyId);
      return undefined;
    }
    return role;
  }

  /** True when the key id was handed out here but has expired (for a clearer refusal). */
  has(accessKeyId: string): boolean {
    return this.byKeyId.has(accessKeyId);
  }
}

/**
 * True when a request is an STS AssumeRole call (query protocol: `Action=AssumeRole`
 * in the form body or the query string).
 */
export function isAssumeRoleCall(query: string, body: Buffer, contentType: string | undefined): boolean {
  if (/(^|&)Action=AssumeRole(&|$)/.test(query)) return true;
  return /x-www-form-urlencoded/i.test(contentType ?? '') && /(^|&)Action=AssumeRole(&|$)/.test(body.toString('latin1'));
}

/** The RoleArn parameter of an AssumeRole request, if present. */
export function requestedRoleArn(query: string, body: Buffer): string | undefined {
  for (const source of [body.toString('utf8'), query]) {
    const m = /(?:^|&)RoleArn=([^&]*)/.exec(source);
    if (m) {
      try {
        return decodeURIComponent(m[1].replace(/\+/g, ' '));
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * Reads the Credentials of an AssumeRole response (STS's XML, or the JSON
 * shape some SDKs ask for), or undefined when the body is not one.
 * A gzip-encoded body is inflated first.
 */
export function parseAssumeRoleResponse(body: Buffer, contentEncoding?: string): Omit<AssumedRole, 'roleArn'> | undefined {
  let raw = body;
  if (/gzip/i.test(contentEncoding ?? '')) {
    try {
      raw = gunzipSync(body);
    } catch {
      return undefined;
    }
  }
  const text = raw.toString('utf8');
  return text.trimStart().startsWith('{') ? fromJson(text) : fromXml(text);
}

function fromXml(text: string): Omit<AssumedRole, 'roleArn'> | undefined {
  if (!/<AssumeRoleResponse[\s>]/.test(text)) return undefined;
  const creds = /<Credentials>([\s\S]*?)<\/Credentials>/.exec(text)?.[1];
  if (!creds) return undefined;
  const field = (xml: string, name: string) => {
    const m = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml);
    return m ? unescapeXml(m[1].trim()) : undefined;
  };
  const user = /<AssumedRoleUser>([\s\S]*?)<\/AssumedRoleUser>/.exec(text)?.[1];
  return build(field(creds, 'AccessKeyId'), field(creds, 'SecretAccessKey'), field(creds, 'SessionToken'), field(creds, 'Expiration'), user ? field(user, 'Arn') : undefined);
}

function fromJson(text: string): Omit<AssumedRole, 'roleArn'> | undefined {
  try {
    const doc = JSON.parse(text) as Record<string, any>;
    const result = doc.AssumeRoleResponse?.AssumeRoleResult ?? doc.AssumeRoleResult ?? doc;
    const c = result?.Credentials;
    if (!c) return undefined;
    const expiration = typeof c.Expiration === 'number' ? new Date(c.Expiration * 1000).toISOString() : c.Expiration;
    return build(c.AccessKeyId, c.SecretAccessKey, c.SessionToken, expiration, result.AssumedRoleUser?.Arn);
  } catch {
    return undefined;
  }
}

function build(accessKeyId?: string, secretAccessKey?: string, sessionToken?: string, expiration?: string, assumedRoleArn?: string): Omit<AssumedRole, 'roleArn'> | undefined {
  if (!accessKeyId || !secretAccessKey || !sessionToken) return undefined;
  const expires = expiration ? new Date(expiration) : new Date(Date.now() + 3_600_000);
  if (Number.isNaN(expires.getTime())) return undefined;
  return { credentials: { accessKeyId, secretAccessKey, sessionToken }, assumedRoleArn, expiration: expires };
}

function unescapeXml(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_, e: string) => {
    switch (e.toLowerCase()) {
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'amp':
        return '&';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
      default:
        return String.fromCodePoint(e[1].toLowerCase() === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    }
  });
}
