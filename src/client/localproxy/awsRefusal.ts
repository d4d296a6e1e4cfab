/**
 * Refusals from the local proxy, in the error format the client's AWS
 * protocol expects, so the aws CLI, boto3 and the SDKs print our message
 * ("...run `tsh login`") instead of a bare status code.
 *
 * JSON protocols (DynamoDB, most newer services) get `{"__type", "message"}`
 * (shared/http/awsError); the query protocol (STS, IAM, SNS, EC2...) gets
 * `<ErrorResponse><Error><Code>`; S3 gets `<Error><Code>`.
 */
import type { ServerResponse } from 'node:http';
import { TshError } from '../../shared/errors.js';
import { sendAwsError } from '../../shared/http/awsError.js';

/** Signing names of services that speak the query protocol (XML errors). */
const queryServices = new Set([
  'sts', 'iam', 'sns', 'sqs', 'ec2', 'cloudformation', 'rds', 'elasticache', 'autoscaling', 'elasticloadbalancing',
  'monitoring', 'ses', 'redshift', 'sdb', 'elasticbeanstalk', 'importexport', 'neptune', 'docdb',
]);

/** XML error codes for our error codes (query protocol and S3). */
const xmlCodeByCode: Record<string, string> = {
  BAD_CREDENTIALS: 'SignatureDoesNotMatch',
  SESSION_EXPIRED: 'ExpiredToken',
  NOT_LOGGED_IN: 'InvalidClientTokenId',
  ACCESS_DENIED: 'AccessDenied',
  CERTIFICATE: 'AccessDenied',
  TOO_LARGE: 'RequestEntityTooLarge',
  BAD_INPUT: 'InvalidRequest',
  UNAVAILABLE: 'ServiceUnavailable',
  PROXY_UNREACHABLE: 'ServiceUnavailable',
  UNTRUSTED_PROXY: 'ServiceUnavailable',
};

/**
 * Answers a request with `err` (a TshError; anything else becomes an internal
 * error) in the format of `service` (the SigV4 signing name, when known).
 * `status` overrides the error's own HTTP status.
 */
export function sendRefusal(res: ServerResponse, err: unknown, service: string | undefined, status?: number): void {
  const e = err instanceof TshError ? err : new TshError('INTERNAL', 'internal error in the tsh local proxy');
  if (!service || (!queryServices.has(service) && service !== 's3')) {
    sendAwsError(res, e, status);
    return;
  }
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const code = xmlCodeByCode[e.code] ?? 'InternalFailure';
  const message = escapeXml(e.hint ? `${e.message} (${e.hint})` : e.message);
  const requestId = '00000000-0000-0000-0000-000000000000';
  const body =
    service === 's3'
      ? `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${requestId}</RequestId></Error>`
      : `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  res.writeHead(status ?? e.httpStatus, {
    'content-type': 'text/xml',
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': requestId,
  });
  res.end(body);
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}
