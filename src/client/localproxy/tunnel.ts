/**
 * Plain tunnels for hosts the local proxy does not intercept.
 *
 *   client --CONNECT example.com:443--> forward proxy
 *        |-- user's HTTPS_PROXY applies --> CONNECT again through it   (502 when that fails)
 *        `-- otherwise -------------------> TCP connection to the host  (503 when the dial fails)
 *
 * Bytes are copied untouched both ways: TLS runs end to end between the
 * client and the real host, and its certificate is the one the client sees.
 */
import net, { type Socket } from 'node:net';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';
import { formatHostPort } from '../../shared/net/hostPort.js';
import { systemProxyFor } from './systemProxy.js';

/** Longest response head accepted from the user's proxy. */
const MAX_PROXY_HEAD = 16 * 1024;
/** Give up dialling after this long. */
const DIAL_TIMEOUT_MS = 30_000;

/**
 * Connects a CONNECT client to host:port, through the user's own proxy when
 * their environment names one for this host; answers the client's CONNECT
 * (200, 502 or 503) and then relays bytes until either side closes.
 */
export function tunnel(client: Socket, head: Buffer, target: { host: string; port: number }, opts: { env: NodeJS.ProcessEnv; insecure: boolean }): void {
  const proxy = systemProxyFor(target.host, target.port, opts.env);
  if (proxy) viaProxy(client, head, target, proxy, opts.insecure);
  else direct(client, head, target);
}

function direct(client: Socket, head: Buffer, target: { host: string; port: number }): void {
  const upstream = net.connect({ host: target.host.replace(/^\[|\]$/g, ''), port: target.port, noDelay: true });
  const onError = (err: NodeJS.ErrnoException) => answer(client, 503, 'Service Unavailable', `cannot connect to ${formatHostPort(target)}: ${err.code ?? err.message}`);
  upstream.setTimeout(DIAL_TIMEOUT_MS, () => upstream.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
  upstream.once('error', onError);
  upstream.once('connect', () => {
    upstream.setTimeout(0);
    upstream.off('error', onError);
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    splice(client, upstream, head, Buffer.alloc(0));
  });
  client.once('close', () => upstream.destroy());
}

function viaProxy(client: Socket, head: Buffer, target: { host: string; port: number }, proxy: URL, insecure: boolean): void {
  const port = Number(proxy.port || (proxy.protocol === 'https:' ? 443 : 80));
  const host = proxy.hostname.replace(/^\[|\]$/g, '');
  const upstream: Socket =
    proxy.protocol === 'https:'
      ? tls.connect({ host, port, servername: net.isIP(host) ? undefined : host, rejectUnauthorized: !insecure, ALPNProtocols: ['http/1.1'] })
      : net.connect({ host, port, noDelay: true });
  const where = proxy.host;
  let settled = false;
  const fail = (why: string) => {
    if (settled) return;
    settled = true;
    upstream.destroy();
    answer(client, 502, 'Bad Gateway', `the HTTPS proxy ${where} (from HTTPS_PROXY) failed: ${why}`);
  };
  upstream.setTimeout(DIAL_TIMEOUT_MS, () => fail('timed out'));
  upstream.once('error', (err: NodeJS.ErrnoException) => fail(err.code ?? err.message));
  upstream.once(proxy.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
    const authority = formatHostPort(target);
    const lines = [`CONNECT ${authority} HTTP/1.1`, `Host: ${authority}`];
    if (proxy.username) {
      const user = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
      lines.push(`Proxy-Authorization: Basic ${Buffer.from(user).toString('base64')}`);
    }
    upstream.setNoDelay(true);
    upstream.write(lines.join('\r\n') + '\r\n\r\n');
  });
  let buffered = Buffer.alloc(0);
  const onData = (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    const end = buffered.indexOf('\r\n\r\n');
    if (end < 0) {
      if (buffered.length > MAX_PROXY_HEAD) fail('its answer to CONNECT is too long');
      return;
    }
    upstream.off('data', onData);
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(buffered.subarray(0, end).toString('latin1'));
    if (!status || !status[1].startsWith('2')) {
      fail(status ? `it answered ${status[1]} to CONNECT ${formatHostPort(target)}` : 'its answer to CONNECT is not HTTP');
      return;
    }
    settled = true;
    upstream.setTimeout(0);
    upstream.removeAllListeners('error');
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    splice(client, upstream, head, buffered.subarray(end + 4));
  };
  upstream.on('data', onData);
  client.once('close', () => upstream.destroy());
}

/** Relays bytes both ways; either side ending or failing ends the other. */
function splice(client: Socket, upstream: Duplex, head: Buffer, early: Buffer): void {
  client.setNoDelay(true);
  if (head.length) upstream.write(head);
  if (early.length) client.write(early);
  const close = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on('error', close);
  upstream.on('error', close);
  client.pipe(upstream);
  upstream.pipe(client);
}

/** Answers a CONNECT with an error status and a one-line reason, then closes. */
function answer(client: Socket, status: number, text: string, reason: string): void {
  if (client.destroyed) return;
  const body = `${reason}\n`;
  client.end(`HTTP/1.1 ${status} ${text}\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}
