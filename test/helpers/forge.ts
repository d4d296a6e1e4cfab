/**
 * Certificates a test makes on purpose: signed with the cluster's real user
 * CA (read from the data dir, as only someone with the cluster's disk could)
 * to model a stolen session id or an expired certificate, or by a CA of
 * another cluster.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { generateKeyPair } from '../../src/shared/pki/generateKeyPair.js';
import { createCertificate } from '../../src/shared/pki/createCertificate.js';
import { identityExtension, type Identity } from '../../src/shared/identity/identity.js';

/** The cluster's user CA (certificate and key) from its SQLite data. */
export function readUserCa(dataDir: string): { certPem: string; keyPem: string } {
  const db = new Database(join(dataDir, 'cluster.db'), { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare("SELECT value FROM kv WHERE key = '/cas/user'").get() as { value: string };
    return JSON.parse(row.value);
  } finally {
    db.close();
  }
}

/** An app certificate with a chosen identity and validity, signed by `ca` (or a fresh CA of nowhere). */
export async function forgeAppCert(identity: Identity, opts: { ca?: { certPem: string; keyPem: string }; notBefore?: Date; notAfter: Date }): Promise<{ key: string; cert: string }> {
  let ca = opts.ca;
  if (!ca) {
    const k = await generateKeyPair();
    ca = { keyPem: k.privateKey, certPem: createCertificate({ commonName: identity.cluster, organization: ['user CA'], publicKey: k.publicKey, selfKey: k.privateKey, notAfter: new Date(Date.now() + 86400e3), usage: 'ca' }) };
  }
  const keys = await generateKeyPair();
  const cert = createCertificate({
    commonName: identity.username,
    publicKey: keys.publicKey,
    issuer: { certificate: ca.certPem, privateKey: ca.keyPem },
    notBefore: opts.notBefore ?? new Date(Date.now() - 3600e3),
    notAfter: opts.notAfter,
    usage: 'client',
    extensions: [identityExtension({ ...identity, expires: opts.notAfter.toISOString() })],
  });
  return { key: keys.privateKey, cert };
}
