/**
 * Hostile input at the first hop: `tsh proxy aws` as a real process, with
 * the real cluster, app service and sandbox behind it. Bytes are written by
 * hand, as no well-behaved client writes them: malformed and oversized
 * CONNECTs, slow clients, request-smuggling shapes inside the tunnel, every
 * SigV4 field wrong in turn, presigned URLs, absolute-form targets, and
 * Host/SNI/CONNECT disagreements. Each case gets its own clear error, nothing
 * it should not reaches AWS, and the proxy serves a good request afterwards.
 */
import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import tls from 'node:tls';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { SignatureV4 } from '@smithy/signature-v4';
import { Hash } from '@smithy/hash-node';
import { signRequest } from '../../../src/shared/sigv4/signRequest.js';
import type { AwsCredentials } from '../../../src/shared/sigv4/types.js';
import { startTshProxy, dynamoDbThrough, type TshProxy } from '../../helpers/tshProxy.js';
import { startChain, dial, exchange, closedWithout, runHostileCases, type Chain, type HostileCase, type Part, type Seen } from '../../helpers/hostile.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const DDB = 'dynamodb.us-east-1.amazonaws.com';
const LIST_TABLES = 'DynamoDB_20120810.ListTables';
let chain: Chain;
let proxy: TshProxy;
let port: number;
let ca: string;
let fake: AwsCredentials;
let good: Awaited<ReturnType<typeof dynamoDbThrough>>;

before(async () => {
  chain = await startChain();
  const alice = await chain.user('alice');
  proxy = await startTshProxy(alice.env);
  port = Number(new URL(proxy.vars.HTTPS_PROXY).port);
  ca = await readFile(proxy.vars.AWS_CA_BUNDLE, 'utf8');
  fake = { accessKeyId: proxy.vars.AWS_ACCESS_KEY_ID, secretAccessKey: proxy.vars.AWS_SECRET_ACCESS_KEY };
  good = await dynamoDbThrough(proxy);
});

after(async () => {
  good?.destroy();
  await proxy?.stop();
  await chain?.close();
});

/** A good request through the proxy, as the JS SDK sends it; the proxy process must still be running. */
async function healthy(): Promise<void> {
  assert.equal(proxy.child.exitCode, null, `tsh proxy aws exited: ${proxy.stderr()}`);
  assert.ok(Array.isArray((await good.send(new ListTablesCommand({}))).TableNames));
}

/** Bytes straight to the forward proxy's port (before any CONNECT). */
async function toProxy(parts: Part | Part[]): Promise<Seen> {
  return exchange(await dial(port), parts);
}

/** A CONNECT to `host` answered 200: the raw socket, ready for TLS. */
async function connectTo(host: string): Promise<net.Socket> {
  const raw = await dial(port);
  raw.write(`CONNECT ${host}:443 HTTP/1.1\r\nHost: ${host}:443\r\n\r\n`);
  const head = await new Promise<string>((resolve, reject) => {
    let got = '';
    const onData = (d: Buffer) => {
      got += d.toString('latin1');
      if (got.includes('\r\n\r\n')) {
        raw.off('data', onData);
        resolve(got);
      }
    };
    raw.on('data', onData);
    raw.once('error', reject);
  });
  assert.match(head, /^HTTP\/1\.1 200 /, `CONNECT ${host}: ${head}`);
  return raw;
}

/** TLS inside a CONNECT tunnel to `host` (trusting the local CA, SNI `servername`), then `parts` in it. */
async function inTunnel(parts: Part | Part[], opts: { host?: string; servername?: string; verify?: boolean; responses?: number } = {}): Promise<Seen> {
  const host = opts.host ?? DDB;
  const raw = await connectTo(host);
  const socket = await new Promise<tls.TLSSocket | Seen>((resolve) => {
    const s = tls.connect({ socket: raw, servername: opts.servername ?? host, ca: [ca], rejectUnauthorized: opts.verify ?? true }, () => resolve(s));
    s.once('error', (err: NodeJS.ErrnoException) => resolve(closedWithout(`TLS: ${err.code}: ${err.message}`)));
  });
  if (!(socket instanceof tls.TLSSocket)) return socket;
  return exchange(socket, parts, { responses: opts.responses });
}

/** What a request is built from; every field may be set wrong on purpose. */
interface MessageSpec {
  method?: string;
  /** The request target as written on the request line (default `/`). */
  target?: string;
  host?: string;
  headers?: Record<string, string>;
  body?: string;
  creds?: AwsCredentials;
  now?: Date;
  region?: string;
  service?: string;
  /** Changes the signed headers (Authorization included) after signing. */
  edit?(headers: Record<string, string>): void;
  /** Send this body instead of the signed one. */
  sendBody?: string;
  /** Leave Content-Length out (the caller frames the body itself). */
  noLength?: boolean;
}

/** A whole request message, signed with this run's fake keys (unless told otherwise) over exactly what is sent. */
async function signedMessage(o: MessageSpec = {}): Promise<string> {
  const method = o.method ?? 'POST';
  const target = o.target ?? '/';
  const body = o.body ?? '{}';
  const headers: Record<string, string> = { host: o.host ?? DDB, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': LIST_TABLES, ...o.headers };
  const names = Object.keys(headers);
  const q = target.startsWith('/') ? target.indexOf('?') : -1;
  Object.assign(
    headers,
    await signRequest(
      { method, path: q < 0 ? target : target.slice(0, q), query: q < 0 ? '' : target.slice(q + 1), headers, body: Buffer.from(body) },
      o.creds ?? fake,
      { region: o.region ?? 'us-east-1', service: o.service ?? 'dynamodb', signedHeaders: [...names, 'x-amz-date'], now: o.now },
    ),
  );
  o.edit?.(headers);
  const sent = o.sendBody ?? body;
  if (!o.noLength) headers['content-length'] = String(Buffer.byteLength(sent));
  return `${method} ${target} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n${sent}`;
}

/** Replaces what `pattern` matches in the Authorization header. */
const inAuthorization = (pattern: RegExp, replacement: string) => (h: Record<string, string>) => {
  assert.match(h.authorization, pattern);
  h.authorization = h.authorization.replace(pattern, replacement);
};

/** SHA-256 as the signer takes it. */
class Sha256 extends Hash {
  constructor(secret?: ConstructorParameters<typeof Hash>[1]) {
    super('sha256', secret);
  }
}

/** A URL presigned with `creds` for GetItem-by-query, as SDKs presign (X-Amz-* in the query, no Authorization). */
async function presigned(creds: AwsCredentials, opts: { signedAt?: Date; expiresIn?: number } = {}): Promise<string> {
  const signer = new SignatureV4({ credentials: creds, region: 'us-east-1', service: 'dynamodb', sha256: Sha256 });
  const req = await signer.presign(
    { method: 'GET', protocol: 'https:', hostname: DDB, path: '/', query: { Action: 'ListTables' }, headers: { host: DDB } },
    { signingDate: opts.signedAt, expiresIn: opts.expiresIn ?? 300 },
  );
  const query = Object.entries(req.query ?? {}).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&');
  return `/?${query}`;
}

/** A good request through a tunnel of its own while 64 other connections, each opened by `open`, hang half-way. */
async function whileStalled(open: () => Promise<net.Socket>): Promise<Seen> {
  const stalled = await Promise.all(Array.from({ length: 64 }, open));
  try {
    return await inTunnel(await signedMessage());
  } finally {
    for (const s of stalled) s.destroy();
  }
}

const get = (target: string) => `GET ${target} HTTP/1.1\r\nhost: ${DDB}\r\n\r\n`;
const minutes = (n: number) => new Date(Date.now() + n * 60_000);
const notSigned = /request refused by the tsh local proxy: the signature does not match: wrong secret key, or the request changed after it was signed/;
const notAPath = /is not a path: AWS API requests name only a path and query/;
const malformed = /the request is not valid HTTP\/1\.1 \(/;

const malformedConnect: HostileCase[] = [
  { name: 'CONNECT with no host', send: () => toProxy('CONNECT :443 HTTP/1.1\r\nHost: :443\r\n\r\n'), status: 400, message: /invalid CONNECT target ":443"/ },
  { name: 'CONNECT to port 99999', send: () => toProxy(`CONNECT ${DDB}:99999 HTTP/1.1\r\n\r\n`), status: 400, message: /invalid CONNECT target "dynamodb\.us-east-1\.amazonaws\.com:99999"/ },
  { name: 'CONNECT to a port that is not a number', send: () => toProxy(`CONNECT ${DDB}:https HTTP/1.1\r\n\r\n`), status: 400, message: /invalid CONNECT target/ },
  { name: 'CONNECT without a target', send: () => toProxy('CONNECT  HTTP/1.1\r\n\r\n'), status: 400, message: /invalid CONNECT target "HTTP\/1\.1"/ },
  { name: 'CONNECT in lower case', send: () => toProxy(`connect ${DDB}:443 HTTP/1.1\r\n\r\n`), status: 400, message: malformed },
  { name: 'CONNECT with a NUL in the target', send: () => toProxy(`CONNECT ${DDB}\0.evil:443 HTTP/1.1\r\n\r\n`), status: 400, message: malformed },
  { name: 'CONNECT with a 20 KB target', send: () => toProxy(`CONNECT ${'a'.repeat(20_000)}.amazonaws.com:443 HTTP/1.1\r\n\r\n`), status: 431, message: /request headers are larger than/ },
  { name: 'CONNECT with 20 KB of headers', send: () => toProxy(`CONNECT ${DDB}:443 HTTP/1.1\r\nX-Pad: ${'a'.repeat(20_000)}\r\n\r\n`), status: 431, message: /request headers are larger than/ },
  { name: 'a plain request (absolute form) instead of CONNECT', send: () => toProxy(`GET http://${DDB}/ HTTP/1.1\r\nHost: ${DDB}\r\n\r\n`), status: 400, message: /only CONNECT is supported/ },
  {
    name: 'bytes that are not TLS after an intercepted CONNECT are dropped with the connection',
    send: async () => exchange(await connectTo(DDB), `${await signedMessage()}`),
    status: 0,
    message: /closed/,
  },
];

const slowClients: HostileCase[] = [
  {
    name: 'slowloris: headers trickled over 3 s are served, and other clients are served meanwhile',
    async send() {
      const message = await signedMessage();
      const parts: Part[] = [];
      for (let i = 0; i < message.length; i += Math.ceil(message.length / 30)) parts.push(message.slice(i, i + Math.ceil(message.length / 30)), { pauseMs: 100 });
      const slow = inTunnel(parts);
      await healthy(); // while the slow client is half-way through its headers
      return slow;
    },
    status: 200,
    message: /TableNames/,
    reaches: 2,
  },
  {
    name: 'slowloris: a body trickled over 2 s is checked whole and forwarded',
    async send() {
      const body = JSON.stringify({ Limit: 10, ExclusiveStartTableName: 'a'.repeat(200) });
      const message = await signedMessage({ body });
      const head = message.slice(0, message.length - body.length);
      const parts: Part[] = [head];
      for (let i = 0; i < body.length; i += 10) parts.push({ pauseMs: 100 }, body.slice(i, i + 10));
      return inTunnel(parts);
    },
    status: 200,
    message: /TableNames/,
    reaches: 1,
  },
  {
    name: '64 clients stalled half-way through a CONNECT do not keep a good client out',
    send: () =>
      whileStalled(async () => {
        const s = await dial(port);
        s.write(`CONNECT ${DDB}:443 HTTP/1.1\r\nHost: `);
        return s;
      }),
    status: 200,
    message: /TableNames/,
    reaches: 1,
  },
  {
    name: '64 tunnels stalled half-way through a request do not keep a good client out',
    send: async () => {
      const half = (await signedMessage()).slice(0, 80);
      return whileStalled(async () => {
        const s = tls.connect({ socket: await connectTo(DDB), servername: DDB, ca: [ca] });
        await new Promise((r) => s.once('secureConnect', r));
        s.write(half);
        return s;
      });
    },
    status: 200,
    message: /TableNames/,
    reaches: 1,
  },
  {
    name: 'a client that hangs up half-way through its body: nothing is forwarded',
    async send() {
      const message = await signedMessage({ body: JSON.stringify({ Limit: 5 }) });
      const seen = await inTunnel([message.slice(0, message.length - 5), { pauseMs: 200 }], {});
      // Give a proxy that would forward the half a moment to do so, so the count below would see it.
      await new Promise((r) => setTimeout(r, 300));
      return seen;
    },
    status: 0,
    message: /no answer within|closed/,
  },
];

const smuggling: HostileCase[] = [
  {
    name: 'Content-Length and Transfer-Encoding together',
    send: async () => inTunnel(`POST / HTTP/1.1\r\nHost: ${DDB}\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`),
    status: 400,
    message: /Transfer-Encoding can't be present with Content-Length/,
  },
  { name: 'two Content-Length headers', send: () => inTunnel(`POST / HTTP/1.1\r\nHost: ${DDB}\r\nContent-Length: 2\r\nContent-Length: 40\r\n\r\n{}`), status: 400, message: /Duplicate Content-Length/ },
  { name: 'a Content-Length list', send: () => inTunnel(`POST / HTTP/1.1\r\nHost: ${DDB}\r\nContent-Length: 2, 2\r\n\r\n{}`), status: 400, message: /Invalid character in Content-Length/ },
  { name: 'an obs-fold header continuation', send: () => inTunnel(`POST / HTTP/1.1\r\nHost: ${DDB}\r\nX-Amz-Target: ${LIST_TABLES}\r\n x\r\nContent-Length: 0\r\n\r\n`), status: 400, message: malformed },
  { name: 'bare LF line endings', send: () => inTunnel(`POST / HTTP/1.1\nHost: ${DDB}\nContent-Length: 0\n\n`), status: 400, message: malformed },
  { name: 'Transfer-Encoding: chunked, identity', send: () => inTunnel(`POST / HTTP/1.1\r\nHost: ${DDB}\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n`), status: 400, message: /Transfer-Encoding/ },
  { name: 'a space before the colon of Transfer-Encoding', send: () => inTunnel(`POST / HTTP/1.1\r\nHost: ${DDB}\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n`), status: 400, message: malformed },
  {
    name: 'an unsigned request pipelined behind a signed one is checked on its own',
    send: async () => inTunnel((await signedMessage()) + `POST / HTTP/1.1\r\nHost: ${DDB}\r\nX-Amz-Target: ${LIST_TABLES}\r\nContent-Length: 2\r\n\r\n{}`, { responses: 2 }),
    status: 403,
    message: /no Authorization header/,
    reaches: 1,
  },
  {
    name: 'a chunked body the signature does not cover',
    async send() {
      const message = await signedMessage({ body: '{}', noLength: true, edit: (h) => (h['transfer-encoding'] = 'chunked') });
      return inTunnel(message.slice(0, message.length - 2) + '4\r\n{"a"\r\n0\r\n\r\n');
    },
    status: 403,
    message: notSigned,
  },
  { name: 'request headers of 20 KB', send: () => inTunnel(`POST / HTTP/1.1\r\nHost: ${DDB}\r\nX-Pad: ${'a'.repeat(20_000)}\r\nContent-Length: 0\r\n\r\n`), status: 431, message: /request headers are larger than/ },
  {
    name: 'a declared body over 16 MiB is refused before it is sent',
    send: async () => inTunnel((await signedMessage({ sendBody: '', noLength: true })).replace('\r\n\r\n', `\r\ncontent-length: ${17 << 20}\r\n\r\n`)),
    status: 413,
    message: /request body of 17825792 bytes is larger than the 16 MiB limit/,
  },
  {
    // Clients write the body while the 413 is on its way: closed under them, they see a reset, not the refusal.
    name: 'a body over 16 MiB still being sent after its 413: read to its end, and the connection then serves the next request',
    async send() {
      const head = (await signedMessage({ sendBody: '', noLength: true })).replace('\r\n\r\n', `\r\ncontent-length: ${17 << 20}\r\n\r\n`);
      const mib = Buffer.alloc(1 << 20, 0x61);
      return inTunnel([head, mib, { pauseMs: 300 }, ...Array.from({ length: 16 }, () => mib), await signedMessage()], { responses: 2 });
    },
    status: 200,
    message: /TableNames/,
    reaches: 1,
  },
];

const sigv4: HostileCase[] = [
  { name: 'SigV4: no Authorization header', send: async () => inTunnel(await signedMessage({ edit: (h) => delete (h as Record<string, string | undefined>).authorization })), status: 403, message: /request refused by the tsh local proxy: the request has no Authorization header/ },
  { name: 'SigV4: another access key', send: async () => inTunnel(await signedMessage({ edit: inAuthorization(/Credential=\w+\//, 'Credential=TSHSOMEONEELSE0000000/') })), status: 403, message: /the access key id TSHSOMEONEELSE0000000 is not the expected one/ },
  { name: 'SigV4: the right key with the wrong secret', send: async () => inTunnel(await signedMessage({ creds: { ...fake, secretAccessKey: 'not-the-secret' } })), status: 403, message: notSigned },
  { name: 'SigV4: a scope date that is not the signing date', send: async () => inTunnel(await signedMessage({ edit: inAuthorization(/\/(\d{8})\//, '/20200101/') })), status: 403, message: /the Credential date does not match X-Amz-Date/ },
  {
    name: 'SigV4: X-Amz-Date changed after signing',
    send: async () => inTunnel(await signedMessage({ edit: (h) => (h['x-amz-date'] = h['x-amz-date'].replace(/\d{2}Z$/, (s) => `${String((Number(s.slice(0, 2)) + 1) % 60).padStart(2, '0')}Z`)) })),
    status: 403,
    message: notSigned,
  },
  { name: 'SigV4: a scope region other than the signed one', send: async () => inTunnel(await signedMessage({ edit: inAuthorization(/\/us-east-1\//, '/us-west-2/') })), status: 403, message: notSigned },
  { name: 'SigV4: a scope service other than the signed one', send: async () => inTunnel(await signedMessage({ edit: inAuthorization(/\/dynamodb\//, '/sts/') })), status: 403, message: notSigned },
  { name: 'SigV4: a scope that does not end in aws4_request', send: async () => inTunnel(await signedMessage({ edit: inAuthorization(/aws4_request/, 'aws4_reques') })), status: 403, message: /the Authorization Credential must end with aws4_request/ },
  { name: 'SigV4: a scope of six parts', send: async () => inTunnel(await signedMessage({ edit: inAuthorization(/aws4_request/, 'aws4_request/extra') })), status: 403, message: /the Authorization Credential must have 5 parts/ },
  { name: 'SigV4: a signed header the request does not carry', send: async () => inTunnel(await signedMessage({ edit: inAuthorization(/SignedHeaders=/, 'SignedHeaders=a-missing-header;') })), status: 403, message: /the signed header a-missing-header is missing from the request/ },
  { name: 'SigV4: X-Amz-Date left out of the signed headers', send: async () => inTunnel(await signedMessage({ edit: inAuthorization(/;x-amz-date/, '') })), status: 403, message: /X-Amz-Date must be among the signed headers/ },
  { name: 'SigV4: signed headers out of order', send: async () => inTunnel(await signedMessage({ edit: inAuthorization(/SignedHeaders=content-type;host;/, 'SignedHeaders=host;content-type;') })), status: 403, message: /the SignedHeaders list must be sorted/ },
  { name: 'SigV4: a signed header changed after signing', send: async () => inTunnel(await signedMessage({ edit: (h) => (h['x-amz-target'] = 'DynamoDB_20120810.DeleteTable') })), status: 403, message: notSigned },
  { name: 'SigV4: one hex digit of the signature changed', send: async () => inTunnel(await signedMessage({ edit: (h) => (h.authorization = h.authorization.replace(/Signature=(.)/, (_m, c) => `Signature=${c === '0' ? '1' : '0'}`)) })), status: 403, message: notSigned },
  { name: 'SigV4: a signature that is not hex', send: async () => inTunnel(await signedMessage({ edit: inAuthorization(/Signature=[0-9a-f]{64}/, `Signature=${'z'.repeat(64)}`) })), status: 403, message: /the Authorization Signature must be 64 lower-case hex digits/ },
  { name: 'SigV4: the Signature field twice', send: async () => inTunnel(await signedMessage({ edit: (h) => (h.authorization += `, Signature=${'0'.repeat(64)}`) })), status: 403, message: /the Authorization field Signature appears twice/ },
  { name: 'SigV4: another algorithm (SigV4a)', send: async () => inTunnel(await signedMessage({ edit: inAuthorization(/^AWS4-HMAC-SHA256/, 'AWS4-ECDSA-P256-SHA256') })), status: 403, message: /the Authorization algorithm is "AWS4-ECDSA-P256-SHA256", expected AWS4-HMAC-SHA256/ },
  {
    name: 'SigV4: a body hash header that is not the body\'s',
    send: async () => inTunnel(await signedMessage({ headers: { 'x-amz-content-sha256': createHash('sha256').update('{"Limit":1}').digest('hex') } })),
    status: 403,
    message: /the body does not match its x-amz-content-sha256 hash/,
  },
  { name: 'SigV4: a body changed after signing', send: async () => inTunnel(await signedMessage({ body: '{"Limit":1}', sendBody: '{"Limit":9}' })), status: 403, message: notSigned },
  { name: 'SigV4: the payload hash turned into a streaming (chunk-signed) one after signing', send: async () => inTunnel(await signedMessage({ headers: { 'x-amz-content-sha256': createHash('sha256').update('{}').digest('hex') }, edit: (h) => (h['x-amz-content-sha256'] = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD') })), status: 403, message: notSigned },
  { name: 'SigV4: a session token the fake keys do not have', send: async () => inTunnel(await signedMessage({ headers: { 'x-amz-security-token': 'FwoGZXIvYXdzEBYaDH' } })), status: 403, message: /the X-Amz-Security-Token is not the expected one/ },
  { name: 'SigV4: signed 16 minutes ago', send: async () => inTunnel(await signedMessage({ now: minutes(-16) })), status: 403, message: /is more than 15 minutes from the server time/ },
  { name: 'SigV4: signed 16 minutes from now', send: async () => inTunnel(await signedMessage({ now: minutes(16) })), status: 403, message: /is more than 15 minutes from the server time/ },
];

const presignedUrls: HostileCase[] = [
  { name: 'presigned URL (signed with the fake keys)', send: async () => inTunnel(get(await presigned(fake))), status: 403, message: /presigned URLs .*are not accepted/ },
  { name: 'presigned URL, expired', send: async () => inTunnel(get(await presigned(fake, { signedAt: minutes(-120), expiresIn: 60 }))), status: 403, message: /presigned URLs .*are not accepted/ },
  { name: 'presigned URL, tampered with', send: async () => inTunnel(get((await presigned(fake)).replace('Action=ListTables', 'Action=DeleteTable'))), status: 403, message: /presigned URLs .*are not accepted/ },
  { name: 'presigned URL, another key', send: async () => inTunnel(get(await presigned({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }))), status: 403, message: /presigned URLs .*are not accepted/ },
];

const targets: HostileCase[] = [
  { name: 'absolute-form target at the sandbox itself, signed', send: async () => inTunnel(await signedMessage({ target: chain.sandbox.dynamodbEndpoint + '/' })), status: 400, message: notAPath },
  { name: 'absolute-form target at instance metadata, signed', send: async () => inTunnel(await signedMessage({ method: 'GET', target: 'http://169.254.169.254/latest/meta-data/iam/security-credentials/' })), status: 400, message: notAPath },
  { name: 'asterisk-form target', send: async () => inTunnel(await signedMessage({ method: 'OPTIONS', target: '*' })), status: 400, message: notAPath },
  { name: 'CONNECT inside the tunnel', send: async () => inTunnel('CONNECT 169.254.169.254:80 HTTP/1.1\r\nHost: 169.254.169.254:80\r\n\r\n'), status: 400, message: notAPath },
  { name: 'a target with a fragment', send: async () => inTunnel(await signedMessage({ target: '/#@169.254.169.254/' })), status: 400, message: notAPath },
  {
    name: 'a path that looks like an authority is sent to the AWS endpoint as a path',
    send: async () => inTunnel(await signedMessage({ target: '//169.254.169.254/latest/meta-data/' })),
    status: 200,
    message: /TableNames/,
    reaches: 1,
    check: (_seen, reached) => assert.equal(reached[0].service, 'dynamodb'),
  },
];

const hosts: HostileCase[] = [
  { name: 'a Host other than the CONNECT host (another AWS service)', send: async () => inTunnel(await signedMessage({ host: 'sts.us-east-1.amazonaws.com' })), status: 400, message: /the request's Host "sts\.us-east-1\.amazonaws\.com" does not match the host the connection was opened for \(dynamodb\.us-east-1\.amazonaws\.com\)/ },
  { name: 'a Host at instance metadata inside an AWS tunnel', send: async () => inTunnel(await signedMessage({ host: '169.254.169.254' })), status: 400, message: /the request's Host "169\.254\.169\.254" does not match the host the connection was opened for/ },
  { name: 'a Host whose "port" hides another host', send: async () => inTunnel(await signedMessage({ host: `${DDB}:443@169.254.169.254` })), status: 400, message: /the request's Host "dynamodb\.us-east-1\.amazonaws\.com:443@169\.254\.169\.254" does not match the host the connection was opened for/ },
  { name: 'a second Host header', send: async () => inTunnel((await signedMessage()).replace('\r\n\r\n', '\r\nhost: 169.254.169.254\r\n\r\n')), status: 400, message: /more than one Host header/ },
  {
    name: 'SNI naming another service than the CONNECT: the certificate is the CONNECT host\'s, and a verifying client stops',
    send: async () => inTunnel(await signedMessage(), { servername: 'sts.us-east-1.amazonaws.com' }),
    status: 0,
    message: /ERR_TLS_CERT_ALTNAME_INVALID: Hostname\/IP does not match certificate's altnames: Host: sts\.us-east-1\.amazonaws\.com/,
  },
  {
    name: 'SNI and Host naming another service than the CONNECT (client not verifying)',
    send: async () => inTunnel(await signedMessage({ host: 'sts.us-east-1.amazonaws.com', service: 'sts' }), { servername: 'sts.us-east-1.amazonaws.com', verify: false }),
    status: 400,
    message: /does not match the host the connection was opened for \(dynamodb\.us-east-1\.amazonaws\.com\)/,
  },
  {
    name: 'CONNECT to a look-alike of an AWS host is tunnelled, not intercepted: no AWS keys, no AWS',
    send: () => toProxy(`CONNECT ${DDB}.evil.invalid:443 HTTP/1.1\r\n\r\n`),
    status: 503,
    message: /cannot connect to dynamodb\.us-east-1\.amazonaws\.com\.evil\.invalid:443: ENOTFOUND/,
  },
];

runHostileCases(
  {
    'tsh proxy aws: malformed CONNECT': malformedConnect,
    'tsh proxy aws: slow clients': slowClients,
    'tsh proxy aws: request smuggling and oversized requests': smuggling,
    'tsh proxy aws: every SigV4 field wrong in turn': sigv4,
    'tsh proxy aws: presigned URLs': presignedUrls,
    'tsh proxy aws: request targets': targets,
    'tsh proxy aws: Host, SNI and CONNECT': hosts,
  },
  { sandbox: () => chain.sandbox, healthy },
);

test('tsh proxy aws logged nothing of the keys while it was attacked', () => {
  assert.ok(!proxy.stderr().includes(fake.secretAccessKey), proxy.stderr());
});
