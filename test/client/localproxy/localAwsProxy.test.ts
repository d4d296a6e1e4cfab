/**
 * The local AWS proxy end to end against a fake cluster proxy, with real TLS
 * on every leg: what it forwards, every refusal (and that nothing is
 * forwarded then), tunnelling of other hosts, loopback-only listening, the
 * keep-alive pool surviving a closed connection, role chaining and the
 * endpoint-URL mode.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import tls from 'node:tls';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { startFakeAppCluster, makeTestHome, type FakeAppCluster, type TestHome } from '../../helpers/fakeAppCluster.js';
import { sendSigned } from '../../helpers/awsSigning.js';
import { startLocalAwsProxy, type LocalAwsProxy } from '../../../src/client/localproxy/localAwsProxy.js';
import { listenOnLoopback } from '../../../src/client/localproxy/listenLoopback.js';
import { createCertificate } from '../../../src/shared/pki/createCertificate.js';
import { generateKeyPair } from '../../../src/shared/pki/generateKeyPair.js';
import { TshError } from '../../../src/shared/errors.js';
import { signRequest } from '../../../src/shared/sigv4/signRequest.js';
import { rawExchange, rawRequest, tlsThroughProxy } from '../../helpers/rawHttp.js';

let cluster: FakeAppCluster;
let th: TestHome;
let proxy: LocalAwsProxy;
let ca: string;

before(async () => {
  cluster = await startFakeAppCluster();
  th = await makeTestHome(cluster);
  proxy = await startLocalAwsProxy(th.ce);
  ca = await readFile(proxy.caPath, 'utf8');
});

after(async () => {
  await proxy?.close();
  await cluster?.close();
  await th?.cleanup();
});

const via = () => ({ mode: 'proxy' as const, url: proxy.url });

describe('forwarding', () => {
  test('a request signed with the fake keys reaches the cluster with its Host, over mTLS with the app certificate', async () => {
    const before = cluster.requests.length;
    const body = '{"Limit":5}';
    const res = await sendSigned({ via: via(), ca, creds: proxy.fake, body, contentSha: createHash('sha256').update(body).digest('hex') });
    assert.equal(res.status, 200, res.body);
    const echo = JSON.parse(res.body).echo;
    assert.equal(echo.host, 'dynamodb.us-east-1.amazonaws.com');
    assert.equal(echo.bodySha256, createHash('sha256').update(body).digest('hex'));
    const rec = cluster.requests[before];
    assert.match(String(rec.headers.authorization), /^AWS4-HMAC-SHA256 Credential=TSH/);
    assert.equal(rec.headers['x-amz-target'], 'DynamoDB_20120810.ListTables');
    assert.ok(rec.certSerial, 'the cluster saw a client certificate');
  });

  test('connections to the cluster are kept alive and shared', async () => {
    const connectionsBefore = cluster.appConnections;
    for (let i = 0; i < 5; i++) {
      const res = await sendSigned({ via: via(), ca, creds: proxy.fake });
      assert.equal(res.status, 200);
    }
    assert.ok(cluster.appConnections - connectionsBefore <= 1, `opened ${cluster.appConnections - connectionsBefore} connections for 5 requests`);
  });

  test('a kept-alive connection the cluster closed is replaced, and the request still succeeds', async () => {
    await sendSigned({ via: via(), ca, creds: proxy.fake });
    // The next request on a reused connection dies before any response byte, as when the cluster
    // closes a connection at the moment it is reused.
    const seen = new WeakSet<object>();
    let killed = 0;
    cluster.respond = (_rec, res) => {
      const socket = res.req.socket;
      if (killed === 0) {
        killed++;
        socket.destroy();
        return true;
      }
      seen.add(socket);
      return false;
    };
    try {
      const res = await sendSigned({ via: via(), ca, creds: proxy.fake });
      assert.equal(res.status, 200, res.body);
      assert.equal(killed, 1);
    } finally {
      cluster.respond = undefined;
    }
    // And after the cluster drops every connection (session end), the next request opens a new one.
    cluster.dropAppConnections();
    await new Promise((r) => setTimeout(r, 20));
    assert.equal((await sendSigned({ via: via(), ca, creds: proxy.fake })).status, 200);
  });

  test('the cluster\'s refusals pass through unchanged', async () => {
    cluster.respond = (_rec, res) => {
      const body = JSON.stringify({ __type: 'AccessDeniedException', message: 'the app session has ended' });
      res.writeHead(403, { 'content-type': 'application/x-amz-json-1.0', 'content-length': Buffer.byteLength(body), connection: 'close' });
      res.end(body);
      return true;
    };
    try {
      const res = await sendSigned({ via: via(), ca, creds: proxy.fake });
      assert.equal(res.status, 403);
      assert.match(res.body, /the app session has ended/);
    } finally {
      cluster.respond = undefined;
    }
  });

  test('large responses stream back intact', async () => {
    const big = Buffer.alloc(3 << 20, 'x');
    cluster.respond = (_rec, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.write(big.subarray(0, 1 << 20));
      setTimeout(() => res.end(big.subarray(1 << 20)), 10);
      return true;
    };
    try {
      const res = await sendSigned({ via: via(), ca, creds: proxy.fake });
      assert.equal(res.status, 200);
      assert.equal(res.body.length, big.length);
    } finally {
      cluster.respond = undefined;
    }
  });
});

describe('refusals: nothing is forwarded', () => {
  const refused = async (opts: Partial<Parameters<typeof sendSigned>[0]>, pattern: RegExp) => {
    const before = cluster.requests.length;
    const res = await sendSigned({ via: via(), ca, creds: proxy.fake, ...opts });
    assert.equal(res.status, 403, res.body);
    const err = JSON.parse(res.body);
    assert.equal(err.__type, 'InvalidSignatureException');
    assert.match(err.message, pattern);
    assert.equal(cluster.requests.length, before, 'the request was forwarded');
  };

  test('wrong fake access key', () => refused({ creds: { accessKeyId: 'TSHWRONGKEYWRONGKEY1234', secretAccessKey: proxy.fake.secretAccessKey } }, /access key id TSHWRONGKEYWRONGKEY1234 is not the expected one/));
  test('right key id, wrong secret', () => refused({ creds: { accessKeyId: proxy.fake.accessKeyId, secretAccessKey: 'not-the-secret' } }, /signature does not match/));
  test('tampered body (signed hash header)', () =>
    refused({ body: '{"a":1}', contentSha: createHash('sha256').update('{"a":1}').digest('hex'), sendBody: '{"a":2}' }, /body does not match its x-amz-content-sha256/));
  test('tampered body (no hash header)', () => refused({ body: '{"a":1}', sendBody: '{"a":2}' }, /signature does not match/));
  test('no Authorization header', () => refused({ unsigned: true }, /no Authorization header/));
  test('stale X-Amz-Date', () => refused({ now: new Date(Date.now() - 20 * 60_000) }, /more than 15 minutes/));

  test('query-protocol services (STS) get an XML error', async () => {
    const before = cluster.requests.length;
    const res = await sendSigned({
      via: via(),
      ca,
      creds: { accessKeyId: 'TSHWRONGKEYWRONGKEY1234', secretAccessKey: 'x' },
      service: 'sts',
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    });
    assert.equal(res.status, 403);
    assert.match(res.body, /<Code>SignatureDoesNotMatch<\/Code>/);
    assert.equal(cluster.requests.length, before);
  });

  test('a body over 16 MiB gets 413', async () => {
    const res = await sendSigned({ via: via(), ca, creds: proxy.fake, body: Buffer.alloc((16 << 20) + 1, 'a') });
    assert.equal(res.status, 413);
    assert.match(JSON.parse(res.body).message, /16 MiB/);
  });

  test('a Host other than the tunnel\'s host is refused', async () => {
    const before = cluster.requests.length;
    const res = await sendSigned({ via: via(), ca, creds: proxy.fake, hostHeader: 'sts.us-east-1.amazonaws.com' });
    assert.equal(res.status, 400);
    assert.match(res.body, /does not match the host the connection was opened for/);
    assert.equal(cluster.requests.length, before);
  });

  test('anything but CONNECT gets 400', async () => {
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port: proxy.port, path: 'http://dynamodb.us-east-1.amazonaws.com/' }, resolve).on('error', reject);
    });
    res.resume();
    assert.equal(res.statusCode, 400);
  });
});

describe('request targets: origin form only', () => {
  test('absolute-form, asterisk-form and authority-form targets are refused with a 400 before anything is sent, even when signed', async () => {
    const host = 'dynamodb.us-east-1.amazonaws.com';
    for (const [method, target] of [
      ['POST', `http://127.0.0.1:${cluster.port}/`],
      ['GET', 'https://169.254.169.254/latest/meta-data/iam/security-credentials/'],
      ['OPTIONS', '*'],
      ['CONNECT', '169.254.169.254:80'],
    ]) {
      const body = method === 'POST' ? '{}' : '';
      // Signed with this run's fake keys over the very target sent: only its form is wrong.
      const headers: Record<string, string> = { host, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.ListTables', 'x-amz-date': 'placeholder' };
      Object.assign(headers, await signRequest({ method, path: target, query: '', headers, body: Buffer.from(body) }, proxy.fake, { region: 'us-east-1', service: 'dynamodb', signedHeaders: ['content-type', 'host', 'x-amz-date', 'x-amz-target'] }));
      const before = cluster.requests.length;
      const res = await rawExchange(await tlsThroughProxy(proxy.url, host, ca), rawRequest(`${method} ${target} HTTP/1.1`, headers, body));
      assert.equal(res.status, 400, `${method} ${target}: ${res.body}`);
      const err = JSON.parse(res.body);
      assert.equal(err.__type, 'ValidationException');
      assert.match(err.message, /is not a path: AWS API requests name only a path and query/);
      assert.equal(cluster.requests.length, before, `${method} ${target} was forwarded`);
    }
  });
});

describe('role chaining', () => {
  test('keys that an AssumeRole returned through the proxy are accepted; others are not', async () => {
    const assume = await sendSigned({
      via: via(),
      ca,
      creds: proxy.fake,
      service: 'sts',
      body: 'Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fchained&RoleSessionName=s',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    });
    assert.equal(assume.status, 200, assume.body);
    const keyId = /<AccessKeyId>([^<]+)</.exec(assume.body)![1];
    const chained = { accessKeyId: keyId, secretAccessKey: 'chained/secret+key', sessionToken: 'chained-token==' };

    const before = cluster.requests.length;
    const ok = await sendSigned({ via: via(), ca, creds: chained });
    assert.equal(ok.status, 200, ok.body);
    // Sent as signed, unmarked: the app service decides from the key alone whether it handed it out.
    assert.match(String(cluster.requests[before].headers.authorization), new RegExp(`Credential=${keyId}/`));
    assert.deepEqual(Object.keys(cluster.requests[before].headers).filter((h) => h.startsWith('x-tsh-')), []);

    const wrongToken = await sendSigned({ via: via(), ca, creds: { ...chained, sessionToken: 'other' } });
    assert.equal(wrongToken.status, 403);
    const unknown = await sendSigned({ via: via(), ca, creds: { ...chained, accessKeyId: 'ASIAUNKNOWNUNKNOWN12' } });
    assert.equal(unknown.status, 403);
    assert.equal(cluster.requests.length, before + 1);
  });

  test('a client cannot smuggle the role-chaining header', async () => {
    const before = cluster.requests.length;
    const res = await sendSigned({ via: via(), ca, creds: proxy.fake, headers: { 'x-tsh-aws-assumed-role': 'arn:aws:iam::1:role/admin' } });
    assert.equal(res.status, 200);
    assert.equal(cluster.requests[before].headers['x-tsh-aws-assumed-role'], undefined);
  });
});

describe('other hosts are tunnelled, not intercepted', () => {
  let target: tls.Server;
  let targetCa: string;
  let targetPort: number;

  before(async () => {
    const caKeys = await generateKeyPair();
    targetCa = createCertificate({ commonName: 'target CA', publicKey: caKeys.publicKey, selfKey: caKeys.privateKey, notAfter: new Date(Date.now() + 3_600_000), usage: 'ca' });
    const keys = await generateKeyPair();
    const cert = createCertificate({
      commonName: 'target.test',
      publicKey: keys.publicKey,
      issuer: { certificate: targetCa, privateKey: caKeys.privateKey },
      notAfter: new Date(Date.now() + 3_600_000),
      usage: 'server',
      dnsNames: ['target.test', 'localhost'],
      ipAddresses: ['127.0.0.1'],
    });
    target = tls.createServer({ key: keys.privateKey, cert }, (s) => s.end('hello from the real host\n'));
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    targetPort = (target.address() as net.AddressInfo).port;
  });
  after(() => new Promise<void>((r) => target.close(() => r())));

  /** CONNECTs through `proxyPort` and reads what the far end's TLS server says. */
  const throughTunnel = (proxyPort: number, authority: string) =>
    new Promise<{ status: number; peerCn?: string; text?: string }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: proxyPort, method: 'CONNECT', path: authority });
      req.on('connect', (res, socket) => {
        if (res.statusCode !== 200) {
          socket.destroy();
          return resolve({ status: res.statusCode ?? 0 });
        }
        const t = tls.connect({ socket, ca: [targetCa], servername: 'target.test' }, () => {
          const peerCn = t.getPeerCertificate().subject?.CN as string;
          let text = '';
          t.on('data', (c) => (text += c));
          t.on('end', () => resolve({ status: 200, peerCn, text }));
        });
        t.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });

  test('the client sees the real host\'s certificate', async () => {
    const r = await throughTunnel(proxy.port, `127.0.0.1:${targetPort}`);
    assert.equal(r.status, 200);
    assert.equal(r.peerCn, 'target.test');
    assert.equal(r.text, 'hello from the real host\n');
  });

  test('a failed dial answers 503', async () => {
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    assert.equal((await throughTunnel(proxy.port, `127.0.0.1:${port}`)).status, 503);
  });

  test('through the user\'s HTTPS_PROXY unless NO_PROXY excludes the host; 502 when it fails', async () => {
    const connects: string[] = [];
    let refuse = false;
    const userProxy = http.createServer();
    userProxy.on('connect', (req, socket: net.Socket) => {
      connects.push(String(req.url));
      if (refuse) return socket.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n');
      const up = net.connect(targetPort, '127.0.0.1', () => {
        socket.write('HTTP/1.1 200 OK\r\n\r\n');
        up.pipe(socket);
        socket.pipe(up);
      });
    });
    await new Promise<void>((r) => userProxy.listen(0, '127.0.0.1', r));
    const upPort = (userProxy.address() as net.AddressInfo).port;
    const th2 = await makeTestHome(cluster, { env: { HTTPS_PROXY: `http://user:pa%20ss@127.0.0.1:${upPort}`, NO_PROXY: 'internal.test,.corp.test' } });
    const p2 = await startLocalAwsProxy(th2.ce);
    try {
      const r = await throughTunnel(p2.port, 'target.test:443');
      assert.equal(r.status, 200);
      assert.equal(r.peerCn, 'target.test');
      assert.deepEqual(connects, ['target.test:443']);

      // NO_PROXY: dialled directly (and this name does not resolve, so 503, and the user's proxy saw nothing).
      const direct = await throughTunnel(p2.port, 'db.corp.test:443');
      assert.equal(direct.status, 503);
      assert.deepEqual(connects, ['target.test:443']);

      refuse = true;
      assert.equal((await throughTunnel(p2.port, 'target.test:443')).status, 502);
    } finally {
      await p2.close();
      await th2.cleanup();
      await new Promise<void>((r) => userProxy.close(() => r()));
    }
  });
});

describe('listening', () => {
  test('a non-loopback address is refused before binding', async () => {
    await assert.rejects(startLocalAwsProxy(th.ce, { host: '0.0.0.0' }), (err: unknown) => err instanceof TshError && err.code === 'LISTEN' && /loopback/.test(err.message));
    const server = net.createServer();
    await assert.rejects(listenOnLoopback(server, '192.168.1.10', 0), (err: unknown) => err instanceof TshError && err.code === 'LISTEN');
    assert.equal(server.listening, false);
  });

  test('a busy port is a LISTEN error naming the port', async () => {
    await assert.rejects(startLocalAwsProxy(th.ce, { port: proxy.port }), (err: unknown) => {
      assert.ok(err instanceof TshError);
      assert.equal(err.code, 'LISTEN');
      assert.match(err.message, new RegExp(`port ${proxy.port} is already in use`));
      assert.match(String(err.hint), /--port/);
      return true;
    });
  });
});

describe('early start (tsh aws)', () => {
  test('connections that arrive before the certificates are loaded wait for them', async () => {
    const p = await startLocalAwsProxy(th.ce, { early: true });
    try {
      assert.equal(p.caReady, true);
      const res = await sendSigned({ via: { mode: 'proxy', url: p.url }, ca, creds: p.fake });
      assert.equal(res.status, 200, res.body);
      await p.ready;
    } finally {
      await p.close();
    }
  });

  test('a proxy that cannot load reports why through `ready`', async () => {
    const th2 = await makeTestHome(cluster);
    const { rm } = await import('node:fs/promises');
    const { join } = await import('node:path');
    await rm(join(th2.home, 'keys', '127.0.0.1', 'alice-app', 'test', 'aws.key'));
    const p = await startLocalAwsProxy(th2.ce, { early: true });
    try {
      await assert.rejects(p.ready, (err: unknown) => err instanceof TshError && err.code === 'NOT_LOGGED_IN' && /tsh apps login/.test(String(err.hint)));
    } finally {
      await p.close();
      await th2.cleanup();
    }
  });
});

describe('endpoint-URL mode', () => {
  test('the AWS host comes from the SigV4 scope', async () => {
    const p = await startLocalAwsProxy(th.ce, { endpointUrl: true });
    try {
      assert.match(p.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(p.settings.HTTPS_PROXY, undefined);
      const before = cluster.requests.length;
      const res = await sendSigned({ via: { mode: 'endpoint', url: p.url }, ca, creds: p.fake });
      assert.equal(res.status, 200, res.body);
      assert.equal(cluster.requests[before].headers.host, 'dynamodb.us-east-1.amazonaws.com');
      const sts = await sendSigned({
        via: { mode: 'endpoint', url: p.url },
        ca,
        creds: p.fake,
        service: 'sts',
        region: 'cn-north-1',
        body: 'Action=GetCallerIdentity&Version=2011-06-15',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      assert.equal(sts.status, 200);
      assert.equal(cluster.requests[before + 1].headers.host, 'sts.cn-north-1.amazonaws.com.cn');
      const bad = await sendSigned({ via: { mode: 'endpoint', url: p.url }, ca, creds: proxy.fake.accessKeyId === p.fake.accessKeyId ? { accessKeyId: 'TSHWRONGKEYWRONGKEY1234', secretAccessKey: 'x' } : proxy.fake });
      assert.equal(bad.status, 403);
    } finally {
      await p.close();
    }
  });
});
