import type { ServerResponse } from 'node:http';
import { TshError, type ErrorCode } from '../errors.js';

/** AWS error types for our error codes, so SDKs classify them sensibly. */
const awsTypeByCode: Record<string, string> = {
  ACCESS_DENIED: 'AccessDeniedException',
  CERTIFICATE: 'AccessDeniedException',
  SESSION_EXPIRED: 'ExpiredTokenException',
  NOT_LOGGED_IN: 'UnrecognizedClientException',
  BAD_CREDENTIALS: 'InvalidSignatureException',
  BAD_INPUT: 'ValidationException',
  TOO_LARGE: 'RequestEntityTooLargeException',
  UNAVAILABLE: 'ServiceUnavailableException',
  PROXY_UNREACHABLE: 'ServiceUnavailableException',
  NOT_FOUND: 'ResourceNotFoundException',
};

/**
 * The body AWS JSON services use for errors (`__type`, `message`): SDKs and
 * the aws CLI print the message of such a body, so every refusal on the AWS
 * path says in the user's terminal what went wrong and what to do.
 */
export function awsErrorBody(type: string, message: string): string {
  return JSON.stringify({ __type: type, message, Message: message });
}

/** Writes an AWS-shaped error response for a TshError (or any error). */
export function sendAwsError(res: ServerResponse, err: unknown, status?: number): void {
  const e = err instanceof TshError ? err : new TshError('INTERNAL', 'internal error in tsh-aws');
  const message = e.hint ? `${e.message} (${e.hint})` : e.message;
  const body = awsErrorBody(awsTypeByCode[e.code] ?? 'InternalFailure', message);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status ?? e.httpStatus, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(body),
    'x-amzn-errortype': awsTypeByCode[e.code] ?? 'InternalFailure',
    'x-amzn-requestid': '00000000-0000-0000-0000-000000000000',
  });
  res.end(body);
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
  const code = (Object.keys(awsTypeByCode) as ErrorCode[]).find((c) => awsTypeByCode[c] === type) ?? (status === 503 ? 'UNAVAILABLE' : 'INTERNAL');
  return new TshError(code, typeof parsed.message === 'string' && parsed.message ? parsed.message : `the app service answered HTTP ${status}`);
}
