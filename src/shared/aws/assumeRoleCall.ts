/**
 * sts:AssumeRole as it passes through our hops: recognising the call and
 * reading the temporary credentials of its answer. Both hops that relay AWS
 * requests learn from it: the local proxy, to verify signatures made with
 * chained keys, and the app service, to know which keys it handed out in
 * which app session (role chaining; see cluster/app/issuedKeys).
 */
import { gunzipSync } from 'node:zlib';
import type { AwsCredentials } from '../sigv4/types.js';

/** Temporary credentials an AssumeRole answer carried. */
export interface AssumeRoleAnswer {
  credentials: AwsCredentials & { sessionToken: string };
  /** `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`, when the answer names it. */
  assumedRoleArn?: string;
  expiration: Date;
}

/** Largest AssumeRole answer read for its credentials (real ones are about 1.5 KB). */
export const MAX_ASSUME_ROLE_ANSWER = 1 << 20;

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
export function parseAssumeRoleResponse(body: Buffer, contentEncoding?: string): AssumeRoleAnswer | undefined {
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

function fromXml(text: string): AssumeRoleAnswer | undefined {
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

function fromJson(text: string): AssumeRoleAnswer | undefined {
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

function build(accessKeyId?: string, secretAccessKey?: string, sessionToken?: string, expiration?: string, assumedRoleArn?: string): AssumeRoleAnswer | undefined {
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
