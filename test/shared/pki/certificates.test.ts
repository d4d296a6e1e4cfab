import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { generateKeyPair } from '../../../src/shared/pki/generateKeyPair.js';
import { createCertificate } from '../../../src/shared/pki/createCertificate.js';
import { isSignedBy, readCertificate } from '../../../src/shared/pki/readCertificate.js';
import { identityExtension, readIdentity, type Identity } from '../../../src/shared/identity/identity.js';

async function ca() {
  const k = await generateKeyPair();
  return { keyPem: k.privateKey, certPem: createCertificate({ commonName: 'test CA', publicKey: k.publicKey, selfKey: k.privateKey, notAfter: new Date(Date.now() + 86400e3), usage: 'ca' }) };
}

test('leaf certificates pass OpenSSL strict verification (the profile Python 3.13 enforces)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'pki-'));
  try {
    const c = await ca();
    const k = await generateKeyPair();
    const leaf = createCertificate({ commonName: 'dynamodb.us-east-1.amazonaws.com', publicKey: k.publicKey, issuer: { certificate: c.certPem, privateKey: c.keyPem }, notAfter: new Date(Date.now() + 3600e3), usage: 'server', dnsNames: ['dynamodb.us-east-1.amazonaws.com'] });
    await writeFile(join(dir, 'ca.pem'), c.certPem);
    await writeFile(join(dir, 'leaf.pem'), leaf);
    const out = execFileSync('openssl', ['verify', '-x509_strict', '-purpose', 'sslserver', '-CAfile', join(dir, 'ca.pem'), join(dir, 'leaf.pem')]).toString();
    assert.match(out, /leaf\.pem: OK/);
    const other = await ca();
    assert.equal(isSignedBy(leaf, c.certPem), true);
    assert.equal(isSignedBy(leaf, other.certPem), false);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the identity extension round-trips, unicode included, and a TLS server can read it', async () => {
  const c = await ca();
  const identity: Identity = { kind: 'app', username: 'zoë', cluster: 'c', roles: ['access'], traits: { team: ['plätze'] }, awsRoleArns: ['arn:aws:iam::1:role/a'], expires: '', app: { name: 'aws', publicAddr: 'aws.x', sessionId: 's', awsRoleArn: 'arn:aws:iam::1:role/a' } };
  const k = await generateKeyPair();
  const notAfter = new Date(Date.now() + 3600e3);
  const cert = createCertificate({ commonName: 'zoë', publicKey: k.publicKey, issuer: { certificate: c.certPem, privateKey: c.keyPem }, notAfter, usage: 'client', extensions: [identityExtension({ ...identity, expires: notAfter.toISOString() })] });
  assert.deepEqual(readIdentity(cert), { ...identity, expires: notAfter.toISOString() });
  assert.equal(readCertificate(cert).commonName, 'zoë');

  const sk = await generateKeyPair();
  const serverCert = createCertificate({ commonName: 'localhost', publicKey: sk.publicKey, issuer: { certificate: c.certPem, privateKey: c.keyPem }, notAfter, usage: 'server', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
  const server = tls.createServer({ key: sk.privateKey, cert: serverCert, ca: [c.certPem], requestCert: true, rejectUnauthorized: true }, (s) => {
    s.end(JSON.stringify(readIdentity(s.getPeerCertificate(true).raw)));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const got = await new Promise<string>((resolve, reject) => {
    const s = tls.connect({ host: '127.0.0.1', port, key: k.privateKey, cert, ca: [c.certPem] });
    let data = '';
    s.on('data', (d) => (data += d));
    s.on('end', () => resolve(data));
    s.on('error', reject);
  });
  server.close();
  assert.equal(JSON.parse(got).username, 'zoë');
});
