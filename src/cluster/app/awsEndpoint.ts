/**
 * Where the app service sends a signed AWS request.
 *
 * The target is the request's Host, accepted only when it is an AWS
 * endpoint (see shared/aws/endpoints); IMDS, loopback, private addresses and
 * other domains never receive credentials. An operator may point a service
 * elsewhere with the SDKs' standard variables, as LocalStack and DynamoDB
 * Local users do: `AWS_ENDPOINT_URL_<SERVICE>` (e.g. AWS_ENDPOINT_URL_DYNAMODB)
 * or `AWS_ENDPOINT_URL` for all services.
 */
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
  /** True when an AWS_ENDPOINT_URL* variable chose the destination. */
  override: boolean;
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
  return endpointOverride(serviceId, env) ?? { protocol: 'https:', hostname: host, port: 443, host, basePath: '', override: false };
}

/**
 * The destination an operator set for a service with the SDKs' variables:
 * `AWS_ENDPOINT_URL_<SERVICE_ID>`, then `AWS_ENDPOINT_URL`; undefined when
 * neither is set.
 */
export function endpointOverride(serviceId: string, env: NodeJS.ProcessEnv = process.env): AwsTarget | undefined {
  const overrideUrl = env[`AWS_ENDPOINT_URL_${serviceId}`] || env.AWS_ENDPOINT_URL;
  if (!overrideUrl) return undefined;
  let u: URL;
  try {
    u = new URL(overrideUrl);
  } catch {
    throw new TshError('CONFIG', `the app service's AWS endpoint override "${overrideUrl}" is not a URL`);
  }
  return {
    protocol: u.protocol,
    hostname: u.hostname.replace(/^\[|\]$/g, ''),
    port: Number(u.port || (u.protocol === 'http:' ? 80 : 443)),
    host: u.host,
    basePath: u.pathname.replace(/\/$/, ''),
    override: true,
  };
}
