/**
 * `teleport start`: runs the services a config enables, in one process.
 *
 *   auth_service  -> backend (SQLite / PostgreSQL), CAs, cluster API on listen_addr (mTLS)
 *   proxy_service -> web port: web API, cluster API for tsh/tctl, app relay, agent tunnels;
 *                    heartbeats under this instance's <data_dir>/host_uuid (several may share PostgreSQL)
 *   app_service   -> joins through the proxy, opens a reverse tunnel, signs AWS requests
 *   diag_addr     -> /healthz, /readyz, /metrics (first up, so probes see "starting"; see diag/)
 *
 * Addresses actually bound (port 0 in tests) are written to
 * `<data_dir>/process.json` so `tctl -c` on this host finds the auth service.
 */
import tls from 'node:tls';
import http from 'node:http';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { TshError } from '../shared/errors.js';
import { generateKeyPair } from '../shared/pki/generateKeyPair.js';
import { formatHostPort, parseHostPort } from '../shared/net/hostPort.js';
import { withDefaults, type TeleportConfig, type TeleportConfigInput } from './config/teleportConfig.js';
import { openBackend } from './storage/openBackend.js';
import type { Backend } from './storage/backend.js';
import { AuthService, writeSecure } from './auth/authService.js';
import { handleRpc } from './auth/rpcHttp.js';
import { ProxyService } from './proxy/proxyService.js';
import { AppService } from './app/appService.js';
import type { ResolveAll } from './app/awsEndpoint.js';
import { listen } from './listen.js';
import { hostUuid } from './hostUuid.js';
import { createLogger, type Logger } from './logger.js';
import { startDiagServer } from './diag/diagServer.js';
import { readiness } from './diag/readiness.js';
import { readJsonBody, sendError, sendJson, stringField, writeWireError } from '../shared/http/json.js';
import { malformedRequestHandler } from '../shared/http/malformedRequest.js';
import { requestUrl } from './requestUrl.js';

/** What `process.json` holds. */
export interface ProcessInfo {
  pid: number;
  cluster?: string;
  auth_addr?: string;
  web_addr?: string;
  public_addr?: string;
  /** host:port of the diagnostics listener, when enabled. */
  diag_addr?: string;
}

/** A running teleport process. */
export interface TeleportProcess {
  config: TeleportConfig;
  auth?: AuthService;
  proxy?: ProxyService;
  app?: AppService;
  authAddr?: string;
  /** host:port the proxy is reachable at (its public address). */
  proxyAddr?: string;
  close(): Promise<void>;
}

/** Starts every enabled service; on failure, stops what was started and rethrows. */
export async function startTeleport(input: TeleportConfigInput | TeleportConfig, opts: { log?: Logger; clock?: () => Date; resolve?: ResolveAll } = {}): Promise<TeleportProcess> {
  const config = 'warnings' in input ? input : withDefaults(input);
  const log = opts.log ?? createLogger();
  for (const w of config.warnings) log.warn('CONFIG', w);
  const closers: Array<() => Promise<unknown>> = [];
  const close = async () => {
    for (const c of closers.reverse()) await c().catch(() => {});
  };
  try {
    const proc: TeleportProcess = { config, close };
    const info: ProcessInfo = { pid: process.pid };
    let started = false;
    const ready = async () => (started ? readiness(proc) : 'teleport is starting');
    if (config.diagAddr) {
      const diag = await startDiagServer(config.diagAddr, { log, readiness: ready });
      closers.push(() => diag.close());
      info.diag_addr = diag.addr;
    }
    await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
    if (config.proxy.enabled && !config.auth.enabled) {
      throw new TshError('CONFIG', `${config.source}: proxy_service needs auth_service in the same process`, { hint: 'enable auth_service next to proxy_service; run app services on their own hosts' });
    }
    if (config.auth.enabled) {
      const backend: Backend = await openBackend(config.storage, config.dataDir, { clock: opts.clock, log });
      closers.push(() => backend.close());
      const publicAddrRef = { value: config.proxy.publicAddrs[0] ?? '' };
      const auth = await AuthService.start(config, backend, {
        clock: opts.clock,
        proxyPublicAddr: () => publicAddrRef.value,
        onAuditFileError: (err, file) => log.error('AUTH', `cannot append audit events to ${file}: ${(err as Error).message}; they are stored in the cluster (tctl audit events) and will be written to the file once it takes them again`),
      });
      closers.push(() => auth.close());
      proc.auth = auth;
      const authServer = await startAuthListener(config, auth, log);
      closers.push(() => {
        const closed = new Promise((r) => authServer.server.close(() => r(undefined)));
        for (const s of authServer.open) s.destroy();
        return closed;
      });
      proc.authAddr = authServer.addr;
      info.cluster = config.auth.clusterName;
      info.auth_addr = authServer.addr;
      if (config.proxy.enabled) {
        const proxy = await ProxyService.start(config, auth, log, publicAddrRef, { hostId: await hostUuid(config.dataDir), readiness: ready });
        closers.push(() => proxy.close());
        proc.proxy = proxy;
        proc.proxyAddr = proxy.publicAddr;
        info.web_addr = formatHostPort(proxy.address);
        info.public_addr = proxy.publicAddr;
      } else if (!publicAddrRef.value) {
        publicAddrRef.value = authServer.addr;
      }
    }
    if (config.app.enabled) {
      const proxyServer = config.proxyServer ?? proc.proxyAddr ?? info.web_addr;
      if (!proxyServer) throw new TshError('CONFIG', `${config.source}: app_service needs teleport.proxy_server`);
      const app = await AppService.start(config, { proxyServer: proc.proxy ? info.web_addr! : proxyServer, log, localAuth: proc.auth, localProxy: proc.proxy?.tunnels, resolve: opts.resolve });
      closers.push(() => app.close());
      proc.app = app;
    }
    await writeSecure(join(config.dataDir, 'process.json'), JSON.stringify(info, null, 2) + '\n');
    started = true;
    return proc;
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * The auth service's own listener (`auth_service.listen_addr`): the cluster
 * API for the local admin (`tctl -c`) and joins, over mTLS with a host
 * certificate.
 */
async function startAuthListener(config: TeleportConfig, auth: AuthService, log: Logger): Promise<{ server: tls.Server; addr: string; open: Set<tls.TLSSocket> }> {
  const at = parseHostPort(config.auth.listenAddr, 3025, 'auth_service.listen_addr');
  const keys = await generateKeyPair();
  const cert = auth.issueHostCert({ hostId: `auth.${auth.ctx.clusterName}`, hostRole: 'auth', publicKey: keys.publicKey, dnsNames: ['localhost'], ipAddresses: ['127.0.0.1', '::1'] });
  const cas = auth.caCerts();
  const web = http.createServer((req, res) => {
    let path: string;
    try {
      path = requestUrl(req).pathname;
    } catch (err) {
      return sendError(res, err);
    }
    if (path.startsWith('/v1/rpc/')) return void handleRpc(auth, req, res, path.slice(8));
    if (req.method === 'POST' && path === '/v1/webapi/join') {
      return void (async () => {
        try {
          const b = await readJsonBody(req);
          sendJson(res, 200, await auth.join({ token: stringField(b, 'token'), publicKey: stringField(b, 'public_key'), hostname: stringField(b, 'hostname') }));
        } catch (err) {
          sendError(res, err);
        }
      })();
    }
    sendError(res, new TshError('NOT_FOUND', `no such endpoint on the auth service: ${path}`));
  });
  web.on('clientError', malformedRequestHandler(writeWireError));
  const server = tls.createServer({ key: keys.privateKey, cert, ca: [cas.userCa, cas.hostCa], requestCert: true, rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] });
  const open = new Set<tls.TLSSocket>();
  server.on('secureConnection', (s) => {
    open.add(s);
    s.once('close', () => open.delete(s));
    web.emit('connection', s);
  });
  server.on('tlsClientError', () => {});
  const bound = await listen(server, at, 'auth_service.listen_addr');
  const addr = formatHostPort({ host: bound.host === '0.0.0.0' || bound.host === '::' ? '127.0.0.1' : bound.host, port: bound.port });
  log.info('AUTH', `Auth service is listening on ${formatHostPort(bound)} (cluster "${auth.ctx.clusterName}")`);
  return { server, addr, open };
}
