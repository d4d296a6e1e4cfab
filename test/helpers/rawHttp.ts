/**
 * HTTP/1.1 by hand over a TLS socket, for requests no well-behaved client
 * sends: absolute-form, asterisk-form and CONNECT request lines inside a
 * session that already ends at our proxy, headers a client should not set.
 */
import net from 'node:net';
import tls from 'node:tls';

/** One response as read off the socket. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Writes `request` (a whole HTTP/1.1 message) and reads one response (Content-Length framed, or until the server closes). */
export function rawExchange(socket: tls.TLSSocket, request: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let data = Buffer.alloc(0);
    const timer = setTimeout(() => fail(new Error(`no complete answer within 20 s; got: ${data.toString('latin1').slice(0, 500)}`)), 20_000);
    const fail = (err: Error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(err);
    };
    const parse = (final: boolean) => {
      const end = data.indexOf('\r\n\r\n');
      if (end < 0) return final ? fail(new Error(`the connection closed before a response: ${data.toString('latin1').slice(0, 500)}`)) : undefined;
      const [statusLine, ...lines] = data.subarray(0, end).toString('latin1').split('\r\n');
      const headers: Record<string, string> = {};
      for (const l of lines) headers[l.slice(0, l.indexOf(':')).toLowerCase()] = l.slice(l.indexOf(':') + 1).trim();
      const length = headers['content-length'] === undefined ? undefined : Number(headers['content-length']);
      const body = data.subarray(end + 4);
      if (length === undefined ? !final : body.length < length) return;
      clearTimeout(timer);
      socket.destroy();
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: body.subarray(0, length).toString('utf8') });
    };
    socket.on('data', (d: Buffer) => {
      data = Buffer.concat([data, d]);
      parse(false);
    });
    socket.on('end', () => parse(true));
    socket.on('close', () => parse(true));
    socket.on('error', fail);
    socket.write(request);
  });
}

/** A request message: request line, headers (Content-Length added for the body) and body. */
export function rawRequest(requestLine: string, headers: Record<string, string>, body = ''): string {
  const all = { ...headers, 'content-length': String(Buffer.byteLength(body)) };
  return `${requestLine}\r\n${Object.entries(all).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n${body}`;
}

/** A TLS session to `host` through an HTTPS_PROXY (`http://127.0.0.1:PORT`), trusting `ca`, as an AWS SDK opens one. */
export function tlsThroughProxy(proxyUrl: string, host: string, ca: string): Promise<tls.TLSSocket> {
  const u = new URL(proxyUrl);
  return new Promise((resolve, reject) => {
    const raw = net.connect(Number(u.port), u.hostname, () => raw.write(`CONNECT ${host}:443 HTTP/1.1\r\nHost: ${host}:443\r\n\r\n`));
    raw.once('error', reject);
    raw.once('data', (d: Buffer) => {
      if (!/^HTTP\/1\.1 200/.test(d.toString('latin1'))) return reject(new Error(`CONNECT refused: ${d}`));
      const s = tls.connect({ socket: raw, servername: host, ca: [ca] }, () => resolve(s));
      s.once('error', reject);
    });
  });
}
