/**
 * Properties of the local proxy's CONNECT and request-line handling, over
 * bytes fast-check makes up, sent to a real listener (the proxy in this
 * process, against the fake cluster proxy): whatever arrives, the proxy
 * answers with a well-formed HTTP response or closes the connection; it
 * never crashes (an exception would fail this process) or hangs; and it
 * never forwards a request whose target is not origin-form, nor one that
 * was not signed with this run's keys.
 *
 *   property 1: bytes -> forward proxy (as the first thing on a connection)
 *   property 2: CONNECT dynamodb...:443, TLS, then bytes (or a request signed
 *               with the fake keys over a made-up target) -> inner server
 */
import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import tls from 'node:tls';
import { readFile } from 'node:fs/promises';
import * as fc from 'fast-check';
import { startFakeAppCluster, makeTestHome, type FakeAppCluster, type TestHome } from '../../helpers/fakeAppCluster.js';
import { startLocalAwsProxy, type LocalAwsProxy } from '../../../src/client/localproxy/localAwsProxy.js';
import { signRequest } from '../../../src/shared/sigv4/signRequest.js';
import { fuzzRuns } from '../../helpers/fuzz.js';

const DDB = 'dynamodb.us-east-1.amazonaws.com';
/** How long the proxy may take to answer or close once the client has sent everything and half-closed. */
const ANSWER_MS = 10_000;
let cluster: FakeAppCluster;
let th: TestHome;
let proxy: LocalAwsProxy;
let ca: string;
let closedPort: number;

before(async () => {
  cluster = await startFakeAppCluster();
  // Hosts that are not AWS are tunnelled through the user's HTTPS_PROXY: a port nothing listens on, so
  // no made-up CONNECT target is ever dialled for real (502 instead).
  closedPort = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
  th = await makeTestHome(cluster, { env: { HTTPS_PROXY: `http://127.0.0.1:${closedPort}` } });
  proxy = await startLocalAwsProxy(th.ce);
  ca = await readFile(proxy.caPath, 'utf8');
});

after(async () => {
  await proxy?.close();
  await cluster?.close();
  await th?.cleanup();
});

const method = fc.oneof(fc.constantFrom('CONNECT', 'GET', 'POST', 'PUT', 'OPTIONS', 'PRI', 'connect', ''), fc.stringMatching(/^[A-Z]{1,8}$/), fc.string({ maxLength: 8 }));
const target = fc.oneof(
  fc.constantFrom(`${DDB}:443`, `${DDB}`, `${DDB}:80`, 'sts.amazonaws.com:443', ':443', '[::1]:443', '[::1', `${DDB}:99999`, `user@${DDB}:443`, '*', '/', '//169.254.169.254/', '/#frag', '/?a=b#c', 'http://169.254.169.254/latest/meta-data/', `https://${DDB}/`, `${DDB}.evil.invalid:443`, ''),
  fc.string({ maxLength: 40 }),
  fc.webUrl(),
  fc.webPath(),
);
const version = fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/0.9', 'http/1.1', '', 'HTTP/1.1 extra');
const eol = fc.constantFrom('\r\n', '\r\n', '\r\n', '\n', '\r', '');
const headerName = fc.oneof(fc.constantFrom('Host', 'Content-Length', 'Transfer-Encoding', 'Connection', 'Expect', 'Upgrade', 'Proxy-Authorization', 'Authorization', 'X-Amz-Date', 'x-tsh-aws-assumed-role'), fc.stringMatching(/^[A-Za-z-]{1,12}$/), fc.string({ maxLength: 10 }));
const headerValue = fc.oneof(fc.constantFrom('0', '5', '-1', '18446744073709551616', 'chunked', 'chunked, identity', '100-continue', 'close', 'h2c', DDB, '169.254.169.254'), fc.string({ maxLength: 30 }), fc.nat(1 << 25).map(String));
const separator = fc.constantFrom(': ', ':', ' : ', ':\t');
const header = fc.tuple(headerName, separator, headerValue, eol).map(([n, s, v, e]) => `${n}${s}${v}${e}`);
/** A request head and body as bytes, well-formed or not. */
const message = fc.tuple(method, target, version, eol, fc.array(header, { maxLength: 8 }), eol, fc.string({ maxLength: 100 }), fc.boolean()).map(([m, t, v, e1, hs, e2, body, folded]) => `${m} ${t}${v ? ` ${v}` : ''}${e1}${hs.join(folded ? '\r\n ' : '')}${e2}${body}`);

/** Writes `bytes` on `socket`, half-closes, and collects what comes back until the proxy closes. */
function sendAll(socket: net.Socket | tls.TLSSocket, bytes: string | Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`neither an answer nor a close within ${ANSWER_MS} ms, after ${Buffer.concat(chunks).toString('latin1').slice(0, 200)}`));
    }, ANSWER_MS);
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
    socket.end(bytes);
  });
}

/** Everything the proxy wrote starts with whole, well-formed response heads (bytes after a 200 CONNECT belong to TLS). */
function wellFormed(answer: Buffer): void {
  if (answer.length === 0) return; // closed without an answer
  const text = answer.toString('latin1');
  const head = /^HTTP\/1\.1 (\d{3}) [^\r\n]*\r\n(?:[!#$%&'*+.^_`|~0-9A-Za-z-]+: [^\r\n]*\r\n)*\r\n/.exec(text);
  assert.ok(head, `not an HTTP response: ${JSON.stringify(text.slice(0, 300))}`);
}

const dial = () =>
  new Promise<net.Socket>((resolve, reject) => {
    const s = net.connect(proxy.port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });

test('forward proxy: any bytes get a well-formed HTTP response or a close, never a crash or a hang', async (t) => {
  await fc.assert(
    fc.asyncProperty(message, async (bytes) => {
      wellFormed(await sendAll(await dial(), bytes));
      checkForwarded();
    }),
    fuzzRuns(t),
  );
});

/** A request signed with this run's fake keys over exactly the target and headers sent, whatever they are. */
async function signedOver(m: string, tgt: string, extra: Array<[string, string]>, body: string): Promise<string | undefined> {
  const headers: Record<string, string> = { host: DDB, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.ListTables' };
  for (const [k, v] of extra) if (/^[a-z0-9-]+$/.test(k.toLowerCase()) && !/[\r\n\0]/.test(v) && !(k.toLowerCase() in headers)) headers[k.toLowerCase()] = v;
  const q = tgt.indexOf('?');
  try {
    Object.assign(headers, await signRequest({ method: m, path: q < 0 ? tgt : tgt.slice(0, q), query: q < 0 ? '' : tgt.slice(q + 1), headers, body: Buffer.from(body) }, proxy.fake, { region: 'us-east-1', service: 'dynamodb', signedHeaders: [...Object.keys(headers), 'x-amz-date'] }));
  } catch {
    return undefined; // the signer itself refuses this shape
  }
  headers['content-length'] = String(Buffer.byteLength(body));
  return `${m} ${tgt} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n${body}`;
}

const signedRequest = fc.tuple(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'CONNECT'), target, fc.array(fc.tuple(fc.oneof(fc.constantFrom('transfer-encoding', 'x-tsh-aws-assumed-role', 'expect', 'x-forwarded-host', 'host'), fc.stringMatching(/^[a-z-]{1,10}$/)), fc.string({ maxLength: 20 })), { maxLength: 3 }), fc.string({ maxLength: 40 }));

test('inside an intercepted tunnel: any request gets a well-formed answer or a close, and only signed origin-form requests are forwarded', async (t) => {
  await fc.assert(
    fc.asyncProperty(fc.oneof(message.map((raw) => ({ raw })), signedRequest.map(([m, tgt, extra, body]) => ({ m, tgt, extra, body }))), async (input) => {
      const bytes = 'raw' in input ? input.raw : await signedOver(input.m, input.tgt, input.extra, input.body);
      if (bytes === undefined) return;
      const raw = await dial();
      raw.write(`CONNECT ${DDB}:443 HTTP/1.1\r\nHost: ${DDB}:443\r\n\r\n`);
      await new Promise<void>((resolve) => raw.once('data', () => resolve()));
      const socket = await new Promise<tls.TLSSocket>((resolve, reject) => {
        const s = tls.connect({ socket: raw, servername: DDB, ca: [ca] }, () => resolve(s));
        s.once('error', reject);
      });
      wellFormed(await sendAll(socket, bytes));
      checkForwarded();
    }),
    fuzzRuns(t),
  );
  // A request may still be on its way to the cluster when its client's connection closed: look once more.
  await new Promise((r) => setTimeout(r, 500));
  checkForwarded();
  t.diagnostic(`${cluster.requests.length} signed requests were forwarded, every one origin-form`);
});

let checked = 0;
/** Everything the fake cluster received so far (in whichever run it arrived) was signed with the fake keys over an origin-form target. */
function checkForwarded(): void {
  for (const r of cluster.requests.slice(checked)) {
    assert.match(r.url, /^\/[^#]*$/, `forwarded a target that is not origin-form: ${r.url}`);
    assert.match(String(r.headers.authorization), new RegExp(`Credential=${proxy.fake.accessKeyId}/`), `forwarded a request not signed with the fake keys: ${r.method} ${r.url}`);
  }
  checked = cluster.requests.length;
}
