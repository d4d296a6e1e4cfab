/**
 * The client side of the proxy's HTTP API, shared by tsh, tctl and the app
 * service. It speaks HTTPS (mTLS when given a certificate), keeps
 * connections alive, and turns transport failures into errors a user can
 * act on: an unreachable proxy names its address, an untrusted certificate
 * says how to trust it, and the cluster's own errors come back as the
 * TshError it sent.
 */
import https from 'node:https';
import { secureContextTrusting } from './secureContextTrusting.js';
import { maskSecrets } from '../text/maskSecrets.js';
import { TshError, fromWireError } from '../errors.js';
import { parseHostPort, formatHostPort } from '../net/hostPort.js';
import type { ApiCaller, ApiMethod, ApiResult, ParamsArg } from '../api/clusterApi.js';

/** Where and how an ApiClient connects: the proxy address, the caller's mTLS credentials, and which servers to trust. */
export interface ApiClientOptions {
  /** host:port of the proxy (or auth) web API. */
  addr: string;
  /** Client key and certificate (PEM) for mTLS. */
  key?: string;
  cert?: string;
  /** Extra roots (the cluster's host CA); system roots are always trusted too. */
  ca?: string[];
  /** Skip verifying the server (`--insecure`). */
  insecure?: boolean;
  /** Per-request timeout; default 30 s. */
  timeoutMs?: number;
  /** TLS server name when addr is not what the certificate names. */
  servername?: string;
  /** Request log (--debug): one line per request with method, path, status and time; never bodies. */
  log?: (line: string) => void;
}

const tlsVerifyErrors = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

/**
 * One connection pool to a cluster web API. tsh, tctl and the app service
 * all call the cluster through it, so connection errors read the same everywhere.
 */
export class ApiClient implements ApiCaller {
  private readonly agent: https.Agent;
  readonly host: string;
  readonly port: number;

  constructor(readonly opts: ApiClientOptions) {
    const hp = parseHostPort(opts.addr, 3080, 'proxy address');
    this.host = hp.host;
    this.port = hp.port;
    this.agent = new https.Agent({
      keepAlive: true,
      maxSockets: 8,
      secureContext: secureContextTrusting({ key: opts.key, cert: opts.cert, extraCas: opts.ca }),
      rejectUnauthorized: !opts.insecure,
      servername: opts.servername ?? (/^[\d.]+$/.test(hp.host) || hp.host.includes(':') ? undefined : hp.host),
      ALPNProtocols: ['http/1.1'],
    });
  }

  /** Calls a cluster API method (`POST /v1/rpc/<method>`), typed by the contract (shared/api/clusterApi). */
  rpc<M extends ApiMethod>(method: M, ...[params]: ParamsArg<M>): Promise<ApiResult<M>> {
    return this.request<ApiResult<M>>('POST', `/v1/rpc/${method}`, params ?? {});
  }

  get<T = any>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T = any>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  put<T = any>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, body);
  }

  /** Sends one request and parses the JSON answer (plain text answers come back as a string). */
  request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const addr = formatHostPort({ host: this.host, port: this.port });
    const started = Date.now();
    const log = this.opts.log;
    return new Promise<T>((resolve, reject) => {
      const req = https.request(
        {
          host: this.host,
          port: this.port,
          method,
          path,
          agent: this.agent,
          headers: data ? { 'content-type': 'application/json', 'content-length': data.length } : {},
          timeout: this.opts.timeoutMs ?? 30_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c) => chunks.push(c));
          res.on('error', (e) => reject(transportError(e, addr)));
          res.on('end', () => {
            log?.(`${method} https://${addr}${maskSecrets(path)} -> ${res.statusCode} (${Date.now() - started} ms)`);
            const text = Buffer.concat(chunks).toString('utf8');
            const isJson = /json/.test(String(res.headers['content-type'] ?? ''));
            let parsed: unknown = text;
            if (isJson) {
              try {
                parsed = JSON.parse(text);
              } catch {
                return reject(new TshError('INTERNAL', `the proxy at ${addr} sent an unreadable answer`));
              }
            }
            if ((res.statusCode ?? 500) >= 400) {
              return reject(fromWireError(parsed) ?? new TshError('INTERNAL', `the proxy at ${addr} answered ${res.statusCode} to ${method} ${path}`, { hint: 'is this the address of a tsh-aws proxy?' }));
            }
            resolve(parsed as T);
          });
        },
      );
      req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
      req.on('error', (e) => {
        log?.(`${method} https://${addr}${maskSecrets(path)} failed: ${(e as NodeJS.ErrnoException).code ?? e.message}`);
        reject(transportError(e, addr));
      });
      req.end(data);
    });
  }

  /** Closes idle connections (so a CLI exits promptly). */
  close(): void {
    this.agent.destroy();
  }
}

/** Maps socket and TLS failures to PROXY_UNREACHABLE / UNTRUSTED_PROXY / SESSION_EXPIRED. */
export function transportError(err: NodeJS.ErrnoException, addr: string): TshError {
  const code = String(err.code ?? '');
  if (tlsVerifyErrors.has(code)) {
    return new TshError('UNTRUSTED_PROXY', `the certificate of the proxy at ${addr} is not trusted (${code})`, {
      hint: 'if this is a test cluster with a self-signed certificate, add --insecure to `tsh login`; otherwise add the proxy\'s CA to the system trust store (or NODE_EXTRA_CA_CERTS)',
      cause: err,
    });
  }
  if (code === 'CERT_HAS_EXPIRED') {
    return new TshError('UNTRUSTED_PROXY', `the certificate of the proxy at ${addr} has expired`, { hint: 'ask the operator to renew it', cause: err });
  }
  if (/certificate expired|sslv3 alert certificate expired/i.test(err.message)) {
    return new TshError('SESSION_EXPIRED', 'your session has expired', { hint: 'log in again with `tsh login`', cause: err });
  }
  if (/alert bad certificate|certificate unknown|unknown ca/i.test(err.message)) {
    return new TshError('CERTIFICATE', `the proxy at ${addr} refused the client certificate`, { hint: 'log in again with `tsh login`', cause: err });
  }
  return new TshError('PROXY_UNREACHABLE', `cannot reach the proxy at ${addr}: ${describeNetError(err)}`, {
    hint: 'check the address and port (--proxy), and that the proxy is running and reachable from here',
    cause: err,
  });
}

function describeNetError(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host name not found';
    case 'ETIMEDOUT':
      return 'timed out';
    case 'ECONNRESET':
      return 'connection reset';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'no route to host';
    default:
      return err.message;
  }
}
