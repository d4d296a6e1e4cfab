// The fake AWS endpoint for `npm run bench`: an HTTPS server on 127.0.0.1:0,
// keep-alive on, started as its own process by bench/run.ts, which reads the
// port from the first stdout line ({"port":N}).
//
//   POST (any path)            one fixed GetItem-shaped JSON body (190 bytes), after reading the request
//   GET  /<bucket>/big-<N>     N bytes (a fixed pattern), streamed with Content-Length: a large S3 download
//   PUT  /<bucket>/<key>       reads the body (counting bytes and hashing it) and answers 200 with
//                              x-bench-received-bytes and x-bench-sha256: a large S3 upload
//   GET  /__stats              {"handshakes":[epoch ms, ...]}: when each TLS connection was set up,
//                              so the bench can count new connections inside a measured window
//   anything else              405
//
//   node bench/upstream.mjs <key.pem> <cert.pem>
import https from 'node:https';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

const [keyPath, certPath] = process.argv.slice(2);

/** A GetItem answer padded to exactly 190 bytes. */
function fixedBody() {
  const item = { Item: { pk: { S: 'bench#0001' }, sk: { N: '1' }, owner: { S: 'alice' }, state: { S: 'active' }, note: { S: '' } } };
  const base = JSON.stringify(item);
  item.Item.note.S = 'x'.repeat(190 - Buffer.byteLength(base));
  const out = Buffer.from(JSON.stringify(item));
  if (out.length !== 190) throw new Error(`body is ${out.length} bytes`);
  return out;
}
const body = fixedBody();
const headers = {
  'content-type': 'application/x-amz-json-1.0',
  'x-amzn-requestid': 'BENCHBENCHBENCHBENCHBENCHBENCHBENCHBENCHBENCHBENC',
  'x-amz-crc32': '1234567890',
  'content-length': String(body.length),
};
/** The download's bytes repeat this 1 MiB block (the last one cut short). */
const BLOCK = Buffer.alloc(1 << 20);
for (let i = 0; i < BLOCK.length; i++) BLOCK[i] = (i * 31 + 7) & 0xff;
const handshakes = [];

function download(res, size) {
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(size), etag: '"bench"' });
  let left = size;
  const more = () => {
    while (left > 0) {
      const n = Math.min(left, BLOCK.length);
      left -= n;
      if (!res.write(n === BLOCK.length ? BLOCK : BLOCK.subarray(0, n))) return void res.once('drain', more);
    }
    res.end();
  };
  more();
}

const server = https.createServer({ key: readFileSync(keyPath), cert: readFileSync(certPath), keepAliveTimeout: 120_000, noDelay: true }, (req, res) => {
  const big = req.method === 'GET' ? /^\/[^/]+\/big-(\d+)$/.exec(req.url ?? '') : null;
  if (big) {
    req.resume();
    return download(res, Number(big[1]));
  }
  if (req.method === 'GET' && req.url === '/__stats') {
    req.resume();
    const out = JSON.stringify({ handshakes });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(out) });
    return res.end(out);
  }
  if (req.method === 'PUT') {
    const hash = createHash('sha256');
    let bytes = 0;
    req.on('data', (d) => {
      bytes += d.length;
      hash.update(d);
    });
    req.on('end', () => {
      res.writeHead(200, { etag: '"bench"', 'x-bench-received-bytes': String(bytes), 'x-bench-sha256': hash.digest('hex'), 'content-length': '0' });
      res.end();
    });
    return;
  }
  if (req.method !== 'POST') {
    req.resume();
    res.writeHead(405, { 'content-length': '0' });
    res.end();
    return;
  }
  // Read the whole request, as a real endpoint does, then answer.
  req.on('data', () => {});
  req.on('end', () => {
    res.writeHead(200, headers);
    res.end(body);
  });
});
server.headersTimeout = 0;
server.requestTimeout = 0;
server.on('secureConnection', () => handshakes.push(Date.now()));
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ port: server.address().port, bodyBytes: body.length }) + '\n');
});
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  process.exit(0);
});
