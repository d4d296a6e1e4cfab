/**
 * Where the app service sends a signed AWS request.
 *
 * The target is the request's Host, accepted only when it is an AWS
 * endpoint by name (see shared/aws/endpoints) and, when the connection is
 * made, by address: the name must not resolve to loopback, private, CGNAT,
 * link-local (instance metadata), multicast or unspecified addresses
 * ({@link checkedLookup}), so a DNS answer cannot turn an AWS name into a
 * way to reach IMDS or the app service's own network. An operator may point a
 * service elsewhere with the SDKs' standard variables, as LocalStack and
 * DynamoDB Local users do: `AWS_ENDPOINT_URL_<SERVICE>` (e.g.
 * AWS_ENDPOINT_URL_DYNAMODB) or `AWS_ENDPOINT_URL` for all services; the
 * destination such a variable names is the operator's choice and is not
 * checked by address (the way to use VPC interface endpoints with private
 * addresses).
 */
import dns from 'node:dns';
import { BlockList, type LookupFunction } from 'node:net';
import { TshError } from '../../shared/errors.js';
import { isAwsHost, stripPort } from '../../shared/aws/endpoints.js';

/** The resolved destination of one request. */
export interface AwsTarget {
  /** http: or https: */
  protocol: string;
  hostname: string;
  port: number;
  /** Host header to sign and send. */
  host: string;
  /** Path prefix of an override URL ('' normally). */
  basePath: string;
  /** The AWS host the request named (its Host, without port), whatever the destination. */
  awsHost: string;
  /** The AWS_ENDPOINT_URL* variable that chose the destination, if one did. */
  override?: string;
}

/** Signing names whose SDK service id differs from the upper-cased signing name. */
const serviceIdBySigningName: Record<string, string> = {
  'execute-api': 'API_GATEWAY',
  'es': 'OPENSEARCH',
  'monitoring': 'CLOUDWATCH',
  'logs': 'CLOUDWATCH_LOGS',
  'events': 'EVENTBRIDGE',
  'states': 'SFN',
};

/** Resolves the target for a request's Host header and SigV4 signing service. */
export function resolveAwsTarget(hostHeader: string | undefined, signingService: string, env: NodeJS.ProcessEnv = process.env): AwsTarget {
  const host = stripPort(String(hostHeader ?? '')).toLowerCase();
  if (!isAwsHost(host)) {
    throw new TshError('ACCESS_DENIED', `"${hostHeader ?? ''}" is not an AWS endpoint; only AWS service endpoints are reachable through this app`, {
      hint: 'send the request to an *.amazonaws.com, *.amazonaws.com.cn or *.api.aws host',
    });
  }
  const serviceId = serviceIdBySigningName[signingService] ?? signingService.toUpperCase().replace(/[^A-Z0-9]/g, '_');
  return endpointOverride(serviceId, env, host) ?? { protocol: 'https:', hostname: host, port: 443, host, basePath: '', awsHost: host };
}

/**
 * The destination an operator set for a service with the SDKs' variables:
 * `AWS_ENDPOINT_URL_<SERVICE_ID>`, then `AWS_ENDPOINT_URL`; undefined when
 * neither is set. `awsHost` is the AWS host the request named, if any.
 */
export function endpointOverride(serviceId: string, env: NodeJS.ProcessEnv = process.env, awsHost = ''): AwsTarget | undefined {
  const variable = env[`AWS_ENDPOINT_URL_${serviceId}`] ? `AWS_ENDPOINT_URL_${serviceId}` : env.AWS_ENDPOINT_URL ? 'AWS_ENDPOINT_URL' : undefined;
  if (!variable) return undefined;
  const overrideUrl = env[variable]!;
  const key = `${overrideUrl}\n${awsHost}`;
  const cached = overrides.get(key);
  if (cached?.override === variable) return cached;
  let u: URL;
  try {
    u = new URL(overrideUrl);
  } catch {
    throw new TshError('CONFIG', `the app service's AWS endpoint override ${variable}="${overrideUrl}" is not a URL`);
  }
  if (overrides.size >= 256) overrides.clear();
  const target: AwsTarget = {
    protocol: u.protocol,
    hostname: u.hostname.replace(/^\[|\]$/g, ''),
    port: Number(u.port || (u.protocol === 'http:' ? 80 : 443)),
    host: u.host,
    basePath: u.pathname.replace(/\/$/, ''),
    awsHost,
    override: variable,
  };
  overrides.set(key, target);
  return target;
}

/** Parsed overrides by URL and AWS host: every request reads one, and parsing a URL per request shows in profiles. */
const overrides = new Map<string, AwsTarget>();

/** Every address a name resolves to (dns.lookup with `all: true`, or a test's resolver). */
export type ResolveAll = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

const systemResolver: ResolveAll = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

/** Addresses a request signed with AWS credentials never goes to (IPv4-mapped IPv6 addresses are checked as IPv4). */
const forbidden = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8], // private (RFC 1918)
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local: instance metadata (169.254.169.254), ECS task metadata
  ['172.16.0.0', 12], // private
  ['192.168.0.0', 16], // private
  ['224.0.0.0', 3], // multicast and reserved
] as const) forbidden.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['fc00::', 7], // unique local, including instance metadata over IPv6 (fd00:ec2::254)
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) forbidden.addSubnet(net, prefix, 'ipv6');

/** True for an address no signed request may reach (see {@link forbidden}). */
export function isForbiddenAddress(address: string, family: number): boolean {
  return forbidden.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/**
 * A `lookup` for outgoing AWS connections: resolves the name once, refuses
 * the connection (ACCESS_DENIED) when any address it resolves to is
 * forbidden, and hands the checked addresses to the socket, so the address
 * checked is the address connected to (no second lookup for a rebinding DNS
 * server to answer differently). Keep-alive agents call it only when they
 * open a connection, so it costs nothing per request.
 */
export function checkedLookup(resolve: ResolveAll = systemResolver): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (found) => {
        const bad = found.find((a) => isForbiddenAddress(a.address, a.family));
        if (bad || found.length === 0) {
          const why = bad ? `resolves to ${bad.address}, a loopback, private, link-local or metadata address` : 'resolves to no address';
          const err = new TshError('ACCESS_DENIED', `"${hostname}" ${why}; the app service sends AWS requests only to public AWS endpoints`, {
            hint: 'check the DNS of the app service host; an operator who means to use a private endpoint names it with AWS_ENDPOINT_URL_<SERVICE>',
          });
          return callback(err as unknown as NodeJS.ErrnoException, '', 0);
        }
        if (options.all) (callback as unknown as (err: null, all: typeof found) => void)(null, found);
        else callback(null, found[0].address, found[0].family);
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 0),
    );
  };
}

/** `<bucket>.s3.amazonaws.com`, `<bucket>.s3.<region>.amazonaws.com`, `<bucket>.s3-<region>.amazonaws.com`, `<bucket>.s3.dualstack.<region>...`. */
const S3_VIRTUAL_HOST = /^(.+?)\.s3(?:[.-][a-z0-9.-]+)?\.amazonaws\.com(?:\.cn)?$/;

/**
 * The path prefix (`/<bucket>`) of a virtual-hosted-style S3 request, or ''
 * for a path-style one. An endpoint override names one host for all of S3
 * (LocalStack, MinIO, the sandbox), so a bucket that the client put in the
 * Host must move into the path there, as the SDKs do themselves when they
 * are given an endpoint URL. S3's own endpoint names (`s3.`, `s3-control.`,
 * access points) have no bucket before `.s3`.
 */
export function s3PathStyle(awsHost: string): string {
  const m = S3_VIRTUAL_HOST.exec(awsHost);
  return m ? `/${m[1]}` : '';
}
