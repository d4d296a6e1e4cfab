import { createHash, createPrivateKey, createPublicKey, randomBytes, sign } from 'node:crypto';
import * as d from './der.js';
import { readCertificate } from './readCertificate.js';

/** A private extension we add (the identity a certificate carries). */
export interface CustomExtension {
  oid: string;
  /** DER of the extension value. */
  value: Buffer;
  critical?: boolean;
}

/** Everything that goes into a certificate we issue. */
export interface CertificateRequest {
  commonName: string;
  organization?: string[];
  /** SPKI PEM of the subject's key. */
  publicKey: string;
  /** The CA that signs; omit for a self-signed certificate (then `selfKey` is required). */
  issuer?: { certificate: string; privateKey: string };
  /** Private key of a self-signed certificate. */
  selfKey?: string;
  notBefore?: Date;
  notAfter: Date;
  /** ca: may sign certificates; server/client/both: TLS leaf usages. */
  usage: 'ca' | 'server' | 'client' | 'both';
  dnsNames?: string[];
  ipAddresses?: string[];
  extensions?: CustomExtension[];
}

const OID = {
  cn: '2.5.4.3',
  o: '2.5.4.10',
  ecdsaSha256: '1.2.840.10045.4.3.2',
  rsaSha256: '1.2.840.113549.1.1.11',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  subjectKeyId: '2.5.29.14',
  authorityKeyId: '2.5.29.35',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
};

/**
 * Builds and signs an X.509 v3 certificate; returns PEM.
 *
 * The profile is the one strict verifiers accept (OpenSSL -x509_strict,
 * Python 3.13's VERIFY_X509_STRICT): CAs carry a critical basicConstraints,
 * a critical keyUsage and a subject key id; leaves carry SANs, extKeyUsage
 * and an authority key id equal to the *issuer's* subject key id. The
 * signature is made by node:crypto over DER built here.
 */
export function createCertificate(req: CertificateRequest): string {
  const signerKey = createPrivateKey(req.issuer?.privateKey ?? req.selfKey ?? '');
  if (!req.issuer && !req.selfKey) throw new Error('a certificate needs an issuer or a self key');
  const spkiDer = createPublicKey(req.publicKey).export({ type: 'spki', format: 'der' });
  const subjectKeyId = keyIdOf(spkiDer);
  const subjectName = nameOf(req.commonName, req.organization ?? []);
  let issuerName = subjectName;
  let authorityKeyId = subjectKeyId;
  if (req.issuer) {
    const ca = readCertificate(req.issuer.certificate);
    issuerName = ca.subjectNameDer;
    authorityKeyId = ca.subjectKeyId ?? keyIdOf(createPublicKey(req.issuer.privateKey).export({ type: 'spki', format: 'der' }));
  }
  const algorithm = signerKey.asymmetricKeyType === 'ec' ? d.seq([d.oid(OID.ecdsaSha256)]) : d.seq([d.oid(OID.rsaSha256), d.asn1Null()]);
  const serial = randomBytes(16);
  serial[0] = (serial[0] & 0x7f) | 0x40;
  const notBefore = req.notBefore ?? new Date(Date.now() - 60_000);

  const exts: d.Asn1[] = [];
  const ext = (id: string, critical: boolean, value: d.Asn1 | Buffer) =>
    exts.push(d.seq([d.oid(id), ...(critical ? [d.bool(true)] : []), d.octets(Buffer.isBuffer(value) ? value : d.toDer(value))]));
  if (req.usage === 'ca') {
    ext(OID.basicConstraints, true, d.seq([d.bool(true)]));
    // keyCertSign | cRLSign | digitalSignature
    ext(OID.keyUsage, true, d.bits(Buffer.from([0x86]), 1));
    ext(OID.subjectKeyId, false, d.octets(subjectKeyId));
  } else {
    ext(OID.basicConstraints, true, d.seq([]));
    const rsa = createPublicKey(req.publicKey).asymmetricKeyType === 'rsa';
    ext(OID.keyUsage, true, rsa ? d.bits(Buffer.from([0xa0]), 5) : d.bits(Buffer.from([0x80]), 7));
    const purposes = req.usage === 'server' ? [OID.serverAuth] : req.usage === 'client' ? [OID.clientAuth] : [OID.serverAuth, OID.clientAuth];
    ext(OID.extKeyUsage, false, d.seq(purposes.map(d.oid)));
    ext(OID.subjectKeyId, false, d.octets(subjectKeyId));
  }
  ext(OID.authorityKeyId, false, d.seq([d.implicit(0, d.bin(authorityKeyId))]));
  const altNames = [
    ...(req.dnsNames ?? []).map((n) => d.implicit(2, n)),
    ...(req.ipAddresses ?? []).map((ip) => d.implicit(7, d.bin(ipBytes(ip)))),
  ];
  if (altNames.length) ext(OID.subjectAltName, false, d.seq(altNames));
  for (const e of req.extensions ?? []) ext(e.oid, e.critical ?? false, e.value);

  const tbs = d.seq([
    d.explicit(0, d.unsigned(Buffer.from([2]))),
    d.unsigned(serial),
    algorithm,
    issuerName,
    d.seq([d.time(notBefore), d.time(req.notAfter)]),
    subjectName,
    d.fromDer(spkiDer),
    d.explicit(3, d.seq(exts)),
  ]);
  const tbsDer = d.toDer(tbs);
  const signature = sign('sha256', tbsDer, signerKey);
  const cert = d.seq([d.fromDer(tbsDer), algorithm, d.bits(signature)]);
  const b64 = d.toDer(cert).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

/** RFC 5280 method 1: SHA-1 of the subjectPublicKey bits. */
function keyIdOf(spkiDer: Buffer): Buffer {
  const spki = d.fromDer(spkiDer).value as d.Asn1[];
  const keyBits = d.buf(spki[1].value as string).subarray(1);
  return createHash('sha1').update(keyBits).digest();
}

function nameOf(commonName: string, organization: string[]): d.Asn1 {
  const rdns = organization.map((o) => d.set([d.seq([d.oid(OID.o), d.utf8(o)])]));
  rdns.push(d.set([d.seq([d.oid(OID.cn), d.utf8(commonName)])]));
  return d.seq(rdns);
}

function ipBytes(ip: string): Buffer {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(ip)) return Buffer.from(ip.split('.').map(Number));
  // IPv6: expand "::" and write 8 groups.
  const [head, tail] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g || '0', 16), i * 2));
  return out;
}
