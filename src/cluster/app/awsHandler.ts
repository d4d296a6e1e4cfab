/**
 * The app service's AWS signer: the last hop before AWS. Each request passes
 * these steps in order; a refusal at any of them is answered in the error
 * format of the service called (shared/http/awsError) and audited with its
 * reason, and nothing is sent.
 *
 *   request from the tunnel (client already verified by the tsh proxy)
 *     access   the relayed certificate: an app cert of this cluster, unexpired, for this app;
 *              no lock in force against it; RBAC again (app_labels and aws_role_arns, allow
 *              minus deny, templates expanded)
 *     read     origin-form target, one Host; SigV4 scope from Authorization; the body streams, except
 *              what must be read first: a query-protocol form (its action; AssumeRole answers
 *              are recorded) or a body without x-amz-content-sha256 (hashed to re-sign), 16 MiB at most
 *     route    Host must be an AWS endpoint (or an AWS_ENDPOINT_URL* override names the
 *              destination, S3's virtual-hosted bucket moved into the path); at connect time,
 *              its addresses must be public (awsEndpoint)
 *     sign     a key an app service handed out in this app session (issuedKeys): sent as signed;
 *              anything else: the client's signature dropped, re-signed with the session's role
 *              (STS AssumeRole, cached); a chunk-signed aws-chunked body is decoded and sent as
 *              UNSIGNED-PAYLOAD with its decoded length (the tsh proxy checked every chunk)
 *     audit    the event on disk (auditSpool) before anything is sent
 *     forward  to AWS over keep-alive connections; the answer streamed back, except a
 *              successful sts:AssumeRole one, read to record the keys it hands out
 *     audit    the status added to the event
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { isIP } from 'node:net';
import type { Pool } from 'undici';
import { keepAlivePool } from '../../shared/http/keepAlivePool.js';
import { relayResponse } from '../../shared/http/relayResponse.js';
import { TshError, isCode } from '../../shared/errors.js';
import { isAssumeRoleCall, MAX_ASSUME_ROLE_ANSWER, parseAssumeRoleResponse, requestedRoleArn } from '../../shared/aws/assumeRoleCall.js';
import { sendAwsError } from '../../shared/http/awsError.js';
import { forwardedResponseHeaders, HOP_BY_HOP_REQUEST, rawHeader } from '../../shared/http/hopByHop.js';
import { bodyTooLarge, MAX_BODY_BYTES, readBody } from '../../shared/http/readBody.js';
import { requestTarget } from '../../shared/http/requestTarget.js';
import { parseAuthorization } from '../../shared/sigv4/parseAuthorization.js';
import { signRequest } from '../../shared/sigv4/signRequest.js';
import { AwsChunkedReader, payloadMode, UNSIGNED_PAYLOAD, type PayloadMode } from '../../shared/sigv4/awsChunked.js';
import type { ParsedAuthorization } from '../../shared/sigv4/types.js';
import type { AppRoute, Identity } from '../../shared/identity/identity.js';
import type { AppConfig } from '../config/teleportConfig.js';
import type { AccessChecker } from '../auth/accessChecker.js';
import { checkedLookup, resolveAwsTarget, s3PathStyle, type AwsTarget, type ResolveAll } from './awsEndpoint.js';
import type { AssumeRoleCache } from './assumeRole.js';
import type { AuditRecorder } from './auditSpool.js';
import { IssuedKeys } from './issuedKeys.js';
import type { Logger } from '../logger.js';
import { metrics, startTimer } from '../diag/metrics.js';
import { requestAction } from '../../shared/aws/requestAction.js';

/** What the tunnel attaches to each relayed connection. */
export interface ConnectionContext {
  app: AppConfig;
  identity?: Identity;
  refusal?: TshError;
  /** The proxy that relayed the connection (its host id), when it came down a tunnel. */
  proxyId?: string;
}

/** The verified context of each connection the handler serves, set by whoever accepted it. */
export const connectionContexts = new WeakMap<object, ConnectionContext>();

/** What the AWS handler needs from the app service around it. */
export interface AwsHandlerDeps {
  /** RBAC for a certificate's identity, from the roles as the cluster has them now rather than at login. */
  checkerFor(identity: Identity): Promise<AccessChecker>;
  /** The refusal when a lock is in force against the identity (its user or a role it carries), else undefined. */
  lockedOut(identity: Identity): TshError | undefined;
  /** Temporary credentials for the certificate's IAM role, used to re-sign each request. */
  credentials: AssumeRoleCache;
  /** Where each request's audit event goes: on disk before the request is sent (the spool). */
  audit: AuditRecorder;
  log: Logger;
  clock?: () => Date;
  /** Where AWS_ENDPOINT_URL* overrides are read from; process.env when absent. */
  env?: NodeJS.ProcessEnv;
  /** How AWS host names are resolved before each new connection (the system resolver when absent). */
  resolve?: ResolveAll;
  /** The keys handed out through relayed AssumeRole answers (role chaining), shared by the app services of the cluster; this handler's own when absent. */
  issuedKeys?: IssuedKeys;
}

/** The step a request is in; a refusal there is audited with its reason. */
type Step = 'access' | 'read' | 'route' | 'sign' | 'audit' | 'forward';

/** Who sent a request, once the access step let it in. */
interface Caller {
  identity: Identity;
  app: AppConfig;
  route: AppRoute;
}

/** A request read as far as it must be: target, SigV4 scope, and the body (buffered, or still streaming). */
interface ReadRequest {
  method: string;
  url: string;
  path: string;
  query: string;
  scope: ParsedAuthorization;
  mode: PayloadMode;
  /** The buffered body; empty when it streams. */
  body: Buffer;
  /** The body still to come, when it is not buffered. */
  stream?: Readable;
}

/** The request as it goes to AWS: path, headers (with the signature), body, and the principal AWS will see. */
interface Outgoing {
  /** Path and query as sent (an override's base path and S3's moved bucket included). */
  url: string;
  headers: Record<string, string | string[]>;
  body: Buffer | Readable;
  /** The assumed-role ARN the request acts as. */
  principal?: string;
}

/** Headers of a request sent as the client signed it (role chaining): they are its signature. */
const keptWhenChained = new Set(['authorization', 'x-amz-date', 'x-amz-security-token']);
/** Request headers not copied to AWS: one hop's own, and the client's signature (re-signed). */
const notForwarded = new Set([...HOP_BY_HOP_REQUEST, ...keptWhenChained]);
const EMPTY = Buffer.alloc(0);

/** Builds the HTTP handler for relayed AWS requests. */
export function createAwsHandler(deps: AwsHandlerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const clock = deps.clock ?? (() => new Date());
  const issued = deps.issuedKeys ?? new IssuedKeys(clock);
  const lookup = checkedLookup(deps.resolve);
  const pools = new Map<string, Pool>();
  return (req, res) => void serve(req, res);

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = clock().getTime();
    // What the metrics count each request by, filled in as the steps learn it; refusals included.
    const facts = { service: 'unknown', action: req.method ?? 'GET' };
    const elapsed = startTimer();
    res.once('finish', () => metrics.awsRequest(facts.service, facts.action, res.statusCode, elapsed()));
    const ctx = connectionContexts.get(req.socket);
    let step: Step = 'access';
    let request: ReadRequest | undefined;
    let outgoing: Outgoing | undefined;
    let uid: string | undefined;
    try {
      const caller = await checkAccess(ctx);
      step = 'read';
      request = await read(req, res);
      facts.service = request.scope.service;
      facts.action = requestAction({ method: request.method, target: req.headers['x-amz-target'] as string | undefined, query: request.query, contentType: req.headers['content-type'], body: request.stream ? undefined : request.body });
      step = 'route';
      const target = resolveAwsTarget(req.headers.host, request.scope.service, deps.env);
      step = 'sign';
      outgoing = await sign(caller, req, request, target);
      step = 'audit';
      uid = await deps.audit.begin(eventName(request.scope), eventFields(req, ctx, request, outgoing));
      step = 'forward';
      await forward(caller, request, target, outgoing, res, (fields) => deps.audit.complete(uid!, { ...fields, duration_ms: clock().getTime() - started }));
    } catch (err) {
      if (!(err instanceof TshError)) deps.log.error('APP', `AWS request failed: ${(err as Error)?.stack ?? err}`);
      req.resume();
      sendAwsError(res, err);
      const outcome = { status_code: res.statusCode, reason: reasonFor(step, err), error: err instanceof TshError ? err.message : 'internal error', duration_ms: clock().getTime() - started };
      if (uid) deps.audit.complete(uid, outcome);
      // A spool that failed to write has reported the request itself.
      else if (step !== 'audit') deps.audit.record(eventName(request?.scope), { ...eventFields(req, ctx, request, outgoing), ...outcome });
    }
  }

  /** The relayed certificate, locks and RBAC, checked again on every request (roles may have changed since login). */
  async function checkAccess(ctx: ConnectionContext | undefined): Promise<Caller> {
    if (!ctx || ctx.refusal || !ctx.identity?.app) throw ctx?.refusal ?? new TshError('CERTIFICATE', 'an app certificate is required');
    const { identity, app } = ctx;
    const locked = deps.lockedOut(identity);
    if (locked) throw locked;
    const route = identity.app!;
    if (Date.parse(identity.expires) <= clock().getTime()) {
      throw new TshError('SESSION_EXPIRED', 'the app certificate has expired', { hint: 'log in to the app again with `tsh apps login`' });
    }
    const checker = await deps.checkerFor(identity);
    if (!checker.canUseAwsRole(app, route.awsRoleArn)) {
      throw new TshError('ACCESS_DENIED', `access to app "${app.name}" with IAM role ${route.awsRoleArn} is denied for user "${identity.username}"`, {
        hint: 'your roles no longer allow this IAM role on this app; ask an administrator, then run `tsh apps login` again',
      });
    }
    return { identity, app, route };
  }

  /**
   * Target, signature scope and body; nothing else of the request is
   * interpreted. The body streams unless it must be read first: a form
   * (query protocols: its Action is audited, and an AssumeRole call's answer
   * recorded) or one whose hash is not in x-amz-content-sha256 (the tsh
   * proxy adds it; re-signing needs it).
   */
  async function read(req: IncomingMessage, res: ServerResponse): Promise<ReadRequest> {
    const { path, query } = requestTarget(req);
    const authz = req.headers.authorization;
    if (!authz) throw new TshError('CERTIFICATE', 'the request is not signed with SigV4', { hint: 'send AWS requests through `tsh aws` or `tsh proxy aws`' });
    const scope = parseAuthorization(authz);
    const declaredHash = req.headers['x-amz-content-sha256'] as string | undefined;
    const mode = payloadMode(declaredHash);
    const request = { method: req.method ?? 'GET', url: req.url!, path, query, scope, mode };
    const isForm = /^application\/x-www-form-urlencoded/i.test(String(req.headers['content-type'] ?? ''));
    if (!isForm && declaredHash !== undefined) return { ...request, body: EMPTY, stream: req };
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) {
      res.shouldKeepAlive = false;
      throw bodyTooLarge(declared);
    }
    return { ...request, body: await readBody(req) };
  }

  /**
   * The outgoing request. One signed with a key this service handed out in
   * this app session goes as signed (AWS checks that signature); every other
   * one is re-signed with the session's role, whatever key or header it came
   * with.
   */
  async function sign(caller: Caller, req: IncomingMessage, request: ReadRequest, target: AwsTarget): Promise<Outgoing> {
    const chained = await issued.find(request.scope.accessKeyId, caller.route.sessionId);
    const headers: Record<string, string | string[]> = {};
    // From the raw list: repeated headers stay apart (req.headers joins them with ", ", which breaks signatures),
    // and no header object is built for a request's every read. Headers named x-tsh-* are dropped: no hop trusts them.
    const raw = req.rawHeaders;
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i].toLowerCase();
      if (name.startsWith('x-tsh-') || (notForwarded.has(name) && !(chained && keptWhenChained.has(name)))) continue;
      const seen = headers[name];
      headers[name] = seen === undefined ? raw[i + 1] : Array.isArray(seen) ? [...seen, raw[i + 1]] : [seen, raw[i + 1]];
    }
    if (!request.stream && (request.body.length || request.method === 'POST' || request.method === 'PUT')) headers['content-length'] = String(request.body.length);
    const body: Buffer | Readable = request.stream ?? request.body;
    if (chained) return { url: target.basePath + request.url, headers, body, principal: chained.assumedRoleArn ?? chained.roleArn };

    const creds = await deps.credentials.get(caller.route.awsRoleArn, caller.identity.username, caller.app.awsExternalId);
    headers.host = target.host;
    const resigned = request.mode === 'chunked-signed' || request.mode === 'chunked-signed-trailer' ? decodeChunked(headers, request) : body;
    const { scope } = request;
    const path = target.basePath + (target.override && scope.service === 's3' ? s3PathStyle(target.awsHost) : '') + request.path;
    const signedHeaders = [...new Set([...scope.signedHeaders.filter((h) => h !== ':authority'), 'host'])].filter((h) => h in headers);
    Object.assign(headers, await signRequest({ method: request.method, path, query: request.query, headers, body: request.body }, creds, { region: scope.region, service: scope.service, signedHeaders }));
    return { url: request.query ? `${path}?${request.query}` : path, headers, body: resigned, principal: creds.assumedRoleArn };
  }

  /**
   * A chunk-signed aws-chunked body, decoded for re-signing: its chunk
   * signatures chain from the client's key (the tsh proxy checked each of
   * them), so it goes on as its data alone, UNSIGNED-PAYLOAD with the decoded
   * length, over TLS. That costs no hashing here, where re-chunking with
   * signatures of our own would hash every byte again for no gain: the bytes
   * were checked where the client's key is known, and this service signs what
   * it sends either way. A trailer (a checksum) is dropped with the framing.
   */
  function decodeChunked(headers: Record<string, string | string[]>, request: ReadRequest): Readable {
    const decodedLength = Number(headers['x-amz-decoded-content-length']);
    if (!Number.isSafeInteger(decodedLength) || decodedLength < 0) throw new TshError('BAD_INPUT', 'an aws-chunked body needs x-amz-decoded-content-length', { hint: 'send the length of the decoded body in x-amz-decoded-content-length, as AWS SDKs do for streamed uploads' });
    const encodings = String(headers['content-encoding'] ?? '').split(',').map((e) => e.trim()).filter((e) => e && e !== 'aws-chunked');
    if (encodings.length) headers['content-encoding'] = encodings.join(',');
    else delete headers['content-encoding'];
    delete headers['x-amz-decoded-content-length'];
    delete headers['x-amz-trailer'];
    headers['content-length'] = String(decodedLength);
    headers['x-amz-content-sha256'] = UNSIGNED_PAYLOAD;
    const reader = new AwsChunkedReader({ mode: request.mode as 'chunked-signed', output: 'decoded', decodedLength, maxChunkBytes: MAX_BODY_BYTES });
    return request.stream!.pipe(reader);
  }

  /**
   * Sends the request to AWS on a keep-alive pool and relays the answer as it
   * arrives; resolves once the answer started (its status is in `res`),
   * rejects when AWS could not be reached (nothing sent to the client yet). A
   * successful sts:AssumeRole answer is read whole first, to record the keys
   * it hands out. `done` gets the audit outcome when the answer has ended.
   */
  function forward(caller: Caller, request: ReadRequest, target: AwsTarget, outgoing: Outgoing, res: ServerResponse, done: (fields: Record<string, unknown>) => void): Promise<void> {
    const upstreamElapsed = startTimer();
    const { body } = outgoing;
    if (!Buffer.isBuffer(body)) {
      // A client gone mid-body ends the request to AWS unfinished, never short.
      request.stream?.once('aborted', () => body.destroy(new TshError('BAD_INPUT', 'the client closed the connection mid-request')));
      body.once('error', () => (res.shouldKeepAlive = false));
    }
    const learns = !request.stream && request.scope.service === 'sts' && request.method === 'POST' && isAssumeRoleCall(request.query, request.body, String(res.req.headers['content-type'] ?? ''));
    return new Promise<void>((resolve, reject) => {
      let status = 0;
      relayResponse(poolFor(target), { path: outgoing.url, method: request.method, headers: flatHeaders(outgoing.headers), body }, res, {
        onStart(s) {
          status = s;
          metrics.awsUpstream(request.scope.service, upstreamElapsed());
          resolve();
        },
        hold: (s) => (learns && s === 200 ? MAX_ASSUME_ROLE_ANSWER : undefined),
        onHeld(s, text, raw, held) {
          if (!held) return void res.destroy();
          const answer = parseAssumeRoleResponse(held, rawHeader(raw, 'content-encoding'));
          // Recorded in the cluster before the client can use the keys, so every app service of the app honours them (add never rejects).
          void (answer ? issued.add(caller.route.sessionId, answer, requestedRoleArn(request.query, request.body)) : Promise.resolve()).then(() => {
            res.writeHead(s, text, forwardedResponseHeaders(raw, held.length));
            res.end(held);
          });
        },
        onError: (err) => reject(err instanceof TshError ? err : unreachable(target, err as NodeJS.ErrnoException)),
        onEnd: (complete) => done(complete ? { status_code: status } : { status_code: status, error: 'the answer was cut off before it was complete' }),
      });
    });
  }

  /** The keep-alive pool to a destination, made on first use. */
  function poolFor(target: AwsTarget): Pool {
    const origin = `${target.protocol}//${target.hostname.includes(':') ? `[${target.hostname}]` : target.hostname}:${target.port}`;
    let pool = pools.get(origin);
    if (!pool) {
      pool = keepAlivePool({
        origin,
        tls: target.protocol === 'https:' ? { servername: isIP(target.hostname) ? '' : target.hostname } : undefined,
        // The operator's override is connected to as named; an AWS name only at the public addresses it resolves to.
        lookup: target.override ? undefined : lookup,
        idleTimeoutMs: 30_000,
      });
      pools.set(origin, pool);
    }
    return pool;
  }
}

/** Outgoing headers as undici takes them: [name, value, ...], repeats kept apart. */
function flatHeaders(headers: Record<string, string | string[]>): string[] {
  const out: string[] = [];
  for (const name in headers) {
    const v = headers[name];
    if (Array.isArray(v)) for (const x of v) out.push(name, x);
    else out.push(name, v);
  }
  return out;
}

/** Teleport's event for DynamoDB (and DAX) requests, and the general one for the rest. */
function eventName(scope: ParsedAuthorization | undefined): string {
  return scope?.service === 'dynamodb' || scope?.service === 'dax' ? 'app.session.dynamodb.request' : 'app.session.request';
}

/** The audit fields known so far of a request (a refused one may stop before its scope or principal is known). */
function eventFields(req: IncomingMessage, ctx: ConnectionContext | undefined, request: ReadRequest | undefined, outgoing: Outgoing | undefined): Record<string, unknown> {
  const route = ctx?.identity?.app;
  const fields: Record<string, unknown> = {
    user: ctx?.identity?.username,
    app_name: ctx?.app.name,
    app_uri: ctx?.app.uri,
    app_public_addr: route?.publicAddr,
    sid: route?.sessionId,
    proxy_id: ctx?.proxyId,
    aws_role_arn: route?.awsRoleArn,
    aws_assumed_role: outgoing?.principal,
    aws_service: request?.scope.service,
    aws_region: request?.scope.region,
    aws_host: String(req.headers.host ?? ''),
    method: req.method,
    path: request?.path ?? originPath(req.url),
    raw_query: request?.query,
  };
  if (request?.scope.service === 'dynamodb' || request?.scope.service === 'dax') fields.target = String(req.headers['x-amz-target'] ?? '');
  return fields;
}

/** The path part of a target for the audit of a refused one (whatever its form). */
function originPath(url: string | undefined): string {
  return String(url ?? '').split('?')[0].slice(0, 200);
}

/** Why a request was refused, for the audit: the step it failed in, refined by the error. */
function reasonFor(step: Step, err: unknown): string {
  if (isCode(err, 'TOO_LARGE')) return 'body_too_large';
  switch (step) {
    case 'access':
      return 'access_denied';
    case 'read':
      return 'bad_request';
    case 'route':
      return 'bad_target';
    case 'sign':
      return isCode(err, 'BAD_INPUT') ? 'bad_request' : 'sts_failure';
    case 'audit':
      return 'audit_unavailable';
    case 'forward':
      return isCode(err, 'ACCESS_DENIED') ? 'bad_target' : 'upstream_unreachable';
  }
}

/** The error for an AWS endpoint that did not answer, naming it and where its address came from. */
function unreachable(target: AwsTarget, err: NodeJS.ErrnoException): TshError {
  const via = target.override ? ` (${target.protocol}//${target.host}, set by ${target.override})` : '';
  return new TshError('UNAVAILABLE', `the app service could not reach AWS at ${target.awsHost}${via}: ${err.code ?? err.message}`, {
    hint: 'AWS, or the network between the app service and it, is not answering; retry in a moment',
  });
}
