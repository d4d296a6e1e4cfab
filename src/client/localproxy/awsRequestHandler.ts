/**
 * What the local proxy does with each decrypted AWS request: nothing leaves
 * the machine unless it was signed with this run's fake keys. Each request
 * passes these steps in order; any of them may refuse it, AWS-shaped, and
 * then nothing is forwarded.
 *
 *   request from the TLS terminator (CONNECT tunnel or endpoint URL)
 *     read     origin-form target and one Host only (400 otherwise); a body whose SHA-256
 *              is signed is buffered (it is checked before anything leaves), 16 MiB at most
 *              (shared/http/readBody: 413); UNSIGNED-PAYLOAD and aws-chunked bodies stream
 *     verify   SigV4: this run's fake keys, or keys an AssumeRole returned through here
 *              (body hash, signed headers, X-Amz-Date within 15 minutes)          else 403
 *              (quickVerify for the common shapes, verifySignature for the rest; both shared/sigv4);
 *              signed aws-chunked bodies: every chunk's signature as it passes (awsChunked),
 *              a chunk going on only once it checked out
 *     usable?  the app login is not expired or logged out                 else the reason
 *     route    Host: the tunnel's AWS host, or in endpoint mode the host named by the SigV4 scope
 *     forward  to the cluster proxy (keep-alive mTLS pool, upstream.ts); the response is streamed
 *              back, except a successful sts:AssumeRole answer, read to learn the chained keys
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { TshError, isCode } from '../../shared/errors.js';
import { isAwsHost, stripPort } from '../../shared/aws/endpoints.js';
import { isAssumeRoleCall, MAX_ASSUME_ROLE_ANSWER, parseAssumeRoleResponse, requestedRoleArn } from '../../shared/aws/assumeRoleCall.js';
import { sendAwsError } from '../../shared/http/awsError.js';
import { forwardedResponseHeaders, HOP_BY_HOP_REQUEST, rawHeader } from '../../shared/http/hopByHop.js';
import { bodyTooLarge, lingerOverRefusedBody, MAX_BODY_BYTES, readBody } from '../../shared/http/readBody.js';
import { requestTarget } from '../../shared/http/requestTarget.js';
import { isLoopback } from '../../shared/net/hostPort.js';
import { parseAuthorization } from '../../shared/sigv4/parseAuthorization.js';
import { quickVerify } from '../../shared/sigv4/quickVerify.js';
import { AwsChunkedReader, payloadMode, type PayloadMode } from '../../shared/sigv4/awsChunked.js';
import { signingKey } from '../../shared/sigv4/simpleSignature.js';
import type { AwsCredentials, ParsedAuthorization, SignedRequest } from '../../shared/sigv4/types.js';
import { maskSecrets } from '../../shared/text/maskSecrets.js';
import type { FakeCredentials } from './fakeCredentials.js';
import type { AssumedRoleStore } from './assumedRoles.js';
import { awsHostForScope } from './scopeHost.js';
import type { UpstreamPool } from './upstream.js';

/** SigV4's allowed clock difference, as AWS applies it. */
export const MAX_SKEW_MS = 15 * 60_000;

/** What one request's log line reports beyond the basics. */
interface Note {
  /** Which SigV4 check accepted or refused it. */
  verified?: 'quick' | 'full';
}

/** A request read as far as its signature check needs: buffered (`signed.body`) or still streaming. */
interface ReadRequest {
  signed: SignedRequest;
  mode: PayloadMode;
  /** The body still to come (UNSIGNED-PAYLOAD and aws-chunked); undefined when buffered. */
  stream?: Readable;
}

/** What the handler works with; each part is swappable in tests. */
export interface AwsRequestHandlerDeps {
  /** This run's fake keys. */
  fake: FakeCredentials;
  /** Chained keys learned from AssumeRole responses. */
  assumedRoles: AssumedRoleStore;
  /** The pool to the cluster proxy. */
  upstream: Pick<UpstreamPool, 'relay'>;
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
      // AWS answers a signature it cannot verify with 403 (the cluster API's 401 is for logins).
      sendAwsError(res, err, isCode(err, 'BAD_CREDENTIALS') ? 403 : undefined);
    });
  };

  async function handle(req: IncomingMessage, res: ServerResponse, note: Note): Promise<void> {
    const request = await read(req, res);
    const { auth, creds } = await verify(request, note);
    const blocked = deps.refusal();
    if (blocked) throw blocked;
    const awsHost = route(req, auth);
    const body = checkedBody(req, res, request, auth, creds);
    await forward(req, res, request.signed, auth, body, awsHost);
  }

  /**
   * The request as SigV4 sees it. A body whose hash is signed is buffered
   * (the hash is checked before anything is sent); the others stream, their
   * signature covering the headers only (UNSIGNED-PAYLOAD) or each chunk
   * (checked as it passes, see checkedBody).
   */
  async function read(req: IncomingMessage, res: ServerResponse): Promise<ReadRequest> {
    const { path, query } = requestTarget(req);
    const mode = payloadMode(req.headers['x-amz-content-sha256'] as string | undefined);
    const base = { method: req.method ?? 'GET', path, query, headers: req.headers };
    if (mode !== 'hash') return { signed: { ...base, body: EMPTY }, mode, stream: req };
    const declared = Number(req.headers['content-length'] ?? 0);
    try {
      if (declared > MAX_BODY_BYTES) throw bodyTooLarge(declared);
      return { signed: { ...base, body: await readBody(req) }, mode };
    } catch (err) {
      // The client of a body too large is still sending it (so that it can read the 413); a broken body is not worth reading.
      if (isCode(err, 'TOO_LARGE')) lingerOverRefusedBody(req, res);
      else res.shouldKeepAlive = false;
      throw err instanceof TshError ? err : new TshError('BAD_INPUT', 'the request body could not be read');
    }
  }

  /** Checks the signature against the keys it claims: this run's fake ones, or chained ones handed out here. */
  async function verify(request: ReadRequest, note: Note): Promise<{ auth: ParsedAuthorization; creds: AwsCredentials }> {
    const { signed } = request;
    const streamed = request.stream !== undefined;
    const scope = safeScope(signed.headers.authorization as string | undefined);
    const fakeKey = !scope || scope.accessKeyId === deps.fake.accessKeyId;
    const chained = fakeKey ? undefined : deps.assumedRoles.get(scope.accessKeyId);
    if (!fakeKey && !chained && deps.assumedRoles.has(scope.accessKeyId)) {
      throw denied('the temporary credentials from AssumeRole have expired', 'call AssumeRole again');
    }
    const creds: AwsCredentials = chained ? chained.credentials : deps.fake;
    const now = clock();
    if (scope && quickVerify(signed, creds, scope, now, MAX_SKEW_MS, streamed)) {
      note.verified = 'quick';
      return { auth: scope, creds };
    }
    note.verified = 'full';
    const { verifySignature } = await loadFullCheck();
    const verdict = await verifySignature(signed, creds, { now, maxSkewMs: MAX_SKEW_MS, streamedBody: streamed });
    if (!verdict.ok) {
      throw denied(`request refused by the tsh local proxy: ${verdict.reason}`, 'sign requests with the AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY that tsh printed (or set for `tsh aws`)');
    }
    return { auth: verdict.auth, creds };
  }

  /**
   * The body to send: the buffered one, or the stream. A signed aws-chunked
   * body goes through a verifier that passes each chunk on only once its
   * signature (chained from the header signature just checked) matched; a
   * chunk that does not match ends the request before its bytes leave, and
   * the client is told why. Whatever the client stops sending, the request
   * to the cluster is ended too, so that nothing half-sent is taken for whole.
   */
  function checkedBody(req: IncomingMessage, res: ServerResponse, request: ReadRequest, auth: ParsedAuthorization, creds: AwsCredentials): Buffer | Readable {
    if (!request.stream) return request.signed.body;
    let body: Readable = request.stream;
    if (request.mode === 'chunked-signed' || request.mode === 'chunked-signed-trailer') {
      const decoded = Number(req.headers['x-amz-decoded-content-length']);
      const verifier = new AwsChunkedReader({
        mode: request.mode,
        signing: {
          key: signingKey(creds.secretAccessKey, auth.date, auth.region, auth.service),
          amzDate: String(req.headers['x-amz-date']),
          scope: `${auth.date}/${auth.region}/${auth.service}/aws4_request`,
          seedSignature: auth.signature,
        },
        output: 'raw',
        decodedLength: Number.isFinite(decoded) ? decoded : undefined,
        maxChunkBytes: MAX_BODY_BYTES,
      });
      verifier.once('error', () => {
        // The rest of a forged body is not read: the connection closes after the answer.
        res.shouldKeepAlive = false;
        req.unpipe(verifier);
        req.resume();
      });
      body = req.pipe(verifier);
    }
    const cut = () => {
      if (!req.complete && !body.destroyed) body.destroy(new TshError('BAD_INPUT', 'the client closed the connection mid-request'));
    };
    req.once('aborted', cut);
    req.once('error', cut);
    return body;
  }

  /**
   * The AWS host to forward to. Through a CONNECT tunnel it is the tunnel's
   * host, and the request's Host must agree with it; at the endpoint URL (a
   * local Host) it is the regional endpoint of the signed service.
   */
  function route(req: IncomingMessage, auth: ParsedAuthorization): string {
    const served = deps.servedHost(req.socket);
    const hostHeader = String(req.headers.host ?? '');
    const host = stripPort(hostHeader).toLowerCase();
    if (served === undefined || isLoopback(served) || host === '' || isLoopback(host)) {
      if (served !== undefined && !isLoopback(served)) throw hostMismatch(hostHeader, served);
      return awsHostForScope(auth.service, auth.region);
    }
    if (host !== served) throw hostMismatch(hostHeader, served);
    if (!isAwsHost(host)) throw new TshError('ACCESS_DENIED', `"${hostHeader}" is not an AWS endpoint`);
    return hostHeader;
  }

  /**
   * Sends the request to the cluster proxy and relays the answer as it
   * arrives; resolves once it started, rejects when the cluster could not be
   * reached (nothing answered yet). A successful AssumeRole answer is read
   * whole first, to learn its keys.
   */
  function forward(req: IncomingMessage, res: ServerResponse, signed: SignedRequest, auth: ParsedAuthorization, body: Buffer | Readable, awsHost: string): Promise<void> {
    // Raw [name, value, ...] lists: repeated headers stay apart and in order, and no header object is
    // built. Headers named x-tsh-* are dropped: no hop trusts them from a client, and none is set here.
    const headers: string[] = ['host', awsHost];
    const raw = req.rawHeaders;
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i].toLowerCase();
      if (HOP_BY_HOP_REQUEST.has(name) || name === 'host' || name === 'content-length' || name.startsWith('x-tsh-')) continue;
      headers.push(raw[i], raw[i + 1]);
    }
    if (Buffer.isBuffer(body)) {
      if (body.length > 0 || req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined) {
        headers.push('content-length', String(body.length));
      }
      // The hash this check computed (the client signed it without the header): the app service then
      // need not hash (or hold) the body again to re-sign it.
      if (req.headers['x-amz-content-sha256'] === undefined) headers.push('x-amz-content-sha256', sha256Hex(body));
    } else if (req.headers['content-length'] !== undefined) {
      headers.push('content-length', String(req.headers['content-length']));
    }
    const learns = auth.service === 'sts' && signed.method === 'POST' && isAssumeRoleCall(signed.query, signed.body, signed.headers['content-type'] as string | undefined);
    return new Promise<void>((resolve, reject) => {
      deps.upstream.relay({ method: signed.method, path: req.url!, headers, body }, res, {
        onStart: () => resolve(),
        hold: (status) => (learns && status === 200 ? MAX_ASSUME_ROLE_ANSWER : undefined),
        onHeld(status, text, rawHeaders, held) {
          if (!held) return void res.destroy();
          const learned = parseAssumeRoleResponse(held, rawHeader(rawHeaders, 'content-encoding'));
          if (learned) deps.assumedRoles.add({ ...learned, roleArn: requestedRoleArn(signed.query, signed.body) });
          res.writeHead(status, text, forwardedResponseHeaders(rawHeaders, held.length));
          res.end(held);
        },
        onError: (err) => reject(err instanceof TshError ? err : new TshError('PROXY_UNREACHABLE', String(err))),
      });
    });
  }
}

const EMPTY = Buffer.alloc(0);

function sha256Hex(body: Buffer): string {
  return createHash('sha256').update(body).digest('hex');
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

function hostMismatch(hostHeader: string, served: string): TshError {
  return new TshError('BAD_INPUT', `the request's Host "${hostHeader}" does not match the host the connection was opened for (${served})`);
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
