// The load generator for `npm run bench`, run as its own process (plain node,
// no loader) so its CPU never mixes with what it measures.
//
//   node bench/loadgen.mjs '<json config>'     -> one JSON line on stdout
//
// C workers, each with one keep-alive HTTPS connection and one request in
// flight at a time (HTTP/1.1, no pipelining). Every request is the same
// 309-byte DynamoDB GetItem POST, signed once up front with SigV4 (the keys
// given: the fake ones `tsh proxy aws` printed, or any for direct). In proxy
// mode each connection is a CONNECT tunnel through the given HTTPS_PROXY to
// dynamodb.us-east-1.amazonaws.com:443, with TLS checked against the given CA
// (the local CA); in direct mode it goes straight to the fake upstream.
//
// The HTTP client is undici by default (`client: 'undici'`: a Pool direct,
// a ProxyAgent through HTTPS_PROXY), the stock client the reference chains
// were measured with, so every ratio compares with theirs. `client: 'raw'`
// is a minimal one written for this (prepared request bytes, status line,
// Content-Length or chunked body) that costs the least CPU per request;
// `client: 'node'` is Node's https.Agent.
//
// Timeline: connect all C, warm up for warmupMs, then a measured window of
// measureMs. At both edges it reads /proc/<pid>/stat (utime+stime) of every
// pid it was given, and /proc/stat for the whole machine, so CPU is counted
// over exactly the window in which requests were counted (a request counts
// when its response completes inside the window). It also reads the
// machine's TCP table (/proc/net/tcp) at both edges: for each leg of the
// chain (the port its next hop listens on) the established connections, and
// how many were opened inside the window (0 on every leg = keep-alive held).
import net from 'node:net';
import tls from 'node:tls';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { SignatureV4 } from '@smithy/signature-v4';
import { Hash } from '@smithy/hash-node';
import { Pool, ProxyAgent } from 'undici';

const cfg = JSON.parse(process.argv[2]);
const AWS_HOST = cfg.awsHost ?? 'dynamodb.us-east-1.amazonaws.com';
const ca = readFileSync(cfg.caFile);

// ---------- the request, signed once ----------

function requestBody() {
  const req = {
    TableName: 'bench-items',
    Key: { pk: { S: 'bench#0001' }, sk: { N: '1' } },
    ConsistentRead: false,
    ProjectionExpression: '#o, #s, #n',
    ExpressionAttributeNames: { '#o': 'owner', '#s': 'state', '#n': 'note' },
    ReturnConsumedCapacity: 'NONE',
    Pad: '',
  };
  const base = Buffer.byteLength(JSON.stringify(req));
  req.Pad = 'p'.repeat(Math.max(0, 309 - base));
  return Buffer.from(JSON.stringify(req));
}

async function signedRequestBytes() {
  const body = requestBody();
  const signer = new SignatureV4({
    credentials: { accessKeyId: cfg.credentials.accessKeyId, secretAccessKey: cfg.credentials.secretAccessKey },
    region: 'us-east-1',
    service: 'dynamodb',
    sha256: Hash.bind(null, 'sha256'),
  });
  // Signed as the SDKs sign (smithy: the body's hash in x-amz-content-sha256, signed), without Content-Length
  // among the signed headers: the Go chain's signer takes the length from the request it builds, not the
  // header, so a signed Content-Length would fail its check. botocore signs no Content-Length either.
  const headers = {
    host: AWS_HOST,
    'content-type': 'application/x-amz-json-1.0',
    'x-amz-target': 'DynamoDB_20120810.GetItem',
    'x-amz-content-sha256': createHash('sha256').update(body).digest('hex'),
  };
  const signed = await signer.sign({ method: 'POST', protocol: 'https:', hostname: AWS_HOST, path: '/', query: {}, headers, body });
  signed.headers['content-length'] = String(body.length);
  let head = 'POST / HTTP/1.1\r\n';
  for (const [k, v] of Object.entries(signed.headers)) head += `${k}: ${v}\r\n`;
  head += 'connection: keep-alive\r\n\r\n';
  return { bytes: Buffer.concat([Buffer.from(head, 'latin1'), body]), bodyBytes: body.length, headers: signed.headers, body };
}

// ---------- /proc readings ----------

function procTicks(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]); // utime + stime, in clock ticks
  } catch {
    return NaN;
  }
}

function machineTicks() {
  const line = readFileSync('/proc/stat', 'latin1').split('\n', 1)[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line;
  return { task: user + nice + system, irq: irq + softirq, steal, idle: idle + iowait, total: line.slice(0, 8).reduce((a, b) => a + b, 0) };
}

/** Client ends of established loopback TCP connections, by the port they connect to: Map<port, Set<local port>>. */
function tcpClients() {
  const byPort = new Map();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(file, 'latin1');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 4 || f[3] !== '01') continue; // ESTABLISHED
      const local = parseInt(f[1].split(':')[1], 16);
      const remote = parseInt(f[2].split(':')[1], 16);
      if (!byPort.has(remote)) byPort.set(remote, new Set());
      byPort.get(remote).add(local);
    }
  }
  return byPort;
}

function snapshot() {
  const procs = {};
  for (const [label, pid] of Object.entries(cfg.pids ?? {})) procs[label] = procTicks(pid);
  procs.loadgen = procTicks(process.pid);
  return { at: performance.now(), epochMs: Date.now(), procs, machine: machineTicks(), tcp: cfg.legs ? tcpClients() : new Map() };
}

/** Per leg: connections open at the window's end, and how many of them were opened inside it. */
function legConnections(start, end) {
  const out = {};
  for (const [leg, port] of Object.entries(cfg.legs ?? {})) {
    const a = start.tcp.get(port) ?? new Set();
    const b = end.tcp.get(port) ?? new Set();
    let opened = 0;
    for (const p of b) if (!a.has(p)) opened++;
    out[leg] = { open: b.size, opened };
  }
  return out;
}

// ---------- connections ----------

function openTls() {
  return new Promise((resolve, reject) => {
    const onTls = (socket) => {
      socket.once('secureConnect', () => {
        socket.off('error', reject);
        resolve(socket);
      });
      socket.once('error', reject);
    };
    if (cfg.mode === 'direct') {
      const s = tls.connect({ host: cfg.upstream.host, port: cfg.upstream.port, ca, ALPNProtocols: ['http/1.1'] });
      s.setNoDelay(true);
      onTls(s);
      return;
    }
    const raw = net.connect({ host: cfg.proxy.host, port: cfg.proxy.port, noDelay: true });
    raw.once('error', reject);
    raw.once('connect', () => raw.write(`CONNECT ${AWS_HOST}:443 HTTP/1.1\r\nHost: ${AWS_HOST}:443\r\n\r\n`));
    let head = Buffer.alloc(0);
    const onData = (d) => {
      head = Buffer.concat([head, d]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      raw.off('data', onData);
      raw.off('error', reject);
      const status = head.subarray(9, 12).toString('latin1');
      if (status !== '200') return reject(new Error(`CONNECT answered ${head.subarray(0, end).toString('latin1').split('\r\n')[0]}`));
      if (end + 4 < head.length) raw.unshift(head.subarray(end + 4));
      onTls(tls.connect({ socket: raw, servername: AWS_HOST, ca, ALPNProtocols: ['http/1.1'] }));
    };
    raw.on('data', onData);
  });
}

/** One keep-alive connection with one request in flight; resolves each response as {status, bytes}. */
class Conn {
  constructor(socket) {
    this.socket = socket;
    this.pending = undefined;
    this.reset();
    socket.on('data', (d) => this.onData(d));
    const fail = (err) => {
      this.dead = true;
      const p = this.pending;
      this.pending = undefined;
      p?.reject(err ?? new Error('connection closed'));
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed by peer')));
  }

  reset() {
    this.buf = null;
    this.headDone = false;
    this.status = 0;
    this.remaining = -1;
    this.chunked = false;
    this.bodyBytes = 0;
    this.chunkBuf = null;
  }

  send(bytes) {
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.socket.write(bytes);
    });
  }

  finish() {
    const p = this.pending;
    const out = { status: this.status, bytes: this.bodyBytes };
    this.pending = undefined;
    this.reset();
    p?.resolve(out);
  }

  onData(d) {
    if (!this.headDone) {
      this.buf = this.buf ? Buffer.concat([this.buf, d]) : d;
      const end = this.buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = this.buf.subarray(0, end).toString('latin1');
      this.status = Number(head.slice(9, 12));
      const lower = head.toLowerCase();
      const cl = /\r\ncontent-length:\s*(\d+)/.exec(lower);
      this.chunked = /\r\ntransfer-encoding:[^\r]*chunked/.test(lower);
      this.remaining = cl ? Number(cl[1]) : this.chunked ? -1 : 0;
      this.headDone = true;
      d = this.buf.subarray(end + 4);
      this.buf = null;
    }
    if (this.chunked) {
      this.chunkBuf = this.chunkBuf ? Buffer.concat([this.chunkBuf, d]) : d;
      const total = chunkedComplete(this.chunkBuf);
      if (total >= 0) {
        this.bodyBytes = total;
        this.finish();
      }
      return;
    }
    this.bodyBytes += d.length;
    this.remaining -= d.length;
    if (this.remaining <= 0) this.finish();
  }
}

/** Payload bytes of a complete chunked body, or -1 while it is incomplete. */
function chunkedComplete(b) {
  let i = 0;
  let total = 0;
  for (;;) {
    const eol = b.indexOf('\r\n', i);
    if (eol < 0) return -1;
    const size = parseInt(b.subarray(i, eol).toString('latin1'), 16);
    if (Number.isNaN(size)) return -1;
    if (size === 0) return b.indexOf('\r\n\r\n', eol) >= 0 || b.length >= eol + 4 ? total : -1;
    i = eol + 2 + size + 2;
    if (i > b.length) return -1;
    total += size;
  }
}

// ---------- Node's own client (--client node): https.Agent, keep-alive ----------

/** https.Agent whose connections are CONNECT tunnels through the proxy, with TLS to the AWS host inside. */
class TunnelAgent extends https.Agent {
  createConnection(_options, callback) {
    openTls().then((s) => callback(null, s), (err) => callback(err));
    return undefined;
  }
}

function nodeAgent() {
  const common = { keepAlive: true, maxSockets: cfg.concurrency, maxFreeSockets: cfg.concurrency, scheduling: 'lifo' };
  return cfg.mode === 'direct' ? new https.Agent({ ...common, ca, servername: 'localhost' }) : new TunnelAgent(common);
}

function nodeRequest(agent, signed) {
  return new Promise((resolve, reject) => {
    const req = https.request(
      cfg.mode === 'direct'
        ? { agent, host: cfg.upstream.host, port: cfg.upstream.port, servername: 'localhost', method: 'POST', path: '/', headers: signed.headers }
        : { agent, host: AWS_HOST, port: 443, method: 'POST', path: '/', headers: signed.headers },
      (res) => {
        let bytes = 0;
        res.on('data', (d) => (bytes += d.length));
        res.on('end', () => resolve({ status: res.statusCode, bytes }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(signed.body);
  });
}

// ---------- undici (--client undici, the default): Pool direct, ProxyAgent through the proxy ----------

function undiciDispatcher() {
  if (cfg.mode === 'direct') {
    // undici checks the certificate against the Host header (the AWS host): check the chain only, as the anchors' inner legs do.
    return new Pool(`https://${cfg.upstream.host}:${cfg.upstream.port}`, { connections: cfg.concurrency, pipelining: 1, connect: { ca, servername: 'localhost', checkServerIdentity: () => undefined } });
  }
  return new ProxyAgent({ uri: `http://${cfg.proxy.host}:${cfg.proxy.port}`, connections: cfg.concurrency, pipelining: 1, requestTls: { ca, servername: AWS_HOST } });
}

async function undiciRequest(dispatcher, signed) {
  const res = await dispatcher.request({ origin: cfg.mode === 'direct' ? undefined : `https://${AWS_HOST}`, path: '/', method: 'POST', headers: signed.headers, body: signed.body });
  const b = await res.body.arrayBuffer();
  return { status: res.statusCode, bytes: b.byteLength };
}

// ---------- the run ----------

const signed = await signedRequestBytes();
const { bytes, bodyBytes: requestBytes } = signed;
const C = cfg.concurrency;
const client = cfg.client ?? 'undici';
let measuring = false;
let stopping = false;
let count = 0;
let errors = 0;
let wrongBody = 0;
let warmupErrors = 0;
let reconnects = 0;
const statuses = {};
const errorSamples = [];
const latencies = [];

function noteError(msg) {
  errors++;
  if (errorSamples.length < 5) errorSamples.push(msg);
}

function record(r, t0, t1) {
  if (!measuring) {
    if (r.status !== 200 && !stopping) warmupErrors++;
    return;
  }
  count++;
  latencies.push(t1 - t0);
  statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  if (r.status !== 200) noteError(`HTTP ${r.status}`);
  else if (cfg.expectBodyBytes && r.bytes !== cfg.expectBodyBytes) {
    wrongBody++;
    noteError(`body of ${r.bytes} bytes, expected ${cfg.expectBodyBytes}`);
  }
}

function recordFailure(err) {
  if (stopping) return;
  if (measuring) noteError(err.message);
  else warmupErrors++;
}

async function worker(first) {
  let conn = new Conn(first);
  while (!stopping) {
    if (conn.dead) {
      try {
        conn = new Conn(await openTls());
        reconnects++;
      } catch (err) {
        recordFailure(new Error(`reconnect: ${err.message}`));
        await new Promise((r) => setTimeout(r, 10));
        continue;
      }
    }
    const t0 = performance.now();
    try {
      const r = await conn.send(bytes);
      record(r, t0, performance.now());
    } catch (err) {
      recordFailure(err);
    }
  }
  conn.socket.destroy();
}

async function pooledWorker(send) {
  while (!stopping) {
    const t0 = performance.now();
    try {
      const r = await send();
      record(r, t0, performance.now());
    } catch (err) {
      recordFailure(err);
    }
  }
}

const connectStarted = performance.now();
const sockets = [];
let agent;
try {
  if (client === 'node') agent = nodeAgent();
  else if (client === 'undici') agent = undiciDispatcher();
  // Open connections in small groups: a burst of 128 CONNECTs at once is not what a client pool does.
  else for (let i = 0; i < C; i += 16) {
    sockets.push(...(await Promise.all(Array.from({ length: Math.min(16, C - i) }, () => openTls()))));
  }
} catch (err) {
  process.stdout.write(JSON.stringify({ fatal: `connecting: ${err.message}` }) + '\n');
  process.exit(2);
}
const connectMs = performance.now() - connectStarted;
const send = client === 'node' ? () => nodeRequest(agent, signed) : () => undiciRequest(agent, signed);
const workers = client === 'raw' ? sockets.map((s) => worker(s)) : Array.from({ length: C }, () => pooledWorker(send));
await new Promise((r) => setTimeout(r, cfg.warmupMs));
const start = snapshot();
measuring = true;
await new Promise((r) => setTimeout(r, cfg.measureMs));
measuring = false;
const end = snapshot();
stopping = true;
await Promise.race([Promise.all(workers), new Promise((r) => setTimeout(r, 3000))]);
await Promise.race([agent?.destroy(), new Promise((r) => setTimeout(r, 1000))]);

latencies.sort((a, b) => a - b);
const q = (p) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] : NaN);
const seconds = (end.at - start.at) / 1000;
const cpuTicks = {};
for (const k of Object.keys(end.procs)) cpuTicks[k] = end.procs[k] - start.procs[k];
const machine = {};
for (const k of Object.keys(end.machine)) machine[k] = end.machine[k] - start.machine[k];
process.stdout.write(
  JSON.stringify({
    mode: cfg.mode,
    client,
    concurrency: C,
    requestBytes,
    seconds,
    connectMs,
    requests: count,
    rps: count / seconds,
    errors,
    warmupErrors,
    wrongBody,
    reconnects,
    statuses,
    errorSamples,
    latencyMs: { p50: q(0.5), p90: q(0.9), p99: q(0.99), p999: q(0.999), max: latencies[latencies.length - 1] ?? NaN, mean: latencies.reduce((a, b) => a + b, 0) / (latencies.length || 1) },
    cpuTicks,
    window: { startMs: start.epochMs, endMs: end.epochMs },
    legs: legConnections(start, end),
    // Raw readings at the end of the window, so the caller can measure work the chain does after it.
    endTicks: end.procs,
    machineTicks: machine,
  }) + '\n',
);
process.exit(0);
