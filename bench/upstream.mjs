// The fake AWS endpoint for `npm run bench`: an HTTPS server on 127.0.0.1:0
// that answers every POST with one fixed GetItem-shaped JSON body (190 bytes),
// keep-alive on. Started as its own process by bench/run.ts, which reads the
// port from the first stdout line ({"port":N}). Other methods get 405.
//
//   node bench/upstream.mjs <key.pem> <cert.pem>
import https from 'node:https';
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

const server = https.createServer({ key: readFileSync(keyPath), cert: readFileSync(certPath), keepAliveTimeout: 120_000, noDelay: true }, (req, res) => {
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
let connections = 0;
server.on('secureConnection', () => connections++);
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ port: server.address().port, bodyBytes: body.length }) + '\n');
});
// The parent asks for the TLS connection count on stdin ("stats\n"); SIGTERM stops it.
process.stdin.on('data', (d) => {
  if (String(d).includes('stats')) process.stdout.write(JSON.stringify({ connections }) + '\n');
});
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  process.exit(0);
});
