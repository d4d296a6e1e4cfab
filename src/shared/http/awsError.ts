/**
 * Refusals on the AWS request path, in the error format of the service the
 * client called, so that the aws CLI, boto3 and the SDKs print our message
 * ("... run `tsh login`") rather than a bare status code. One module decides
 * the format for every hop that answers AWS clients: the local proxy, the
 * cluster proxy's app relay and the app service.
 *
 *   JSON protocols (DynamoDB, most newer services; awsJson and restJson)
 *       {"__type": "AccessDeniedException", "message": "..."}      + x-amzn-errortype
 *   query protocol (STS, IAM, SNS, SQS's older protocol...) and REST-XML (Route 53, CloudFront)
 *       <ErrorResponse><Error><Type>Sender</Type><Code>..</Code><Message>..</Message></Error><RequestId>..</RequestId></ErrorResponse>
 *   EC2 (its own query dialect)
 *       <Response><Errors><Error><Code>..</Code><Message>..</Message></Error></Errors><RequestID>..</RequestID></Response>
 *   S3 (REST-XML)
 *       <Error><Code>..</Code><Message>..</Message><RequestId>..</RequestId></Error>
 *
 * The service is the SigV4 signing name (Authorization, or X-Amz-Credential of
 * a presigned URL); the content type decides where it tells more (SQS and
 * others speak JSON when the client sends `application/x-amz-json-*`).
 */
import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { TshError, type ErrorCode } from '../errors.js';

/** The error formats AWS clients parse. */
export type AwsErrorProtocol = 'json' | 'query' | 'ec2' | 's3';

/** Signing names of services whose clients parse `<ErrorResponse>` (query protocol, and REST-XML apart from S3). */
const errorResponseServices = new Set([
  'sts', 'iam', 'sns', 'sqs', 'cloudformation', 'rds', 'elasticache', 'autoscaling', 'elasticloadbalancing', 'monitoring', 'ses',
  'redshift', 'sdb', 'elasticbeanstalk', 'importexport', 'route53', 'cloudfront',
]);

/** Our error codes as AWS names them: JSON `__type`, query/EC2 `Code`, S3 `Code`. */
const awsCodes: Partial<Record<string, { json: string; xml: string; s3: string }>> = {
  ACCESS_DENIED: { json: 'AccessDeniedException', xml: 'AccessDenied', s3: 'AccessDenied' },
  CERTIFICATE: { json: 'AccessDeniedException', xml: 'AccessDenied', s3: 'AccessDenied' },
  LOCKED: { json: 'AccessDeniedException', xml: 'AccessDenied', s3: 'AccessDenied' },
  SESSION_EXPIRED: { json: 'ExpiredTokenException', xml: 'ExpiredToken', s3: 'ExpiredToken' },
  NOT_LOGGED_IN: { json: 'UnrecognizedClientException', xml: 'InvalidClientTokenId', s3: 'InvalidAccessKeyId' },
  BAD_CREDENTIALS: { json: 'InvalidSignatureException', xml: 'SignatureDoesNotMatch', s3: 'SignatureDoesNotMatch' },
  BAD_INPUT: { json: 'ValidationException', xml: 'InvalidRequest', s3: 'InvalidRequest' },
  TOO_LARGE: { json: 'RequestEntityTooLargeException', xml: 'RequestEntityTooLarge', s3: 'EntityTooLarge' },
  UNAVAILABLE: { json: 'ServiceUnavailableException', xml: 'ServiceUnavailable', s3: 'ServiceUnavailable' },
  PROXY_UNREACHABLE: { json: 'ServiceUnavailableException', xml: 'ServiceUnavailable', s3: 'ServiceUnavailable' },
  UNTRUSTED_PROXY: { json: 'ServiceUnavailableException', xml: 'ServiceUnavailable', s3: 'ServiceUnavailable' },
  NOT_FOUND: { json: 'ResourceNotFoundException', xml: 'NotFound', s3: 'NotFound' },
};
const internalCodes = { json: 'InternalFailure', xml: 'InternalFailure', s3: 'InternalError' };

const SIGNING_SERVICE = /Credential=[^/,\s]*\/\d{8}\/[^/,\s]*\/([a-z0-9-]+)\//;
const PRESIGNED_SERVICE = /[?&]X-Amz-Credential=[^&/]*(?:\/|%2F)\d{8}(?:\/|%2F)[^&/%]*(?:\/|%2F)([a-z0-9-]+)(?:\/|%2F)/i;

/** The error format the client of a request parses, from its signing service and content type. */
export function errorProtocolFor(headers: IncomingHttpHeaders, url = ''): AwsErrorProtocol {
  const service = (SIGNING_SERVICE.exec(String(headers.authorization ?? '')) ?? PRESIGNED_SERVICE.exec(url))?.[1]?.toLowerCase();
  if (service === 's3' || service === 's3-object-lambda') return 's3';
  if (service === 'ec2') return 'ec2';
  const type = String(headers['content-type'] ?? '').toLowerCase();
  if (type.includes('json')) return 'json';
  if ((service && errorResponseServices.has(service)) || type.startsWith('application/x-www-form-urlencoded')) return 'query';
  return 'json';
}

/** An error response ready to write: status, headers and body in `protocol`'s format. */
export function awsErrorResponse(err: unknown, protocol: AwsErrorProtocol, status?: number): { status: number; headers: Record<string, string | number>; body: string } {
  const e = err instanceof TshError ? err : new TshError('INTERNAL', 'internal error in tsh-aws');
  const names = awsCodes[e.code] ?? internalCodes;
  const message = e.hint ? `${e.message} (${e.hint})` : e.message;
  const requestId = randomUUID();
  let body: string;
  let contentType = 'text/xml';
  if (protocol === 'json') {
    body = JSON.stringify({ __type: names.json, message, Message: message });
    contentType = 'application/x-amz-json-1.0';
  } else if (protocol === 's3') {
    body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${names.s3}</Code><Message>${xml(message)}</Message><RequestId>${requestId}</RequestId></Error>`;
  } else if (protocol === 'ec2') {
    body = `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${names.xml}</Code><Message>${xml(message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`;
  } else {
    const type = (status ?? e.httpStatus) >= 500 ? 'Receiver' : 'Sender';
    body = `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Error><Type>${type}</Type><Code>${names.xml}</Code><Message>${xml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  }
  const headers: Record<string, string | number> = { 'content-type': contentType, 'content-length': Buffer.byteLength(body), 'x-amzn-requestid': requestId };
  if (protocol === 'json') headers['x-amzn-errortype'] = names.json;
  return { status: status ?? e.httpStatus, headers, body };
}

/**
 * Answers a request with `err` (a TshError; anything else becomes an internal
 * error) in the format its client expects (read from `res.req`). `status`
 * overrides the error's own HTTP status. After headers went out, the only
 * honest signal left is a reset connection.
 */
export function sendAwsError(res: ServerResponse, err: unknown, status?: number): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const req = (res as ServerResponse & { req?: { headers: IncomingHttpHeaders; url?: string } }).req;
  const out = awsErrorResponse(err, req ? errorProtocolFor(req.headers, req.url) : 'json', status);
  res.writeHead(out.status, out.headers);
  res.end(out.body);
}

/**
 * The same answer written straight to a socket, for requests Node's HTTP
 * server hands over without a response object (a CONNECT inside a TLS
 * session that already ends at us); the connection is closed after it.
 */
export function writeAwsError(socket: Duplex, err: unknown, headers: IncomingHttpHeaders, status?: number): void {
  const out = awsErrorResponse(err, errorProtocolFor(headers), status);
  const head = Object.entries({ ...out.headers, connection: 'close' }).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  socket.end(`HTTP/1.1 ${out.status} ${STATUS_CODES[out.status] ?? 'Error'}\r\n${head}\r\n${out.body}`);
}

function xml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

/**
 * The TshError an AWS-shaped error body stands for (the other end of
 * {@link sendAwsError}): for callers of the app path that are not AWS SDKs,
 * such as the web UI and `tsh aws console`.
 */
export function readAwsError(status: number, body: string): TshError {
  let parsed: { __type?: unknown; message?: unknown } = {};
  try {
    parsed = JSON.parse(body);
  } catch {
    // not an AWS error body: the status says enough
  }
  const type = String(parsed.__type ?? '');
  const code = (Object.keys(awsCodes) as ErrorCode[]).find((c) => awsCodes[c]?.json === type) ?? (status === 503 ? 'UNAVAILABLE' : 'INTERNAL');
  return new TshError(code, typeof parsed.message === 'string' && parsed.message ? parsed.message : `the app service answered HTTP ${status}`);
}
