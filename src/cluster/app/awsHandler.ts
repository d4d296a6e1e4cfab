/**
 * The app service's AWS signer: the last hop before AWS.
 *
 *   request from the tunnel (client already verified by the tsh proxy)
 *     -> client certificate re-checked: app cert of this cluster, unexpired, for this app
 *     -> RBAC again: app_labels and aws_role_arns (allow minus deny, templates expanded)
 *     -> target from Host, AWS endpoints only (or the AWS_ENDPOINT_URL* override)
 *     -> STS AssumeRole (cached) -> drop the client's signature, re-sign with SigV4
 *     -> forward, stream the answer back, one audit event per request
 *
 * Every refusal is an AWS-shaped JSON error, so the user's SDK prints it.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import { TshError } from '../../shared/errors.js';
import { sendAwsError } from '../../shared/http/awsError.js';
import { parseAuthorization } from '../../shared/sigv4/parseAuthorization.js';
import { signRequest } from '../../shared/sigv4/signRequest.js';
import type { Identity } from '../../shared/identity/identity.js';
import type { AppConfig } from '../config/teleportConfig.js';
import type { AccessChecker } from '../auth/accessChecker.js';
import { resolveAwsTarget } from './awsEndpoint.js';
import type { AssumeRoleCache } from './assumeRole.js';
import type { Logger } from '../logger.js';
import { CHAINED_ROLE_HEADER } from '../../shared/api/protocol.js';
import { metrics, startTimer } from '../diag/metrics.js';
import { requestAction } from '../../shared/aws/requestAction.js';

/** Largest request body the signer accepts. */
export const MAX_BODY_BYTES = 16 << 20;

/** What the tunnel attaches to each relayed connection. */
export interface ConnectionContext {
  app: AppConfig;
  identity?: Identity;
  refusal?: TshError;
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
  /** Records one audit event per request; the app service sends them to the cluster in batches. */
  audit(event: string, fields: Record<string, unknown>): void;
  log: Logger;
  clock?: () => Date;
  /** Where AWS_ENDPOINT_URL* overrides are read from; process.env when absent. */
  env?: NodeJS.ProcessEnv;
}

/** Headers a chained request keeps: they are its signature. */
const keptWhenChained = new Set(['authorization', 'x-amz-date', 'x-amz-security-token']);
const hopByHop = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'authorization', 'x-amz-date', 'x-amz-security-token', 'expect']);
const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 256 });
const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/** Builds the HTTP handler for relayed AWS requests. */
export function createAwsHandler(deps: AwsHandlerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const clock = deps.clock ?? (() => new Date());
  return (req, res) => {
    // What the metrics count each request by, filled in as the handler learns it; refusals included.
    const facts = { service: 'unknown', action: req.method ?? 'GET' };
    const elapsed = startTimer();
    res.once('finish', () => metrics.awsRequest(facts.service, facts.action, res.statusCode, elapsed()));
    void handle(req, res, facts).catch((err) => {
      if (!(err instanceof TshError)) deps.log.error('APP', `AWS request failed: ${(err as Error)?.stack ?? err}`);
      req.resume();
      sendAwsError(res, err);
    });
  };

  async function handle(req: IncomingMessage, res: ServerResponse, facts: { service: string; action: string }): Promise<void> {
    const ctx = connectionContexts.get(req.socket);
    if (!ctx || ctx.refusal || !ctx.identity?.app) throw ctx?.refusal ?? new TshError('CERTIFICATE', 'an app certificate is required');
    const { identity, app } = ctx;
    const locked = deps.lockedOut(identity);
    if (locked) throw locked;
    const route = identity.app!;
    if (Date.parse(identity.expires) <= clock().getTime()) {
      throw new TshError('SESSION_EXPIRED', 'the app certificate has expired', { hint: 'log in to the app again with `tsh apps login`' });
    }
    const authz = req.headers.authorization;
    if (!authz) throw new TshError('CERTIFICATE', 'the request is not signed with SigV4', { hint: 'send AWS requests through `tsh aws` or `tsh proxy aws`' });
    const scope = parseAuthorization(authz);
    facts.service = scope.service;
    const target = resolveAwsTarget(req.headers.host, scope.service, deps.env);

    const checker = await deps.checkerFor(identity);
    if (!checker.canUseAwsRole(app, route.awsRoleArn)) {
      throw new TshError('ACCESS_DENIED', `access to app "${app.name}" with IAM role ${route.awsRoleArn} is denied for user "${identity.username}"`, {
        hint: 'your roles no longer allow this IAM role on this app; ask an administrator, then run `tsh apps login` again',
      });
    }
    const chainedRole = typeof req.headers[CHAINED_ROLE_HEADER] === 'string' ? String(req.headers[CHAINED_ROLE_HEADER]) : undefined;
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) throw new TshError('TOO_LARGE', `request body of ${declared} bytes is larger than the ${MAX_BODY_BYTES >> 20} MiB limit`);
    const body = await readBody(req);
    facts.action = requestAction({ method: req.method, target: req.headers['x-amz-target'] as string | undefined, query: (req.url ?? '').split('?')[1], contentType: req.headers['content-type'], body });

    // Role chaining: the client signed with temporary credentials that an AssumeRole through this
    // app returned (its local proxy checked that signature and marks such requests). AWS verifies
    // that signature itself, so the request goes as signed, Host included, and is not re-signed.
    const creds = chainedRole ? undefined : await deps.credentials.get(route.awsRoleArn, identity.username, app.awsExternalId);
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const query = q < 0 ? '' : rawUrl.slice(q + 1);
    const headers: Record<string, string | string[]> = {};
    // headersDistinct keeps repeated headers apart (req.headers joins them with ", ", which breaks signatures).
    for (const [name, value] of Object.entries(req.headersDistinct)) {
      if (value === undefined || name.startsWith('x-tsh-')) continue;
      if (hopByHop.has(name) && !(chainedRole && keptWhenChained.has(name))) continue;
      headers[name] = value.length === 1 ? value[0] : value;
    }
    if (!chainedRole) headers.host = target.host;
    if (body.length || req.method === 'POST' || req.method === 'PUT') headers['content-length'] = String(body.length);
    if (creds) {
      const signedHeaders = [...new Set([...scope.signedHeaders.filter((h) => h !== ':authority'), 'host'])].filter((h) => h in headers);
      Object.assign(headers, await signRequest({ method: req.method ?? 'GET', path, query, headers, body }, creds, { region: scope.region, service: scope.service, signedHeaders }));
    }

    const started = clock();
    const upstreamElapsed = startTimer();
    const upstream = (target.protocol === 'http:' ? http : https).request({
      hostname: target.hostname,
      port: target.port,
      method: req.method,
      path: target.basePath + rawUrl,
      headers,
      agent: target.protocol === 'http:' ? httpAgent : httpsAgent,
      servername: target.protocol === 'https:' ? target.hostname : undefined,
    });
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      upstream.on('response', resolve);
      upstream.on('error', (err) => reject(new TshError('UNAVAILABLE', `cannot reach ${target.host}: ${err.message}`)));
      upstream.end(body);
    });
    metrics.awsUpstream(scope.service, upstreamElapsed());
    res.writeHead(response.statusCode ?? 502, response.statusMessage, filterResponseHeaders(response.headers));
    response.pipe(res);
    res.on('finish', () => {
      const fields: Record<string, unknown> = {
        user: identity.username,
        app_name: app.name,
        app_uri: app.uri,
        app_public_addr: route.publicAddr,
        sid: route.sessionId,
        aws_service: scope.service,
        aws_region: scope.region,
        aws_host: String(req.headers.host ?? ''),
        aws_assumed_role: creds?.assumedRoleArn ?? chainedRole,
        aws_role_arn: route.awsRoleArn,
        method: req.method,
        path,
        raw_query: query,
        status_code: response.statusCode,
        duration_ms: clock().getTime() - started.getTime(),
      };
      if (scope.service === 'dynamodb' || scope.service === 'dax') {
        fields.target = String(req.headers['x-amz-target'] ?? '');
        deps.audit('app.session.dynamodb.request', fields);
      } else deps.audit('app.session.request', fields);
    });
  }
}

function filterResponseHeaders(h: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(h)) {
    if (v !== undefined && k !== 'connection' && k !== 'keep-alive' && k !== 'transfer-encoding') out[k] = v;
  }
  return out;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new TshError('TOO_LARGE', `request body is larger than the ${MAX_BODY_BYTES >> 20} MiB limit`);
    chunks.push(c as Buffer);
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
}
