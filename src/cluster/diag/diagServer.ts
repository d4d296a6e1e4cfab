/**
 * The diagnostics listener (`teleport start --diag-addr 127.0.0.1:3000`, or
 * `teleport.diag_addr`), with Teleport's endpoints:
 *
 *   GET /healthz  200 {"status":"ok"} while the process runs
 *   GET /readyz   200 {"status":"ok"} when every service can serve; 503 {"status":"<why not>"} otherwise
 *                 (starting, the backend unreachable, the CAs not loaded, the app service's tunnel down)
 *   GET /metrics  Prometheus text format (see metrics.ts)
 *
 * Plain HTTP: it carries no secrets, and it is meant for a local agent or a
 * scraper the operator points at it (bind it to 127.0.0.1 unless one scrapes
 * from elsewhere).
 */
import http from 'node:http';
import { parseHostPort, formatHostPort } from '../../shared/net/hostPort.js';
import { listen } from '../listen.js';
import type { Logger } from '../logger.js';
import { enableMetrics } from './metrics.js';

/** A running diagnostics listener. */
export interface DiagServer {
  /** host:port it is bound to. */
  addr: string;
  close(): Promise<void>;
}

/** How long /readyz waits for a check before calling it failed (a stuck backend must not hang the probe). */
export const READY_TIMEOUT_MS = 2_000;

/** Starts the listener. `readiness` resolves with why the process cannot serve, or undefined when it can. */
export async function startDiagServer(addr: string, opts: { readiness: () => Promise<string | undefined>; log: Logger }): Promise<DiagServer> {
  const registry = await enableMetrics();
  const status = (res: http.ServerResponse, code: number, text: string) => {
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: text }) + '\n');
  };
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://diag').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') return status(res, 405, 'method not allowed');
    switch (path) {
      case '/healthz':
        return status(res, 200, 'ok');
      case '/readyz':
        return void withTimeout(opts.readiness(), READY_TIMEOUT_MS).then(
          (why) => (why ? status(res, 503, why) : status(res, 200, 'ok')),
          (err: Error) => status(res, 503, err.message),
        );
      case '/metrics':
        return void registry.text().then(
          (text) => {
            res.writeHead(200, { 'content-type': registry.contentType });
            res.end(text);
          },
          (err: Error) => status(res, 500, `metrics: ${err.message}`),
        );
      default:
        return status(res, 404, `no such endpoint: ${path} (try /healthz, /readyz or /metrics)`);
    }
  });
  const bound = await listen(server, parseHostPort(addr, 3000, 'diag_addr'), '--diag-addr (teleport.diag_addr)');
  const at = formatHostPort(bound);
  opts.log.info('DIAG', `Diagnostics endpoint is listening on http://${at} (/healthz, /readyz, /metrics)`);
  return {
    addr: at,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** p, or a rejection saying it did not answer within ms. */
export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the readiness check did not answer within ${ms} ms`)), ms);
    p.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}
