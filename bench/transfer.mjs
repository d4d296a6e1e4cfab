// One large S3-shaped transfer for `npm run bench`, in its own process (plain
// node, undici): a GET of `bytes` bytes (the fake upstream streams them) or a
// PUT of `bytes` bytes (UNSIGNED-PAYLOAD, generated as it is sent), direct to
// the upstream or through an HTTPS_PROXY (CONNECT to the S3 host, TLS checked
// against the given CA). Prints one JSON line: bytes, seconds, ok, error.
//
//   node bench/transfer.mjs '<json config>'
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { SignatureV4 } from '@smithy/signature-v4';
import { Hash } from '@smithy/hash-node';
import { Pool, ProxyAgent } from 'undici';

const cfg = JSON.parse(process.argv[2]);
const HOST = 's3.us-east-1.amazonaws.com';
const ca = readFileSync(cfg.caFile);
const EMPTY = createHash('sha256').digest('hex');

async function sign(method, path, extra) {
  const signer = new SignatureV4({ credentials: cfg.credentials, region: 'us-east-1', service: 's3', sha256: Hash.bind(null, 'sha256'), uriEscapePath: false });
  const signed = await signer.sign({ method, protocol: 'https:', hostname: HOST, path, query: {}, headers: { host: HOST, ...extra } });
  return signed.headers;
}

/** `bytes` bytes in 1 MiB pieces, made as they are read. */
function generated(bytes) {
  const block = Buffer.alloc(1 << 20, 0x61);
  let left = bytes;
  return new Readable({
    read() {
      if (left <= 0) return void this.push(null);
      const n = Math.min(left, block.length);
      left -= n;
      this.push(n === block.length ? block : block.subarray(0, n));
    },
  });
}

const dispatcher = cfg.mode === 'direct'
  ? new Pool(`https://${cfg.upstream.host}:${cfg.upstream.port}`, { connect: { ca, servername: 'localhost', checkServerIdentity: () => undefined } })
  : new ProxyAgent({ uri: `http://${cfg.proxy.host}:${cfg.proxy.port}`, requestTls: { ca, servername: HOST } });
const origin = cfg.mode === 'direct' ? undefined : `https://${HOST}`;
const out = { kind: cfg.kind, bytes: 0, seconds: NaN, ok: false, error: undefined };
try {
  const t0 = performance.now();
  if (cfg.kind === 'download') {
    const path = `/bench-bucket/big-${cfg.bytes}`;
    const headers = await sign('GET', path, { 'x-amz-content-sha256': EMPTY });
    const res = await dispatcher.request({ origin, path, method: 'GET', headers });
    for await (const chunk of res.body) out.bytes += chunk.length;
    out.seconds = (performance.now() - t0) / 1000;
    out.ok = res.statusCode === 200 && out.bytes === cfg.bytes;
    if (!out.ok) out.error = `HTTP ${res.statusCode}, ${out.bytes} bytes`;
  } else {
    const path = '/bench-bucket/upload';
    const headers = await sign('PUT', path, { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'content-length': String(cfg.bytes), 'content-type': 'application/octet-stream' });
    const res = await dispatcher.request({ origin, path, method: 'PUT', headers, body: generated(cfg.bytes) });
    const text = await res.body.text();
    out.seconds = (performance.now() - t0) / 1000;
    out.bytes = Number(res.headers['x-bench-received-bytes'] ?? 0);
    out.ok = res.statusCode === 200 && out.bytes === cfg.bytes;
    if (!out.ok) out.error = `HTTP ${res.statusCode}, upstream received ${out.bytes} bytes ${text.slice(0, 300)}`;
  }
} catch (err) {
  out.error = String(err?.message ?? err);
}
await dispatcher.close().catch(() => {});
process.stdout.write(JSON.stringify(out) + '\n');
