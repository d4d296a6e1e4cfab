import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { TshError } from '../shared/errors.js';
import type { SignedRequest } from '../shared/sigv4/types.js';
import { authenticate, type AuthFailure } from './authenticate.js';
import type { Caller, SandboxIam } from './iam.js';
import { closeServer, listenLocal } from './listen.js';
import { readSignedRequest } from './readSignedRequest.js';
import type { LogRequest } from './requestLog.js';
import { assumeRole, getCallerIdentity, StsError } from './stsActions.js';

const XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const VERSION = '2011-06-15';
const MAX_BODY = 1024 * 1024;

/** How AWS STS names each authentication failure. */
const authErrors: Record<AuthFailure, { status: number; code: string }> = {
  missing: { status: 403, code: 'MissingAuthenticationToken' },
  incomplete: { status: 400, code: 'IncompleteSignature' },
  unknownKey: { status: 403, code: 'InvalidClientTokenId' },
  expired: { status: 400, code: 'ExpiredToken' },
  badSignature: { status: 403, code: 'SignatureDoesNotMatch' },
};

/**
 * A local STS speaking the AWS query protocol, which is what every client we
 * use sends (JS SDK v3 client-sts 3.1174, botocore 1.29 / aws CLI 2.9): a
 * form-encoded POST (or GET) with `Action` and `Version=2011-06-15`, answered
 * in AWS's XML, errors as `<ErrorResponse>` with AWS's codes and statuses.
 * Implements AssumeRole and GetCallerIdentity.
 */
export async function startSts(opts: {
  iam: SandboxIam;
  clock: () => Date;
  log: LogRequest;
  /** Default 0: a free one. */
  port?: number;
}): Promise<{ endpoint: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    void handle(req, res, opts);
  });
  const endpoint = await listenLocal(server, opts.port);
  return { endpoint, close: () => closeServer(server) };
}

async function handle(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  { iam, clock, log }: { iam: SandboxIam; clock: () => Date; log: LogRequest },
): Promise<void> {
  const requestId = randomUUID();
  let action = 'Unknown';
  let caller: Caller | undefined;
  let status = 200;
  let errorCode: string | undefined;
  try {
    const signed = await readSignedRequest(req, MAX_BODY);
    const params = readParams(signed);
    action = params.get('Action') ?? 'Unknown';
    const now = clock();
    const authn = await authenticate(signed, iam, 'sts', now);
    caller = authn.caller;
    if (!authn.ok) throw new StsError(authErrors[authn.failure].status, authErrors[authn.failure].code, authn.message);
    const who = authn.caller;
    if (params.get('Version') !== VERSION || (action !== 'AssumeRole' && action !== 'GetCallerIdentity')) {
      throw new StsError(400, 'InvalidAction', `Could not find operation ${action} for version ${params.get('Version') ?? 'NO_VERSION_SPECIFIED'}`);
    }
    const result = action === 'AssumeRole' ? assumeRoleXml(assumeRole(iam, who, params, now)) : callerXml(getCallerIdentity(iam, who));
    send(res, 200, requestId, response(action, result, requestId));
  } catch (err) {
    const e = toStsError(err);
    status = e.status;
    errorCode = e.code;
    send(res, e.status, requestId, errorXml(e, requestId));
  } finally {
    log({ time: clock(), service: 'sts', action, callerArn: caller?.arn, status, errorCode });
  }
}

/** Query-string parameters, then form-body ones (which win), decoded as forms are. */
function readParams(req: SignedRequest): URLSearchParams {
  const params = new URLSearchParams(req.query);
  if (req.body.length > 0) {
    for (const [name, value] of new URLSearchParams(req.body.toString('utf8'))) params.set(name, value);
  }
  return params;
}

function toStsError(err: unknown): StsError {
  if (err instanceof StsError) return err;
  if (err instanceof TshError && err.code === 'TOO_LARGE') return new StsError(413, 'RequestEntityTooLarge', err.message);
  return new StsError(500, 'InternalFailure', 'The request processing has failed because of an unknown error.', 'Receiver');
}

function send(res: http.ServerResponse, status: number, requestId: string, body: string): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function response(action: string, result: string, requestId: string): string {
  return (
    `<${action}Response xmlns="${XMLNS}">\n  <${action}Result>\n${result}  </${action}Result>\n` +
    `  <ResponseMetadata>\n    <RequestId>${requestId}</RequestId>\n  </ResponseMetadata>\n</${action}Response>\n`
  );
}

function assumeRoleXml(r: ReturnType<typeof assumeRole>): string {
  return (
    `    <AssumedRoleUser>\n      <AssumedRoleId>${xml(r.assumedRoleId)}</AssumedRoleId>\n      <Arn>${xml(r.arn)}</Arn>\n    </AssumedRoleUser>\n` +
    `    <Credentials>\n      <AccessKeyId>${r.accessKeyId}</AccessKeyId>\n      <SecretAccessKey>${r.secretAccessKey}</SecretAccessKey>\n` +
    `      <SessionToken>${r.sessionToken}</SessionToken>\n      <Expiration>${r.expiration.toISOString().replace(/\.\d{3}Z$/, 'Z')}</Expiration>\n` +
    `    </Credentials>\n`
  );
}

function callerXml(r: ReturnType<typeof getCallerIdentity>): string {
  return `    <Arn>${xml(r.arn)}</Arn>\n    <UserId>${xml(r.userId)}</UserId>\n    <Account>${r.account}</Account>\n`;
}

function errorXml(e: StsError, requestId: string): string {
  return (
    `<ErrorResponse xmlns="${XMLNS}">\n  <Error>\n    <Type>${e.type}</Type>\n    <Code>${e.code}</Code>\n` +
    `    <Message>${xml(e.message)}</Message>\n  </Error>\n  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`
  );
}

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

function xml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => entities[c]);
}
