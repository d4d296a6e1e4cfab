/**
 * Which hosts are AWS. The forward proxy intercepts only these, and the app
 * service signs requests only for these, so the lists here are a security
 * boundary: a host that passes is one we will attach real AWS credentials to.
 */

/**
 * The AWS partitions by their console host, with the sign-in (federation)
 * host that trades a role session for a console sign-in token there. An app
 * whose URI is one of these consoles (or a regional one under it, such as
 * us-east-1.console.aws.amazon.com) is an AWS app.
 */
const partitions = [
  { console: 'console.aws.amazon.com', signin: 'signin.aws.amazon.com' },
  { console: 'console.amazonaws-us-gov.com', signin: 'signin.amazonaws-us-gov.com' },
  { console: 'console.amazonaws.cn', signin: 'signin.amazonaws.cn' },
];

function partitionOf(uri: string): (typeof partitions)[number] | undefined {
  try {
    const u = new URL(uri);
    if (u.protocol !== 'https:') return undefined;
    return partitions.find((p) => u.hostname === p.console || u.hostname.endsWith(`.${p.console}`));
  } catch {
    return undefined;
  }
}

/** True when uri points at an AWS management console. */
export function isAwsConsoleUri(uri: string): boolean {
  return partitionOf(uri) !== undefined;
}

/**
 * The federation host for a console URI's partition (`signin.aws.amazon.com`,
 * `signin.amazonaws-us-gov.com`, `signin.amazonaws.cn`), or undefined when the
 * URI is not an AWS console.
 */
export function signinHostFor(consoleUri: string): string | undefined {
  return partitionOf(consoleUri)?.signin;
}

const regionPattern = /^[a-z]{2}(?:-[a-z]+)+-\d$/;

/**
 * The AWS region an app's console URI names: a regional console host
 * (`us-west-2.console.aws.amazon.com`) or a `region=` query parameter, else
 * the first region of the partition for GovCloud (`us-gov-west-1`) and China
 * (`cn-north-1`). Undefined for a commercial console URI that names none, and
 * for anything that is not an AWS console.
 */
export function consoleRegion(uri: string): string | undefined {
  if (!isAwsConsoleUri(uri)) return undefined;
  const u = new URL(uri);
  const fromHost = u.hostname.split('.')[0];
  if (regionPattern.test(fromHost)) return fromHost;
  const fromQuery = u.searchParams.get('region') ?? '';
  if (regionPattern.test(fromQuery)) return fromQuery;
  if (u.hostname.endsWith('amazonaws-us-gov.com')) return 'us-gov-west-1';
  if (u.hostname.endsWith('amazonaws.cn')) return 'cn-north-1';
  return undefined;
}

/** A DNS label as AWS uses them: letters, digits, dashes (and underscores in a few bucket names). */
const label = '[a-z0-9](?:[a-z0-9_-]{0,61}[a-z0-9])?';
const awsHostPattern = new RegExp(`^(?:${label}\\.)+(?:amazonaws\\.com|amazonaws\\.com\\.cn|api\\.aws)$`);

/**
 * True for an AWS service endpoint host: `*.amazonaws.com`, `*.amazonaws.com.cn`,
 * `*.api.aws`, including account-based DynamoDB hosts such as
 * `123456789012.ddb.us-east-1.amazonaws.com`. The host is compared whole and
 * lower-cased; ports, userinfo, trailing dots and anything that is not a
 * plain DNS name are refused, so parser tricks cannot smuggle another host in.
 */
export function isAwsHost(host: string): boolean {
  if (host.length > 253) return false;
  return awsHostPattern.test(host);
}

/**
 * True for AWS hosts the local proxy should intercept. SSM's websocket host
 * (`ssmmessages.*`) is tunnelled untouched: `aws ssm start-session` speaks
 * its own protocol over it.
 */
export function shouldIntercept(host: string): boolean {
  const h = host.toLowerCase();
  return isAwsHost(h) && !h.startsWith('ssmmessages.');
}

/**
 * Host without port: "a.b:443" -> "a.b", "[::1]:8" -> "::1". Only digits
 * are a port: "a.b:443@c.d" is returned whole (and is no AWS host), never
 * cut down to "a.b".
 */
export function stripPort(hostHeader: string): string {
  const m = /^\[([^\]]+)\](?::\d+)?$/.exec(hostHeader);
  if (m) return m[1];
  const p = /^([^:]+):\d+$/.exec(hostHeader);
  return p ? p[1] : hostHeader;
}
