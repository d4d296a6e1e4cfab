/**
 * The proxy's HTTP API on its web port: what browsers, `tsh`, `tctl` and
 * joining agents talk to (everything except app traffic and agent tunnels,
 * which arrive on the same port under their own ALPN protocols).
 *
 *   GET  /v1/webapi/ping                                  cluster name, version, second factor
 *   GET  /v1/webapi/automaticupgrades/channel/default/version   "v<version>"
 *   POST /v1/webapi/login                                 password (+ code) -> user certificate
 *   GET  /v1/webapi/users/password/token/:token           invite details
 *   PUT  /v1/webapi/users/password/token                  set password through an invite
 *   GET  /                                                -> /web
 *   /web/...                                              the web UI (web/webUi.ts), the invite page included
 *   GET  /v1/webapi/cas                                   the cluster's CA certificates (public)
 *   POST /v1/webapi/join                                  app service join with a token
 *   POST /v1/rpc/:method                                  the cluster API, caller = client certificate
 *   GET  /healthz, /readyz                                what the diagnostics port answers, for a load
 *                                                         balancer's health check over TLS (reasons without
 *                                                         their details: the port is public)
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { TshError } from '../../shared/errors.js';
import { VERSION } from '../../shared/version.js';
import { numberField, readJsonBody, sendError, sendJson, stringField } from '../../shared/http/json.js';
import { decodePathSegment, requestUrl } from '../requestUrl.js';
import type { AuthService } from '../auth/authService.js';
import { login } from '../auth/login.js';
import { completeResetToken, describeResetToken } from '../auth/users.js';
import { handleRpc } from '../auth/rpcHttp.js';
import { createWebUi } from './web/webUi.js';
import type { TunnelRegistry } from './tunnelRegistry.js';
import type { Logger } from '../logger.js';
import type { PingResponse } from '../../shared/api/types.js';
import { READY_TIMEOUT_MS, withTimeout } from '../diag/diagServer.js';

/** What the web API needs from the proxy process that serves it. */
export interface WebApiOptions {
  /** The in-process auth service every endpoint answers from. */
  auth: AuthService;
  /** The proxy's public address, read on each request because it is only known once the listener is bound. */
  publicAddr: () => string;
  /** The app services' tunnels, for the web UI's console launches. */
  tunnels: TunnelRegistry;
  log: Logger;
  /** Why this process cannot serve now, or undefined when it can (as /readyz on the diagnostics port says). */
  readiness: () => Promise<string | undefined>;
}

/** Builds the request handler for the proxy's web API. */
export function createWebApi(opts: WebApiOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { auth } = opts;
  const webUi = createWebUi(opts);
  return (req, res) => {
    res.setHeader('x-content-type-options', 'nosniff');
    void (async () => {
      try {
        const url = requestUrl(req);
        const path = url.pathname;
        if (path.startsWith('/v1/rpc/')) return await handleRpc(auth, req, res, path.slice('/v1/rpc/'.length));
        if (req.method === 'GET' && path === '/v1/webapi/ping') {
          const s = auth.status();
          const ping: PingResponse = {
            server_version: VERSION,
            cluster_name: s.clusterName,
            proxy: { public_addr: opts.publicAddr() },
            auth: { type: 'local', second_factor: auth.ctx.secondFactor, local: { name: '' } },
            min_client_version: '0.1.0',
          };
          return sendJson(res, 200, ping);
        }
        if (req.method === 'GET' && path === '/healthz') return sendJson(res, 200, { status: 'ok' });
        if (req.method === 'GET' && path === '/readyz') {
          const why = await withTimeout(opts.readiness(), READY_TIMEOUT_MS).catch((err: Error) => err.message);
          return sendJson(res, why ? 503 : 200, { status: why ? why.split(' (')[0] : 'ok' });
        }
        if (req.method === 'GET' && path === '/v1/webapi/automaticupgrades/channel/default/version') {
          res.writeHead(200, { 'content-type': 'text/plain' });
          return res.end(`v${VERSION}`);
        }
        if (req.method === 'GET' && path === '/v1/webapi/cas') {
          const cas = auth.caCerts();
          return sendJson(res, 200, { cluster_name: auth.ctx.clusterName, user_ca: cas.userCa, host_ca: cas.hostCa });
        }
        if (req.method === 'POST' && path === '/v1/webapi/login') {
          const b = await readJsonBody(req);
          const result = await login(auth.ctx, { user: stringField(b, 'user'), password: stringField(b, 'password'), otp: stringField(b, 'otp_token'), publicKey: stringField(b, 'public_key'), ttlMs: numberField(b, 'ttl_ms') });
          return sendJson(res, 200, { cert: result.cert, user_ca: result.userCa, host_ca: result.hostCa, cluster_name: result.clusterName, identity: result.identity });
        }
        const tokenMatch = /^\/v1\/webapi\/users\/password\/token\/([^/]+)$/.exec(path);
        if (req.method === 'GET' && tokenMatch) return sendJson(res, 200, await describeResetToken(auth.ctx, decodePathSegment(tokenMatch[1])));
        if (req.method === 'PUT' && path === '/v1/webapi/users/password/token') {
          const b = await readJsonBody(req);
          return sendJson(res, 200, await completeResetToken(auth.ctx, { token: stringField(b, 'token'), password: stringField(b, 'password'), secondFactorToken: stringField(b, 'second_factor_token') || undefined }));
        }
        if (req.method === 'POST' && path === '/v1/webapi/join') {
          const b = await readJsonBody(req);
          return sendJson(res, 200, await auth.join({ token: stringField(b, 'token'), publicKey: stringField(b, 'public_key'), hostname: stringField(b, 'hostname') }));
        }
        if (path === '/web' || path.startsWith('/web/')) return await webUi(req, res, url);
        if (req.method === 'GET' && path === '/') {
          res.writeHead(302, { location: '/web', 'content-length': 0 });
          return res.end();
        }
        throw new TshError('NOT_FOUND', `no such endpoint: ${req.method} ${path}`);
      } catch (err) {
        sendError(res, err);
      }
    })();
  };
}
