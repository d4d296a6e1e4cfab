/**
 * The AWS host a request signed for a local endpoint is meant for.
 *
 * In endpoint-URL mode the client talks to https://127.0.0.1:PORT, so its
 * Host says nothing about AWS; its SigV4 scope does (`.../us-east-1/dynamodb/
 * aws4_request`). The cluster routes by Host, so the proxy rewrites it to the
 * service's regional endpoint before forwarding.
 */

/** Services whose endpoint prefix is not their signing name. */
const prefixBySigningName: Record<string, string> = {
  ses: 'email',
  mobiletargeting: 'pinpoint',
  'aws-marketplace': 'metering.marketplace',
};

/** Services with one global endpoint (signed for us-east-1 or the partition's home region). */
const globalServices = new Set(['iam', 'route53', 'cloudfront', 'organizations', 'globalaccelerator']);

/**
 * `dynamodb` + `us-east-1` -> `dynamodb.us-east-1.amazonaws.com`; China regions
 * (`cn-*`) use `amazonaws.com.cn`; a few global services (IAM, Route 53,
 * CloudFront, Organizations) use their global host in the commercial partition.
 */
export function awsHostForScope(service: string, region: string): string {
  const china = region.startsWith('cn-');
  const suffix = china ? 'amazonaws.com.cn' : 'amazonaws.com';
  if (globalServices.has(service) && !china && !region.startsWith('us-gov-')) return `${service}.${suffix}`;
  return `${prefixBySigningName[service] ?? service}.${region}.${suffix}`;
}
