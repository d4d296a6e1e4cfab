/**
 * A stand-in for the cluster proxy that the local AWS proxy talks to, plus a
 * TELEPORT_HOME logged into it, so the local proxy's tests run with real TLS
 * and real certificates but no cluster.
 *
 *   local proxy ==mTLS, ALPN tsh-app-v1 (app cert from the test user CA)==> fake proxy
 *        app traffic: each HTTP request is recorded and echoed back as JSON
 *        (an STS AssumeRole gets a real-looking XML answer with temporary keys)
 *   AppCredentials --HTTPS, ALPN http/1.1--> fake proxy
 *        POST /v1/rpc/appSessions.renew | appSessions.create: a new app cert for the key sent
 *
 * Everything listens on 127.0.0.1 port 0; close() ends it all.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import tls, { type TLSSocket } from 'node:tls';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCertificate } from '../../src/shared/pki/createCertificate.js';
import { generateKeyPair, type KeyPairPem } from '../../src/shared/pki/generateKeyPair.js';
import { openFileStore } from '../../src/client/keystore/fileStore.js';
import { saveKeyPair } from '../../src/client/keystore/keyPairStore.js';
import { writeLocalCa } from '../../src/client/localproxy/localCa.js';
import { accounts, paths } from '../../src/client/profile/paths.js';
import { writeProfile, type Profile } from '../../src/client/profile/profile.js';
import { writePrivateFile } from '../../src/client/profile/writePrivateFile.js';
import { clientEnv, type ClientEnv } from '../../src/client/clientEnv.js';

/** One app request as the fake proxy received it. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** Serial of the client certificate the connection presented. */
  certSerial: string;
}

/** One RPC call as received. */
export interface RecordedRpc {
  method: string;
  params: Record<string, any>;
}

export interface FakeAppCluster {
  addr: string;
  port: number;
  /** PEM of the CA that signed the proxy's certificate (the profile's cluster CA file). */
  hostCaPem: string;
  userCa: { certPem: string; keyPem: string };
  requests: RecordedRequest[];
  rpcs: RecordedRpc[];
  /** How long certificates from renew/create live; default 1 hour. */
  appCertTtlMs: number;
  /** When true, renew answers NOT_FOUND (the session is gone). */
  sessionGone: boolean;
  /** Caps the notAfter of issued app certificates (the login's expiry, as the real cluster does). */
  capNotAfter?: Date;
  /** Overrides the answer to app requests (return true when handled). */
  respond?: (req: RecordedRequest, res: ServerResponse) => boolean;
  /** TLS connections that negotiated tsh-app-v1 so far. */
  appConnections: number;
  /** Signs an app certificate for a public key. */
  issueAppCert(publicKey: string, ttlMs: number): string;
  /** Closes every app connection (as the real proxy does when a session ends). */
  dropAppConnections(): void;
  close(): Promise<void>;
}

/** Starts the fake cluster proxy. */
export async function startFakeAppCluster(): Promise<FakeAppCluster> {
  const hostCaKeys = await generateKeyPair();
  const hostCaPem = selfSignedCa('test host CA', hostCaKeys);
  const userCaKeys = await generateKeyPair();
  const userCaPem = selfSignedCa('test user CA', userCaKeys);
  const serverKeys = await generateKeyPair();
  const serverCert = createCertificate({
    commonName: 'fake proxy',
    publicKey: serverKeys.publicKey,
    issuer: { certificate: hostCaPem, privateKey: hostCaKeys.privateKey },
    notAfter: new Date(Date.now() + 86_400_000),
    usage: 'server',
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
  });

  const appSockets = new Set<TLSSocket>();
  const cluster: FakeAppCluster = {
    addr: '',
    port: 0,
    hostCaPem,
    userCa: { certPem: userCaPem, keyPem: userCaKeys.privateKey },
    requests: [],
    rpcs: [],
    appCertTtlMs: 3_600_000,
    sessionGone: false,
    appConnections: 0,
    issueAppCert: (publicKey, ttlMs) =>
      createCertificate({
        commonName: 'alice',
        publicKey,
        issuer: { certificate: userCaPem, privateKey: userCaKeys.privateKey },
        notBefore: new Date(Date.now() - 1000),
        notAfter: new Date(Math.min(Date.now() + ttlMs, cluster.capNotAfter?.getTime() ?? Infinity)),
        usage: 'client',
      }),
    dropAppConnections: () => {
      for (const s of appSockets) s.destroy();
      appSockets.clear();
    },
    close: async () => {
      cluster.dropAppConnections();
      rpcServer.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const appServer = http.createServer({ keepAliveTimeout: 60_000 }, (req, res) => void onApp(req, res));
  async function onApp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const peer = (req.socket as TLSSocket).getPeerCertificate();
    const rec: RecordedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks), certSerial: peer.serialNumber ?? '' };
    cluster.requests.push(rec);
    if (cluster.respond?.(rec, res)) return;
    const text = rec.body.toString('utf8');
    if (/(^|&)Action=AssumeRole(&|$)/.test(text)) {
      const xml =
        '<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>' +
        '<AssumedRoleUser><AssumedRoleId>AROA:chained</AssumedRoleId><Arn>arn:aws:sts::123456789012:assumed-role/chained/s</Arn></AssumedRoleUser>' +
        `<Credentials><AccessKeyId>ASIACHAINED${randomUUID().replace(/-/g, '').slice(0, 9).toUpperCase()}</AccessKeyId><SecretAccessKey>chained/secret+key</SecretAccessKey>` +
        `<SessionToken>chained-token==</SessionToken><Expiration>${new Date(Date.now() + 3_600_000).toISOString()}</Expiration></Credentials>` +
        '</AssumeRoleResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></AssumeRoleResponse>';
      res.writeHead(200, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(xml) });
      res.end(xml);
      return;
    }
    const body = JSON.stringify({
      echo: { method: rec.method, url: rec.url, host: req.headers.host, bodySha256: createHash('sha256').update(rec.body).digest('hex'), certSerial: rec.certSerial },
      TableNames: [],
    });
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }

  const rpcServer = http.createServer((req, res) => void onRpc(req, res));
  async function onRpc(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const method = (req.url ?? '').replace('/v1/rpc/', '');
    const params = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
    cluster.rpcs.push({ method, params });
    const send = (status: number, data: unknown) => {
      const body = JSON.stringify(data);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    };
    const ttl = params.ttlMs && params.ttlMs > 0 ? Math.min(params.ttlMs, cluster.appCertTtlMs) : cluster.appCertTtlMs;
    if (method === 'appSessions.renew') {
      if (cluster.sessionGone) return send(404, { error: { code: 'NOT_FOUND', message: 'the app session has ended' } });
      const cert = cluster.issueAppCert(params.publicKey, ttl);
      return send(200, { cert, session: session(params.sessionId) });
    }
    if (method === 'appSessions.create') {
      cluster.sessionGone = false;
      const cert = cluster.issueAppCert(params.publicKey, ttl);
      return send(200, { cert, session: session(randomUUID()) });
    }
    send(404, { error: { code: 'NOT_FOUND', message: `no method ${method}` } });
  }

  const server = tls.createServer({
    key: serverKeys.privateKey,
    cert: serverCert,
    ca: [userCaPem],
    requestCert: true,
    rejectUnauthorized: false,
    ALPNProtocols: ['tsh-app-v1', 'http/1.1'],
  });
  server.on('secureConnection', (socket) => {
    socket.on('error', () => socket.destroy());
    if (socket.alpnProtocol === 'tsh-app-v1') {
      cluster.appConnections++;
      if (!socket.authorized) {
        socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
        return;
      }
      appSockets.add(socket);
      socket.once('close', () => appSockets.delete(socket));
      appServer.emit('connection', socket);
    } else rpcServer.emit('connection', socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cluster.port = (server.address() as { port: number }).port;
  cluster.addr = `127.0.0.1:${cluster.port}`;
  return cluster;
}

function session(id: string) {
  const now = new Date().toISOString();
  return { id, user: 'alice', app: 'aws', publicAddr: 'aws.example.com', awsRoleArn: 'arn:aws:iam::123456789012:role/reader', created: now, expires: now };
}

function selfSignedCa(name: string, keys: KeyPairPem): string {
  return createCertificate({ commonName: name, publicKey: keys.publicKey, selfKey: keys.privateKey, notAfter: new Date(Date.now() + 86_400_000), usage: 'ca' });
}

/** A TELEPORT_HOME logged into the fake cluster with an AWS app login. */
export interface TestHome {
  home: string;
  profile: Profile;
  ce: ClientEnv;
  /** Messages AppCredentials printed (ce.warn). */
  messages: string[];
  /** Rewrites the profile's login expiry (the login key stays). */
  setLoginValidUntil(date: Date): Promise<void>;
  cleanup(): Promise<void>;
}

/** Writes a profile with file-stored keys, a login and an app login of `appCertTtlMs`. */
export async function makeTestHome(
  cluster: FakeAppCluster,
  opts: {
    appCertTtlMs?: number;
    /** TTL that renewals ask for (the login's --ttl); default appCertTtlMs. Longer keeps renewed certificates clear of a loaded machine's delays. */
    renewTtlMs?: number;
    env?: NodeJS.ProcessEnv;
    apps?: string[];
  } = {},
): Promise<TestHome> {
  const home = await mkdtemp(join(tmpdir(), 'tsh-localproxy-test-'));
  const store = openFileStore({ home });
  const name = '127.0.0.1';
  const loginKeys = await generateKeyPair();
  await saveKeyPair(store, accounts.login(name, 'alice'), { key: loginKeys.privateKey, cert: cluster.issueAppCert(loginKeys.publicKey, 86_400_000) });
  // Several CAs in one file, the one that signed the proxy last: every certificate must be read.
  await writePrivateFile(paths.clusterCa(home, name, 'test'), cluster.userCa.certPem + cluster.hostCaPem);
  const profile: Profile = {
    name,
    webProxyAddr: cluster.addr,
    username: 'alice',
    cluster: 'test',
    roles: ['access'],
    traits: {},
    awsRoleArns: ['arn:aws:iam::123456789012:role/reader'],
    validUntil: new Date(Date.now() + 86_400_000).toISOString(),
    secretStore: 'file',
    apps: {},
  };
  const ttl = opts.appCertTtlMs ?? 3_600_000;
  for (const app of opts.apps ?? ['aws']) {
    const appKeys = await generateKeyPair();
    const cert = cluster.issueAppCert(appKeys.publicKey, ttl);
    await saveKeyPair(store, accounts.app(name, 'alice', 'test', app), { key: appKeys.privateKey, cert });
    const notAfter = new Date(Date.now() + ttl);
    await writeLocalCa({ store, keyAccount: accounts.localCaKey(name, 'alice', 'test', app), certPath: paths.localCaCert(home, name, 'alice', 'test', app), app, notAfter });
    profile.apps[app] = { name: app, sessionId: randomUUID(), publicAddr: `${app}.example.com`, awsRoleArn: 'arn:aws:iam::123456789012:role/reader', uri: 'https://console.aws.amazon.com', expires: notAfter.toISOString(), ttlMs: opts.renewTtlMs ?? ttl };
  }
  await writeProfile(home, profile);
  const messages: string[] = [];
  // A user with a region set, as most are (the region tests take it away).
  const ce = clientEnv({}, { PATH: process.env.PATH, TELEPORT_HOME: home, AWS_REGION: 'us-east-1', ...opts.env }, (m) => messages.push(m));
  return {
    home,
    profile,
    ce,
    messages,
    async setLoginValidUntil(date) {
      const { readProfile } = await import('../../src/client/profile/profile.js');
      const p = (await readProfile(home, name))!;
      p.validUntil = date.toISOString();
      await writeProfile(home, p);
    },
    cleanup: () => rm(home, { recursive: true, force: true }),
  };
}
