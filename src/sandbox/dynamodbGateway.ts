import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { TshError } from '../shared/errors.js';
import { readHeader } from '../shared/sigv4/readHeader.js';
import { readScope } from '../shared/sigv4/readScope.js';
import type { SignedRequest } from '../shared/sigv4/types.js';
import { authenticate, type AuthFailure } from './authenticate.js';
import { startDynalite, type DynaliteBackend } from './dynaliteBackend.js';
import type { Caller, SandboxIam } from './iam.js';
import { closeServer, listenLocal } from './listen.js';
import { readSignedRequest } from './readSignedRequest.js';
import type { LogRequest } from './requestLog.js';
import type { CallBackend } from './seedTables.js';

/** DynamoDB's own request limit, which dynalite enforces too. */
const MAX_BODY = 16 * 1024 * 1024;
const TARGET = /^DynamoDB_20120810\.([A-Za-z]+)$/;
const JSON_TYPE = 'application/x-amz-json-1.0';

/** How DynamoDB names each authentication failure (it answers all of them with HTTP 400). */
const authTypes: Record<AuthFailure, string> = {
  missing: 'MissingAuthenticationTokenException',
  incomplete: 'IncompleteSignatureException',
  unknownKey: 'UnrecognizedClientException',
  expired: 'ExpiredTokenException',
  badSignature: 'InvalidSignatureException',
};

class DynamoError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A local DynamoDB: dynalite in-process, behind a gateway that does what
 * dynalite does not: verify SigV4 (service dynamodb) against temporary
 * credentials only (the session token known and unexpired; the operator's
 * long-lived key is denied, as a user allowed only sts:AssumeRole would be),
 * enforce the role's allowed actions from X-Amz-Target, and log the caller.
 * Accepted requests go to dynalite unchanged. Errors use DynamoDB's JSON shape.
 */
export async function startDynamoDbGateway(opts: {
  iam: SandboxIam;
  clock: () => Date;
  log: LogRequest;
  /** Default 0: a free one. */
  port?: number;
}): Promise<{ endpoint: string; callBackend: CallBackend; close(): Promise<void> }> {
  const backend = await startDynalite();
  const server = http.createServer((req, res) => {
    void handle(req, res, { ...opts, backend });
  });
  const close = async (): Promise<void> => {
    await closeServer(server);
    await backend.close();
  };
  try {
    const endpoint = await listenLocal(server, opts.port);
    return { endpoint, callBackend: backend.call, close };
  } catch (err) {
    await close();
    throw err;
  }
}

async function handle(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  { iam, clock, log, backend }: { iam: SandboxIam; clock: () => Date; log: LogRequest; backend: DynaliteBackend },
): Promise<void> {
  const requestId = randomUUID();
  let action = 'Unknown';
  let caller: Caller | undefined;
  let status = 502;
  let errorCode: string | undefined;
  try {
    const signed = await readSignedRequest(req, MAX_BODY);
    if (signed.method === 'GET') {
      // The health check (`GET /`), unauthenticated on AWS too.
      status = await backend.forward(signed, res);
      return;
    }
    const target = TARGET.exec(readHeader(signed.headers, 'x-amz-target') ?? '');
    action = target?.[1] ?? 'Unknown';
    const authn = await authenticate(signed, iam, 'dynamodb', clock());
    caller = authn.caller;
    if (!authn.ok) throw new DynamoError(400, authTypes[authn.failure], authn.message);
    if (!target) throw new DynamoError(400, 'UnknownOperationException', '');
    const iamAction = `dynamodb:${action}`;
    if (!iam.allows(authn.caller, iamAction)) {
      throw new DynamoError(
        400,
        'AccessDeniedException',
        `User: ${authn.caller.arn} is not authorized to perform: ${iamAction} on resource: ${resourceArn(signed, iam.accountId)} ` +
          `because no identity-based policy allows the ${iamAction} action`,
      );
    }
    status = await backend.forward(signed, res);
  } catch (err) {
    const e = toDynamoError(err);
    status = e.status;
    errorCode = e.type;
    sendError(res, e, requestId);
  } finally {
    log({ time: clock(), service: 'dynamodb', action, callerArn: caller?.arn, status, errorCode });
  }
}

/** The table the request names, as an ARN, for AccessDenied messages (`table/*` when it names none). */
function resourceArn(req: SignedRequest, accountId: string): string {
  const region = readScope(readHeader(req.headers, 'authorization'))?.region ?? 'us-east-1';
  let table = '*';
  try {
    const body = JSON.parse(req.body.toString('utf8')) as { TableName?: unknown };
    if (typeof body.TableName === 'string') table = body.TableName;
  } catch {
    // Not JSON: dynalite will say so if the request gets that far.
  }
  return `arn:aws:dynamodb:${region}:${accountId}:table/${table}`;
}

function toDynamoError(err: unknown): DynamoError {
  if (err instanceof DynamoError) return err;
  if (err instanceof TshError && err.code === 'TOO_LARGE') return new DynamoError(413, 'RequestEntityTooLarge', err.message);
  return new DynamoError(500, 'InternalServerError', 'Internal server error');
}

function sendError(res: http.ServerResponse, e: DynamoError, requestId: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify(e.message ? { __type: `com.amazon.coral.service#${e.type}`, message: e.message } : { __type: `com.amazon.coral.service#${e.type}` });
  res.writeHead(e.status, { 'content-type': JSON_TYPE, 'x-amzn-requestid': requestId, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
