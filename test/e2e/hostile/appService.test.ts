/**
 * Hostile input at the last hop, the app service (its own process), reached
 * the way the local proxy reaches it: through the cluster proxy over raw TLS
 * with a real app certificate, so no client-side check stands in between.
 * Hosts and forwarded headers aimed at instance metadata, loopback and
 * private ranges; look-alikes of AWS names (another TLD, a suffix, IDN and
 * punycode tricks); userinfo and fragments in the Host and the target;
 * chained-role headers; bodies over the limit, declared and not. Each case
 * gets its own clear error, only what may reaches AWS (and as whom), and the
 * app service serves a good request afterwards.
 */
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ListTablesCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { appCertDynamoDb, appTls } from '../../helpers/appClient.js';
import { startChain, exchange, runHostileCases, type Chain, type ChainUser, type HostileCase, type Part, type Seen } from '../../helpers/hostile.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const DDB = 'dynamodb.us-east-1.amazonaws.com';
const sessionArn = 'arn:aws:sts::123456789012:assumed-role/ExampleTeleportDynamoDBRole/alice';
let chain: Chain;
let alice: ChainUser;
let good: DynamoDBClient;

before(async () => {
  chain = await startChain();
  alice = await chain.user('alice');
  good = appCertDynamoDb({ proxyAddr: chain.cluster.proxyAddr, ...alice.creds });
});

after(async () => {
  good?.destroy();
  await chain?.close();
});

async function healthy(): Promise<void> {
  assert.ok(chain.agent.alive(), `the app service exited:\n${chain.agent.logs()}`);
  assert.ok(Array.isArray((await good.send(new ListTablesCommand({}))).TableNames));
}

/** A DynamoDB ListTables as the local proxy forwards one (any key: the app service re-signs it), with parts of it changed. */
function request(o: { host?: string; target?: string; headers?: Record<string, string>; extra?: string; body?: string; noLength?: boolean } = {}): string {
  const body = o.body ?? '{}';
  const headers: Record<string, string> = {
    host: o.host ?? DDB,
    'content-type': 'application/x-amz-json-1.0',
    'x-amz-target': 'DynamoDB_20120810.ListTables',
    'x-amz-date': '20260101T000000Z',
    authorization: `AWS4-HMAC-SHA256 Credential=ANYKEY/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=${'0'.repeat(64)}`,
    ...o.headers,
  };
  if (!o.noLength) headers['content-length'] = String(Buffer.byteLength(body));
  return `POST ${o.target ?? '/'} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}${o.extra ?? ''}\r\n${body}`;
}

/** Sends `parts` over a TLS session to the cluster proxy with alice's app certificate. */
async function send(parts: Part | Part[]): Promise<Seen> {
  return exchange(await appTls({ proxyAddr: chain.cluster.proxyAddr, ...alice.creds }), parts);
}

const notAws = (host: string) => new RegExp(`^"${host.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" is not an AWS endpoint; only AWS service endpoints are reachable through this app`);
/** A Host the app service must refuse by name, before anything is signed or sent. */
const refusedHost = (what: string, host: string, shown = host): HostileCase => ({ name: `Host ${what}: ${JSON.stringify(host)}`, send: () => send(request({ host })), status: 403, message: notAws(shown) });
/** Reached AWS as the session's own role, at the DynamoDB endpoint the request named. */
const asSessionRole = (_seen: Seen, reached: Chain['sandbox']['requests']) => {
  assert.equal(reached[0].service, 'dynamodb');
  assert.equal(reached[0].callerArn, sessionArn, 're-signed as the session\'s role');
  assert.notEqual(reached[0].accessKeyId, 'ANYKEY', 'the client\'s signature did not reach AWS');
};

const metadataAndPrivate: HostileCase[] = [
  refusedHost('at instance metadata with a port', '169.254.169.254:80'),
  refusedHost('at instance metadata over IPv6', '[fd00:ec2::254]'),
  refusedHost('at instance metadata as an IPv4-mapped IPv6 address', '[::ffff:169.254.169.254]'),
  refusedHost('at instance metadata as one decimal number', '2852039166'),
  refusedHost('at instance metadata in hex', '0xa9fea9fe'),
  refusedHost('at instance metadata through a wildcard DNS name', '169.254.169.254.nip.io'),
  refusedHost('at ECS task metadata', '169.254.170.2'),
  refusedHost('at another cloud\'s metadata name', 'metadata.google.internal'),
  refusedHost('at loopback, short form', '127.1'),
  refusedHost('at loopback over IPv6', '[::1]'),
  refusedHost('at a private range (172.16/12)', '172.16.0.1'),
  refusedHost('at a private range (192.168/16)', '192.168.1.1'),
  refusedHost('at carrier-grade NAT (100.64/10)', '100.100.100.200'),
];

const lookAlikes: HostileCase[] = [
  refusedHost('that ends in another domain', 'amazonaws.com.evil.com'),
  refusedHost('with another TLD', 'dynamodb.us-east-1.amazonaws.co'),
  refusedHost('that is the bare AWS domain', 'amazonaws.com'),
  refusedHost('with a trailing dot', `${DDB}.`),
  refusedHost('with an empty label', 'dynamodb..amazonaws.com'),
  refusedHost('that is a punycode look-alike domain', 'dynamodb.us-east-1.xn--amazonaws-ss3d.com'),
  refusedHost('with a Cyrillic letter', 'dynamodb.us-east-1.amаzonaws.com', 'dynamodb.us-east-1.amÐ°zonaws.com'),
  refusedHost('with an ideographic full stop', 'dynamodb.us-east-1.amazonaws\u3002com', 'dynamodb.us-east-1.amazonawsã\u0080\u0082com'),
];

const userinfoAndFragments: HostileCase[] = [
  refusedHost('with userinfo', `user@${DDB}`),
  refusedHost('with an AWS name as userinfo', `${DDB}@169.254.169.254`),
  refusedHost('with an AWS name and port as userinfo', `${DDB}:443@169.254.169.254`),
  refusedHost('with a fragment', `169.254.169.254#${DDB}`),
  refusedHost('with a path', `${DDB}/..@169.254.169.254`),
  refusedHost('with a backslash', `${DDB}\\@169.254.169.254`),
  { name: 'a target with a fragment', send: () => send(request({ target: '/#@169.254.169.254/' })), status: 400, message: /the request target "\/#@169\.254\.169\.254\/" is not a path/ },
  { name: 'a target that starts with userinfo', send: () => send(request({ target: '@169.254.169.254/' })), status: 400, message: /the request is not valid HTTP\/1\.1 \(Unexpected start char in url\); nothing was sent/ },
  { name: 'an absolute-form target with userinfo', send: () => send(request({ target: `http://${DDB}@169.254.169.254/` })), status: 400, message: /is not a path: AWS API requests name only a path and query/ },
  { name: 'dot segments in the target go to the AWS endpoint, as a path', send: () => send(request({ target: '/../../latest/meta-data/' })), status: 200, message: /TableNames/, reaches: 1, check: asSessionRole },
  { name: 'a second Host header', send: () => send(request({ extra: 'host: 169.254.169.254\r\n' })), status: 400, message: /the request has more than one Host header/ },
];

const forwardedHeaders: HostileCase[] = [
  {
    name: 'X-Forwarded-*, Forwarded and X-Original-Host aimed at metadata are not where a request goes',
    send: () => send(request({ headers: { 'x-forwarded-host': '169.254.169.254', 'x-forwarded-for': '169.254.169.254', 'x-forwarded-proto': 'http', forwarded: 'host=169.254.169.254;proto=http', 'x-original-host': '169.254.169.254', 'x-host': '127.0.0.1' } })),
    status: 200,
    message: /TableNames/,
    reaches: 1,
    check: asSessionRole,
  },
  {
    name: 'X-Forwarded-Host aimed at metadata with a Host that is not AWS',
    send: () => send(request({ host: '169.254.169.254', headers: { 'x-forwarded-host': DDB } })),
    status: 403,
    message: notAws('169.254.169.254'),
  },
];

const chainedRole: HostileCase[] = [
  {
    name: "Teleport's own chained-role headers do not make the app service send the client's signature",
    send: () => send(request({ headers: { 'x-teleport-aws-assumed-role': 'arn:aws:iam::999999999999:role/ForgedAdmin', 'x-teleport-aws-assumed-role-authorization': 'AWS4-HMAC-SHA256 Credential=ASIAFORGED/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=' + '1'.repeat(64) } })),
    status: 200,
    message: /TableNames/,
    reaches: 1,
    check: asSessionRole,
  },
  {
    name: 'the chained-role header in mixed case, twice, with a session token of the client\'s',
    send: () => send(request({ headers: { 'X-Tsh-Aws-Assumed-Role': 'arn:aws:iam::999999999999:role/ForgedAdmin', 'x-amz-security-token': 'forged' }, extra: 'X-TSH-AWS-ASSUMED-ROLE: arn:aws:iam::123456789012:role/Admin\r\n' })),
    status: 200,
    message: /TableNames/,
    reaches: 1,
    check: asSessionRole,
  },
];

const bodiesAndSignatures: HostileCase[] = [
  { name: 'a declared body over 16 MiB, refused before it is sent', send: () => send(request({ body: '', noLength: true, extra: `content-length: ${17 << 20}\r\n` })), status: 413, message: /request body of 17825792 bytes is larger than the 16 MiB limit/ },
  {
    name: 'an undeclared (chunked) body over 16 MiB',
    async send() {
      const chunk = Buffer.alloc(1 << 20, 'a');
      const parts: Part[] = [request({ body: '', noLength: true, extra: 'transfer-encoding: chunked\r\n' })];
      for (let i = 0; i < 17; i++) parts.push(`${chunk.length.toString(16)}\r\n`, chunk, '\r\n');
      parts.push('0\r\n\r\n');
      return send(parts);
    },
    status: 413,
    message: /request body is larger than the 16 MiB limit/,
  },
  {
    name: 'a body shorter than declared, then the client hangs up: nothing is sent',
    async send() {
      const seen = await send([request({ body: '{"Li', noLength: true, extra: 'content-length: 200\r\n' }), { pauseMs: 200 }]).catch(() => undefined);
      // Give an app service that would send the half a moment to do so, so the count would see it.
      await new Promise((r) => setTimeout(r, 300));
      return seen!;
    },
    status: 0,
    message: /no answer within|closed/,
  },
  { name: 'no Authorization header', send: () => send(request({ headers: { authorization: '' } })), status: 401, message: /the request is not signed with SigV4/ },
  { name: 'an Authorization header of another scheme', send: () => send(request({ headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } })), status: 400, message: /the Authorization algorithm is "Basic", expected AWS4-HMAC-SHA256/ },
  { name: 'a streaming (chunk-signed) payload without its decoded length', send: () => send(request({ headers: { 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' } })), status: 400, message: /an aws-chunked body needs x-amz-decoded-content-length/ },
  { name: 'a request-smuggling shape (Content-Length with Transfer-Encoding)', send: () => send(request({ extra: 'transfer-encoding: chunked\r\n' })), status: 400, message: /the request is not valid HTTP\/1\.1 \(Transfer-Encoding can't be present with Content-Length\)/ },
];

runHostileCases(
  {
    'app service: Hosts at metadata, loopback and private ranges': metadataAndPrivate,
    'app service: look-alike AWS names': lookAlikes,
    'app service: userinfo and fragments': userinfoAndFragments,
    'app service: forwarded headers': forwardedHeaders,
    'app service: chained-role headers': chainedRole,
    'app service: bodies and signatures': bodiesAndSignatures,
  },
  { sandbox: () => chain.sandbox, healthy },
);
