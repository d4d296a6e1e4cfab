/**
 * Hostile input at the cluster proxy's one port (and the auth service's
 * listener beside it): certificates that are missing, expired, foreign or of
 * the wrong kind on the app protocol, ended sessions and locked users, wrong
 * ALPN, garbage before and after the handshake, a parallel brute force of
 * the login API, and odd paths on the web API and /web. Each case gets its
 * own clear error, nothing reaches AWS, and afterwards the proxy still serves
 * a good app request and a good web API call.
 */
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import tls from 'node:tls';
import { ListTablesCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { readIdentity } from '../../../src/shared/identity/identity.js';
import { generateKeyPair } from '../../../src/shared/pki/generateKeyPair.js';
import { appCertDynamoDb } from '../../helpers/appClient.js';
import { runBin } from '../../helpers/binaries.js';
import { webApi } from '../../helpers/cluster.js';
import { forgeAppCert, readUserCa } from '../../helpers/forge.js';
import { eventually } from '../../helpers/eventually.js';
import { startChain, dial, exchange, closedWithout, runHostileCases, PASSWORD, type Chain, type ChainUser, type HostileCase, type Part, type Seen } from '../../helpers/hostile.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const DDB = 'dynamodb.us-east-1.amazonaws.com';
let chain: Chain;
let alice: ChainUser;
let good: DynamoDBClient;
/** Key pairs of other kinds: alice's login certificate, the app service's host certificate. */
let login: { key: string; cert: string };
let host: { key: string; cert: string };

before(async () => {
  chain = await startChain();
  alice = await chain.user('alice');
  const base = join(alice.env.TELEPORT_HOME, 'keys', '127.0.0.1', 'alice');
  login = { key: await readFile(`${base}.key`, 'utf8'), cert: await readFile(`${base}.crt`, 'utf8') };
  host = JSON.parse(await readFile(join(chain.agent.dir, 'data', 'host', 'identity.json'), 'utf8'));
  good = appCertDynamoDb({ proxyAddr: chain.cluster.proxyAddr, ...alice.creds });
});

after(async () => {
  good?.destroy();
  await chain?.close();
});

/** An app request and a web API call, both answered: the proxy (and auth behind it) still serve. */
async function healthy(): Promise<void> {
  assert.ok(Array.isArray((await good.send(new ListTablesCommand({}))).TableNames));
  assert.equal((await webApi(chain.cluster.proxyAddr, 'GET', '/v1/webapi/ping')).status, 200);
}

const portOf = (addr: string) => Number(addr.slice(addr.lastIndexOf(':') + 1));

/** A TLS session to the proxy (or `addr`) with the given client certificate and ALPN; then `parts` in it. */
async function overTls(parts: Part | Part[], o: { cert?: { key: string; cert: string }; alpn?: string[]; addr?: string } = {}): Promise<Seen> {
  const addr = o.addr ?? chain.cluster.proxyAddr;
  const socket = await new Promise<tls.TLSSocket | Seen>((resolve) => {
    const s = tls.connect({ host: '127.0.0.1', port: portOf(addr), servername: 'localhost', rejectUnauthorized: false, ALPNProtocols: o.alpn ?? ['tsh-app-v1'], ...o.cert }, () => resolve(s));
    s.once('error', (err: NodeJS.ErrnoException) => resolve(closedWithout(`TLS: ${err.code}: ${err.message}`)));
  });
  if (!(socket instanceof tls.TLSSocket)) return socket;
  return exchange(socket, parts);
}

/** A DynamoDB ListTables as the local proxy sends it on: the app service re-signs whatever key it names. */
const listTables = `POST / HTTP/1.1\r\nhost: ${DDB}\r\ncontent-type: application/x-amz-json-1.0\r\nx-amz-target: DynamoDB_20120810.ListTables\r\nx-amz-date: 20260101T000000Z\r\nauthorization: AWS4-HMAC-SHA256 Credential=ANYKEY/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}\r\ncontent-length: 2\r\n\r\n{}`;
const get = (path: string) => `GET ${path} HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n`;
const post = (path: string, body: string) => `POST ${path} HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`;
/** A web request in the http/1.1 protocol, as browsers and tsh send them. */
const web = (message: string, cert?: { key: string; cert: string }) => overTls(message, { alpn: ['http/1.1'], cert });
const aliceIdentity = () => readIdentity(alice.creds.cert);

/** A user with an app login whose session is then taken away by `how`. */
async function userWhose(name: string, how: (u: ChainUser) => Promise<void>): Promise<ChainUser> {
  const u = await chain.user(name);
  await how(u);
  return u;
}

/** 40 wrong passwords for `user` at once on the login API, then the right one; returns the last answer. */
async function bruteForce(user: string): Promise<Seen> {
  const { publicKey } = await generateKeyPair();
  const answers = await Promise.all(Array.from({ length: 40 }, () => webApi(chain.cluster.proxyAddr, 'POST', '/v1/webapi/login', { user, password: 'guess', public_key: publicKey })));
  for (const a of answers) assert.ok([401, 423].includes(a.status), `a guess was answered ${a.status}: ${JSON.stringify(a.body)}`);
  assert.ok(answers.some((a) => a.status === 423), 'the lockout came into force during the burst');
  const right = await webApi(chain.cluster.proxyAddr, 'POST', '/v1/webapi/login', { user, password: PASSWORD, public_key: publicKey });
  return { status: right.status, headers: {}, body: JSON.stringify(right.body), message: right.body?.error?.message ?? '' };
}

const sessionEnded = /the app session for "aws" has ended \(logged out or expired\)/;

const certificates: HostileCase[] = [
  { name: 'no client certificate on the app protocol', send: () => overTls(listTables), status: 401, message: /an app certificate is required \(log in to the app with `tsh apps login APP`\)/ },
  {
    name: 'an expired app certificate',
    send: async () => overTls(listTables, { cert: await forgeAppCert(aliceIdentity(), { ca: readUserCa(chain.cluster.dataDir), notBefore: new Date(Date.now() - 7200e3), notAfter: new Date(Date.now() - 60e3) }) }),
    status: 401,
    message: /the app certificate has expired/,
  },
  { name: 'an app certificate from a foreign CA', send: async () => overTls(listTables, { cert: await forgeAppCert(aliceIdentity(), { notAfter: new Date(Date.now() + 600e3) }) }), status: 401, message: /the certificate was not issued by this cluster/ },
  { name: 'a user (login) certificate on the app protocol', send: () => overTls(listTables, { cert: login }), status: 401, message: /this is not an app certificate of this cluster/ },
  { name: "the app service's host certificate used as a client on the app protocol", send: () => overTls(listTables, { cert: host }), status: 401, message: /this is not an app certificate of this cluster/ },
  { name: 'a host certificate used as a client of the cluster API', send: () => web(post('/v1/rpc/resources.create', JSON.stringify({ docs: [{ kind: 'role', version: 'v5', metadata: { name: 'host-made' }, spec: {} }] })), host), status: 403, message: /this API is for users and administrators/ },
  { name: 'an app certificate used as a client of the cluster API', send: () => web(post('/v1/rpc/users.list', '{}'), alice.creds), status: 403, message: /app certificates cannot call the cluster API/ },
  {
    name: 'a revoked (logged-out) app session',
    send: async () => overTls(listTables, { cert: (await userWhose('bob', async (u) => assert.equal((await runBin('tsh', ['apps', 'logout', 'aws'], { env: u.env })).code, 0))).creds }),
    status: 403,
    message: sessionEnded,
  },
  {
    name: 'a removed user',
    send: async () => overTls(listTables, { cert: (await userWhose('dave', async () => assert.equal((await chain.cluster.tctl(['users', 'rm', 'dave'])).code, 0))).creds }),
    status: 403,
    message: sessionEnded,
  },
  {
    name: 'a locked user',
    async send() {
      const carol = await chain.user('carol');
      const lock = await chain.cluster.tctl(['lock', '--user=carol', '--message=Suspected compromise.']);
      assert.equal(lock.code, 0, lock.stderr);
      return overTls(listTables, { cert: carol.creds });
    },
    status: 403,
    message: /lock targeting User:"carol" is in force: Suspected compromise\./,
  },
];

const protocols: HostileCase[] = [
  { name: 'wrong ALPN (h2 only)', send: () => overTls(listTables, { cert: alice.creds, alpn: ['h2'] }), status: 0, message: /TLS: ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL/ },
  { name: 'an app certificate without ALPN reaches only the web API, never an app', send: () => overTls(listTables, { cert: alice.creds, alpn: [] }), status: 404, message: /no such endpoint: POST \// },
  {
    name: 'an app certificate on the tunnel protocol',
    send: () => overTls(listTables, { cert: alice.creds, alpn: ['tsh-tunnel-v1'] }),
    status: 0,
    message: /closed/,
    check: async () => void (await eventually('the proxy to log the refusal', () => /refused a tunnel from 127\.0\.0\.1: not an app service certificate of this cluster/.test(chain.cluster.logs()))),
  },
  { name: 'no certificate on the tunnel protocol', send: () => overTls(listTables, { alpn: ['tsh-tunnel-v1'] }), status: 0, message: /closed/, check: async () => void (await eventually('the proxy to log the refusal', () => /refused a tunnel from 127\.0\.0\.1: (no certificate|UNABLE_TO_GET_ISSUER_CERT)/.test(chain.cluster.logs()))) },
  { name: 'garbage bytes before the handshake', send: async () => exchange(await dial(portOf(chain.cluster.proxyAddr)), randomBytes(4096)), status: 0, message: /closed|ECONNRESET/ },
  { name: 'cleartext HTTP to the TLS port', send: async () => exchange(await dial(portOf(chain.cluster.proxyAddr)), get('/v1/webapi/ping')), status: 0, message: /closed|ECONNRESET/ },
  { name: 'garbage after the handshake on the app protocol', send: () => overTls([randomBytes(64).toString('hex').toUpperCase(), ' / HTTP/1.1\r\n\r\n'], { cert: alice.creds }), status: 400, message: /the request is not valid HTTP\/1\.1 \(Invalid method encountered\); nothing was sent/ },
  { name: 'a request-smuggling shape after the handshake on the app protocol', send: () => overTls(`POST / HTTP/1.1\r\nhost: ${DDB}\r\ncontent-length: 4\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n`, { cert: alice.creds }), status: 400, message: /Transfer-Encoding can't be present with Content-Length/ },
  { name: 'garbage after the handshake on the web protocol', send: () => web(randomBytes(64).toString('hex').toUpperCase() + ' / HTTP/1.1\r\n\r\n'), status: 400, message: /the request is not valid HTTP\/1\.1 \(Invalid method encountered\)/ },
];

const logins: HostileCase[] = [
  { name: 'parallel brute force of the login API: the lockout holds against the right password', send: async () => (await chain.user('erin'), bruteForce('erin')), status: 423, message: /user "erin" is locked until \d\d:\d\d UTC after 5 failed login attempts/ },
  {
    name: 'parallel brute force against a name that is no user gets the same answers',
    send: () => bruteForce('nobody-at-all'),
    status: 423,
    message: /user "nobody-at-all" is locked until \d\d:\d\d UTC after 5 failed login attempts/,
  },
  { name: 'a login body past 1 MiB', send: () => web(post('/v1/webapi/login', JSON.stringify({ user: 'alice', password: 'x'.repeat(2 << 20) }))), status: 413, message: /request body larger than 1048576 bytes/ },
  { name: 'a login body that is not JSON', send: () => web(post('/v1/webapi/login', '{"user": "alice", ')), status: 400, message: /request body is not valid JSON/ },
  { name: 'a login with fields of the wrong types', send: () => web(post('/v1/webapi/login', JSON.stringify({ user: { toString: 1 }, password: ['x'], otp_token: {}, ttl_ms: 'forever' }))), status: 400, message: /"user" must be a string/ },
  { name: 'a login body nested 100,000 deep', send: () => web(post('/v1/webapi/login', '['.repeat(100_000) + ']'.repeat(100_000))), status: 400, message: /the request body must be a JSON object/ },
];

/** Odd paths: each is answered by the page or error it names, and nothing outside the web UI's own files is served. */
const paths: HostileCase[] = [
  { name: 'path traversal under /web/assets', send: () => web(get('/web/assets/../../../../etc/passwd')), status: 404, message: /no such endpoint: GET \/etc\/passwd/ },
  { name: 'encoded path traversal under /web/assets', send: () => web(get('/web/assets/%2e%2e/%2e%2e/%2e%2e/package.json')), status: 404, message: /no such endpoint: GET \/package\.json/ },
  { name: 'encoded slashes under /web/assets: a page that needs a sign-in', send: () => web(get('/web/assets/x/..%2f..%2f..%2fpackage.json')), status: 303, message: /^$/, check: (s) => assert.equal(s.headers.location, '/web/login') },
  { name: 'a NUL in a /web path: a page that needs a sign-in', send: () => web(get('/web/apps/%00')), status: 303, message: /^$/, check: (s) => assert.equal(s.headers.location, '/web/login') },
  { name: 'path traversal in a cluster API method', send: () => web(post('/v1/rpc/..%2f..%2fusers.list', '{}'), login), status: 404, message: /unknown API method "\.\.\/\.\.\/users\.list"/ },
  { name: 'an API method that is not valid percent-encoding', send: () => web(post('/v1/rpc/users.%E0%A4%A', '{}'), login), status: 400, message: /the request path is not valid percent-encoding/ },
  { name: 'an invite token that is not valid percent-encoding', send: () => web(get('/v1/webapi/users/password/token/%zz')), status: 400, message: /the request path is not valid percent-encoding/ },
  { name: 'an absolute-form target no URL parser reads', send: () => web(get('http://[')), status: 400, message: /the request target "http:\/\/\[" is not a valid URL/ },
  { name: 'an absolute-form target with a port past 65535', send: () => web(get('http://localhost:99999/v1/webapi/ping')), status: 400, message: /is not a valid URL/ },
  { name: 'a prototype name as an API method', send: () => web(post('/v1/rpc/constructor', '{}'), login), status: 404, message: /unknown API method "constructor"/ },
  {
    name: 'the auth listener: a target no URL parser reads',
    send: () => overTls(get('http://['), { addr: chain.cluster.authAddr, alpn: ['http/1.1'] }),
    status: 400,
    message: /is not a valid URL/,
    check: async () => assert.equal((await chain.cluster.tctl(['status'])).code, 0, 'the auth listener still serves tctl'),
  },
  {
    name: 'the auth listener: an API method that is not valid percent-encoding',
    send: () => overTls(post('/v1/rpc/%E0%A4%A', '{}'), { addr: chain.cluster.authAddr, alpn: ['http/1.1'], cert: host }),
    status: 400,
    message: /the request path is not valid percent-encoding/,
    check: async () => assert.equal((await chain.cluster.tctl(['status'])).code, 0, 'the auth listener still serves tctl'),
  },
];

runHostileCases(
  {
    'cluster proxy: certificates and sessions on the app protocol': certificates,
    'cluster proxy: ALPN and garbage': protocols,
    'cluster proxy: the login API': logins,
    'cluster proxy and auth listener: odd paths': paths,
  },
  { sandbox: () => chain.sandbox, healthy },
);
