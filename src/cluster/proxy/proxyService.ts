/**
 * The proxy service: one TLS port for everything, routed by ALPN.
 *
 *                    TLS :3080 (requestCert; user CA + host CA as client roots)
 *                                   |
 *        +--------------------------+---------------------------+
 *        | ALPN tsh-tunnel-v1       | ALPN tsh-app-v1           | http/1.1 (or none)
 *        v                          v                           v
 *   agent reverse tunnel       app traffic from tsh        web API, web UI,
 *   (host cert required)       (app cert required)         cluster API (client cert)
 *   TunnelRegistry             AppRelay -> tunnel stream   createWebApi
 *
 * Agents dial in (they need outbound access only) and the proxy opens one
 * HTTP/2 stream through their tunnel per client connection. Several proxies
 * may share one backend (behind a load balancer): each heartbeats its id
 * and addresses (auth/proxies.ts), and every agent keeps a tunnel to each.
 */
import tls, { type TLSSocket } from 'node:tls';
import http from 'node:http';
import { hostname } from 'node:os';
import { readFile } from 'node:fs/promises';
import { TshError } from '../../shared/errors.js';
import { generateKeyPair } from '../../shared/pki/generateKeyPair.js';
import { formatHostPort, parseHostPort } from '../../shared/net/hostPort.js';
import type { AuthService } from '../auth/authService.js';
import type { TeleportConfig } from '../config/teleportConfig.js';
import { createWebApi } from './webApi.js';
import { malformedRequestHandler } from '../../shared/http/malformedRequest.js';
import { writeWireError } from '../../shared/http/json.js';
import { TunnelRegistry } from './tunnelRegistry.js';
import { AppRelay } from './appRelay.js';
import { listen } from '../listen.js';
import { ALPN } from '../../shared/api/protocol.js';
import type { Logger } from '../logger.js';
import { VERSION } from '../../shared/version.js';
import type { ProxyListing } from '../../shared/api/types.js';
import { heartbeatProxy, PROXY_HEARTBEAT_MS, removeProxy } from '../auth/proxies.js';

/** A running proxy (see the module comment); it needs an auth service in the same process and is made with ProxyService.start. */
export class ProxyService {
  private constructor(
    readonly server: tls.Server,
    readonly address: { host: string; port: number },
    readonly publicAddr: string,
    readonly tunnels: TunnelRegistry,
    private readonly relay: AppRelay,
    /** Every accepted connection, so that closing does not wait for idle keep-alive clients. */
    private readonly open: Set<TLSSocket>,
    private readonly auth: AuthService,
    /** What this proxy heartbeats. */
    readonly listing: ProxyListing,
    private readonly log: Logger,
  ) {}

  private heartbeat?: NodeJS.Timeout;

  /** Heartbeats now and every PROXY_HEARTBEAT_MS, renewing the records of the tunnels it holds. */
  private async beat(): Promise<void> {
    await heartbeatProxy(this.auth.ctx, this.listing, this.tunnels.agents());
  }

  /** Starts listening on `proxy_service.web_listen_addr`. */
  static async start(
    config: TeleportConfig,
    auth: AuthService,
    log: Logger,
    publicAddrRef: { value: string },
    opts: { hostId: string; readiness: () => Promise<string | undefined> },
  ): Promise<ProxyService> {
    const { hostId } = opts;
    const listenAt = parseHostPort(config.proxy.webListenAddr, 3080, 'proxy_service.web_listen_addr');
    const { key, cert, selfSigned } = await loadServerKeyPair(config, auth, listenAt.host);
    if (selfSigned) {
      log.warn('PROXY', 'no https_keypairs configured: serving a certificate signed by the cluster\'s host CA; clients need `tsh login --insecure` the first time (after that they trust the cluster CA)');
    }
    const cas = auth.caCerts();
    const tunnels = new TunnelRegistry(auth, log, hostId);
    const relay = new AppRelay(auth, tunnels, log);
    const web = http.createServer({ keepAliveTimeout: 30_000 }, createWebApi({ auth, publicAddr: () => publicAddrRef.value, tunnels, log, readiness: opts.readiness }));
    web.on('clientError', malformedRequestHandler(writeWireError));
    const server = tls.createServer({
      key,
      cert,
      ca: [cas.userCa, cas.hostCa],
      requestCert: true,
      rejectUnauthorized: false,
      ALPNProtocols: [ALPN.tunnel, ALPN.app, ALPN.http],
      noDelay: true,
      minVersion: 'TLSv1.2',
    });
    const open = new Set<TLSSocket>();
    server.on('secureConnection', (socket: TLSSocket) => {
      open.add(socket);
      socket.once('close', () => open.delete(socket));
      socket.setNoDelay(true);
      switch (socket.alpnProtocol) {
        case ALPN.tunnel:
          tunnels.accept(socket);
          break;
        case ALPN.app:
          relay.accept(socket);
          break;
        default:
          web.emit('connection', socket);
      }
    });
    server.on('tlsClientError', () => {
      /* failed handshakes (port scans, wrong CA) are the client's problem */
    });
    const bound = await listen(server, listenAt, 'proxy_service.web_listen_addr');
    publicAddrRef.value = config.proxy.publicAddrs[0] ?? formatHostPort({ host: isWildcard(listenAt.host) ? hostname() : listenAt.host, port: bound.port });
    const listing: ProxyListing = {
      id: hostId,
      hostname: config.nodeName,
      publicAddr: publicAddrRef.value,
      addr: formatHostPort({ host: isWildcard(bound.host) ? hostname() : bound.host, port: bound.port }),
      version: VERSION,
    };
    log.info('PROXY', `Web proxy service is listening on ${formatHostPort(bound)} (public address ${publicAddrRef.value}; proxy ${hostId})`);
    const proxy = new ProxyService(server, bound, publicAddrRef.value, tunnels, relay, open, auth, listing, log);
    try {
      await proxy.beat();
      await tunnels.loadProxies();
    } catch (err) {
      await proxy.close();
      throw err;
    }
    proxy.heartbeat = setInterval(() => void proxy.beat().catch((err) => log.warn('PROXY', `heartbeat failed: ${(err as Error).message}`)), PROXY_HEARTBEAT_MS);
    proxy.heartbeat.unref();
    return proxy;
  }

  /** Stops: tunnels first (agents it alone held leave the listing), then its heartbeat goes, so agents stop looking for it. */
  async close(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.relay.closeAll();
    const agents = this.tunnels.agents();
    await this.tunnels.closeAll();
    await removeProxy(this.auth.ctx, this.listing.id, agents).catch((err) => this.log.warn('PROXY', `could not remove this proxy's heartbeat: ${(err as Error).message}`));
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const s of this.open) s.destroy();
    await closed;
  }
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '';
}

/**
 * The web certificate: the first of `https_keypairs`, or one signed by the
 * host CA for every name the proxy answers to (public address, listen host,
 * this host's name, localhost).
 */
async function loadServerKeyPair(config: TeleportConfig, auth: AuthService, listenHost: string): Promise<{ key: string; cert: string; selfSigned: boolean }> {
  const pair = config.proxy.httpsKeyPairs[0];
  if (pair) {
    try {
      return { key: await readFile(pair.keyFile, 'utf8'), cert: await readFile(pair.certFile, 'utf8'), selfSigned: false };
    } catch (cause) {
      throw new TshError('CONFIG', `cannot read https_keypairs files ${pair.keyFile} / ${pair.certFile}: ${(cause as NodeJS.ErrnoException).code ?? cause}`, { hint: 'check the paths and that teleport can read them' });
    }
  }
  const names = new Set<string>(['localhost', hostname()]);
  const ips = new Set<string>(['127.0.0.1', '::1']);
  for (const a of [...config.proxy.publicAddrs, listenHost]) {
    const h = parseHostPort(a, 3080).host;
    if (isWildcard(h)) continue;
    if (/^[\d.]+$/.test(h) || h.includes(':')) ips.add(h);
    else {
      names.add(h);
      names.add(`*.${h}`);
    }
  }
  const keys = await generateKeyPair();
  const cert = auth.issueHostCert({ hostId: `proxy.${auth.ctx.clusterName}`, hostRole: 'proxy', publicKey: keys.publicKey, dnsNames: [...names], ipAddresses: [...ips] });
  return { key: keys.privateKey, cert: cert + auth.caCerts().hostCa, selfSigned: true };
}
