/**
 * What the local proxy does with each decrypted AWS request: nothing leaves
 * the machine unless it was signed with this run's fake keys.
 *
 *   request from the TLS terminator (CONNECT tunnel or endpoint URL)
 *     -> body buffered (16 MiB at most: 413)
 *     -> SigV4 verified: fake keys, or keys an AssumeRole returned through here
 *        (body hash, signed headers, X-Amz-Date within 15 minutes)     else 403, nothing sent
 *        (quickVerify for the common shapes, verifySignature for the rest; both shared/sigv4)
 *     -> app login usable? (not expired, not logged out)                 else the reason, AWS-shaped
 *     -> Host: the tunnel's AWS host, or in endpoint mode the host named by the SigV4 scope
 *     -> forwarded to the cluster proxy (keep-alive mTLS pool), response streamed back;
 *        a successful sts:AssumeRole response is read to learn the chained keys
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { TshError } from '../../shared/errors.js';
import { isAwsHost, stripPort } from '../../shared/aws/endpoints.js';
import { isLoopback } from '../../shared/net/hostPort.js';
import { parseAuthorization } from '../../shared/sigv4/parseAuthorization.js';
import type { AwsCredentials, ParsedAuthorization } from '../../shared/sigv4/types.js';
import type { FakeCredentials } from './fakeCredentials.js';
import { AssumedRoleStore, isAssumeRoleCall, parseAssumeRoleResponse, requestedRoleArn } from './assumedRoles.js';
import { awsHostForScope } from './scopeHost.js';
import { quickVerify } from '../../shared/sigv4/quickVerify.js';
import { sendRefusal } from './awsRefusal.js';
import { maskSecrets } from '../../shared/text/maskSecrets.js';
import { CHAINED_ROLE_HEADER } from '../../shared/api/protocol.js';
import type { UpstreamRequest } from './upstream.js';

/** Largest request body forwarded (the cluster's own limit). */
export const MAX_REQUEST_BODY = 16 << 20;
/** Largest STS AssumeRole response read for chained keys. */
const MAX_STS_RESPONSE = 1 << 20;
/** SigV4's allowed clock difference, as AWS applies it. */
export const MAX_SKEW_MS = 15 * 60_000;

/** Request headers that belong to one hop (or that only this proxy may set). */
const hopByHop = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'expect', 'host']);
/** Response headers that belong to one hop. */
const responseHopByHop = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'trailer', 'upgrade']);

/** What one request's log line reports beyond the basics. */
interface Note {
  /** Which SigV4 check accepted or refused it. */
  verified?: 'quick' | 'full';
}

/** What the handler works with; each part is swappable in tests. */
export interface AwsRequestHandlerDeps {
  /** This run's fake keys. */
  fake: FakeCredentials;
  /** Chained keys learned from AssumeRole responses. */
  assumedRoles: AssumedRoleStore;
  /** The pool to the cluster proxy. */
  upstream: { request(req: UpstreamRequest): Promise<IncomingMessage> };
  /** The host a decrypted socket was opened for (TlsTerminator.hostOf). */
  servedHost(socket: object): string | undefined;
  /** Why requests cannot go out right now (login expired, app logged out), if they cannot. */
  refusal(): TshError | undefined;
  clock?: () => Date;
  /** One line per request (--debug). */
  log?: (line: string) => void;
}

/** Builds the request listener of the local proxy's inner HTTP server. */
export function createAwsRequestHandler(deps: AwsRequestHandlerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const clock = deps.clock ?? (() => new Date());
  return (req, res) => {
    const note: Note = {};
    if (deps.log) {
      const started = Date.now();
      res.once('finish', () => deps.log!(`${req.method} ${req.headers.host ?? '-'}${maskSecrets(req.url ?? '')} -> ${res.statusCode} (${Date.now() - started} ms${note.verified ? `, sigv4 ${note.verified}` : ''})`));
    }
    handle(req, res, note).catch((err) => {
      req.resume();
      sendRefusal(res, err, undefined);
    });
  };

  async function handle(req: IncomingMessage, res: ServerResponse, note: Note): Promise<void> {
    const scope = safeScope(req.headers.authorization);
    const refuse = (err: TshError, status?: number) => {
      sendRefusal(res, err, scope?.service, status);
    };

    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_REQUEST_BODY) {
      res.shouldKeepAlive = false;
      req.resume();
      return refuse(tooLarge(declared));
    }
    let body: Buffer;
    try {
      body = await readBody(req, MAX_REQUEST_BODY);
    } catch (err) {
      res.shouldKeepAlive = false;
      return refuse(err instanceof TshError ? err : new TshError('BAD_INPUT', 'the request body could not be read'));
    }

    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const query = q < 0 ? '' : url.slice(q + 1);
    const signed = { method: req.method ?? 'GET', path, query, headers: req.headers, body };

    // Which keys the request claims: this run's fake ones, or chained ones handed out here.
    const chained = scope && scope.accessKeyId !== deps.fake.accessKeyId ? deps.assumedRoles.get(scope.accessKeyId) : undefined;
    if (scope && !chained && scope.accessKeyId !== deps.fake.accessKeyId && deps.assumedRoles.has(scope.accessKeyId)) {
      return refuse(denied('the temporary credentials from AssumeRole have expired', 'call AssumeRole again'), 403);
    }
    const creds: AwsCredentials = chained ? chained.credentials : deps.fake;
    const now = clock();
    let auth: ParsedAuthorization;
    if (scope && quickVerify(signed, creds, scope, now, MAX_SKEW_MS)) {
      auth = scope;
      note.verified = 'quick';
    } else {
      note.verified = 'full';
      const { verifySignature } = await loadFullCheck();
      const verdict = await verifySignature(signed, creds, { now, maxSkewMs: MAX_SKEW_MS });
      if (!verdict.ok) {
        return refuse(denied(`request refused by the tsh local proxy: ${verdict.reason}`, 'sign requests with the AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY that tsh printed (or set for `tsh aws`)'), 403);
      }
      auth = verdict.auth;
    }

    const blocked = deps.refusal();
    if (blocked) return refuse(blocked);

    const awsHost = targetHost(req, auth, deps.servedHost(req.socket));
    if (awsHost instanceof TshError) return refuse(awsHost);

    // Raw [name, value, ...] lists: repeated headers stay apart and in order, and Node writes them
    // without building header objects (measurably cheaper per request).
    const headers: string[] = ['host', awsHost];
    const raw = req.rawHeaders;
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i].toLowerCase();
      if (hopByHop.has(name) || name === 'content-length' || name.startsWith('x-tsh-')) continue;
      headers.push(raw[i], raw[i + 1]);
    }
    if (body.length > 0 || req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined) {
      headers.push('content-length', String(body.length));
    }
    if (chained) headers.push(CHAINED_ROLE_HEADER, chained.roleArn ?? chained.assumedRoleArn ?? '');

    const upstream = await deps.upstream.request({ method: signed.method, path: url, headers, body }).catch((err) => err as TshError);
    if (upstream instanceof Error) return refuse(upstream instanceof TshError ? upstream : new TshError('PROXY_UNREACHABLE', String(upstream)));
    res.once('close', () => {
      if (!upstream.complete) upstream.destroy();
    });

    const watchAssumeRole =
      auth.service === 'sts' && upstream.statusCode === 200 && signed.method === 'POST' && isAssumeRoleCall(query, body, req.headers['content-type']);
    if (watchAssumeRole) {
      const answer = await readBody(upstream, MAX_STS_RESPONSE).catch(() => undefined);
      if (!answer) {
        res.destroy();
        return;
      }
      const learned = parseAssumeRoleResponse(answer, String(upstream.headers['content-encoding'] ?? ''));
      if (learned) deps.assumedRoles.add({ ...learned, roleArn: requestedRoleArn(query, body) });
      res.writeHead(upstream.statusCode ?? 502, upstream.statusMessage, responseHeaders(upstream, answer.length));
      res.end(answer);
      return;
    }
    res.writeHead(upstream.statusCode ?? 502, upstream.statusMessage, responseHeaders(upstream));
    upstream.on('error', () => res.destroy());
    upstream.pipe(res);
  }
}

/**
 * The full SigV4 check, loaded on first need: it brings in the smithy
 * signer (~35 ms to load), which a `tsh aws` run whose requests all pass
 * the quick check never needs.
 */
let fullCheck: Promise<typeof import('../../shared/sigv4/verifySignature.js')> | undefined;
function loadFullCheck(): Promise<typeof import('../../shared/sigv4/verifySignature.js')> {
  fullCheck ??= import('../../shared/sigv4/verifySignature.js');
  return fullCheck;
}

/**
 * The AWS host to forward to. Through a CONNECT tunnel it is the tunnel's
 * host, and the request's Host must agree with it; at the endpoint URL (a
 * local Host) it is the regional endpoint of the signed service.
 */
function targetHost(req: IncomingMessage, auth: ParsedAuthorization, served: string | undefined): string | TshError {
  const hostHeader = String(req.headers.host ?? '');
  const host = stripPort(hostHeader).toLowerCase();
  if (served === undefined || isLoopback(served) || host === '' || isLoopback(host)) {
    if (served !== undefined && !isLoopback(served)) return hostMismatch(hostHeader, served);
    return awsHostForScope(auth.service, auth.region);
  }
  if (host !== served) return hostMismatch(hostHeader, served);
  if (!isAwsHost(host)) return new TshError('ACCESS_DENIED', `"${hostHeader}" is not an AWS endpoint`);
  return hostHeader;
}

function hostMismatch(hostHeader: string, served: string): TshError {
  return new TshError('BAD_INPUT', `the request's Host "${hostHeader}" does not match the host the connection was opened for (${served})`);
}

/** The response's headers for the client, as a raw list, without hop-by-hop ones. */
function responseHeaders(res: IncomingMessage, bufferedLength?: number): string[] {
  const out: string[] = [];
  const raw = res.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    if (responseHopByHop.has(name) || (bufferedLength !== undefined && name === 'content-length')) continue;
    out.push(raw[i], raw[i + 1]);
  }
  if (bufferedLength !== undefined) out.push('content-length', String(bufferedLength));
  return out;
}

/** Reads a whole body, refusing more than `limit` bytes with TOO_LARGE. */
function readBody(stream: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        stream.off('data', onData);
        stream.resume();
        reject(tooLarge(size));
        return;
      }
      chunks.push(chunk);
    };
    stream.on('data', onData);
    stream.once('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)));
    stream.once('error', reject);
    stream.once('aborted', () => reject(new TshError('BAD_INPUT', 'the client closed the connection mid-request')));
  });
}

function safeScope(authorization: string | undefined): ParsedAuthorization | undefined {
  try {
    return parseAuthorization(authorization);
  } catch {
    return undefined;
  }
}

function denied(message: string, hint: string): TshError {
  return new TshError('BAD_CREDENTIALS', message, { hint });
}

function tooLarge(size: number): TshError {
  return new TshError('TOO_LARGE', `request body of ${size} bytes is larger than the ${MAX_REQUEST_BODY >> 20} MiB limit of the tsh local proxy`);
}
