import { X509Certificate } from 'node:crypto';
import { fromDer, readOid, readText, buf, Class, Type, type Asn1 } from './der.js';

/** An extension as found in a certificate. */
export interface CertificateExtension {
  critical: boolean;
  /** The extnValue contents (DER of the extension's own structure). */
  value: Buffer;
}

/** What our code reads out of a certificate. */
export interface ParsedCertificate {
  der: Buffer;
  commonName: string;
  organization: string[];
  notBefore: Date;
  notAfter: Date;
  serialHex: string;
  /** DER of the subject Name, reused verbatim as the issuer of certificates this one signs. */
  subjectNameDer: Asn1;
  subjectKeyId?: Buffer;
  extensions: Map<string, CertificateExtension>;
}

const OID_CN = '2.5.4.3';
const OID_O = '2.5.4.10';
const OID_SKI = '2.5.29.14';

/** PEM (one certificate) to DER. */
export function pemToDer(pem: string): Buffer {
  const m = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(pem);
  if (!m) throw new Error('not a PEM certificate');
  return Buffer.from(m[1].replace(/\s+/g, ''), 'base64');
}

/** DER to PEM. */
export function derToPem(der: Buffer): string {
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

/** Every certificate in a PEM bundle, in order. */
export function splitPemBundle(pem: string): string[] {
  return pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g)?.map((c) => (c.endsWith('\n') ? c : c + '\n')) ?? [];
}

/**
 * Reads the fields we use from a certificate, P-256 and RSA alike.
 *
 * Node's X509Certificate cannot show custom extensions, and forge's parser
 * refuses EC keys, so this walks the DER itself with forge's ASN.1 reader.
 */
export function readCertificate(input: string | Buffer): ParsedCertificate {
  const der = typeof input === 'string' ? pemToDer(input) : input;
  const cert = fromDer(der);
  const tbs = (cert.value as Asn1[])[0].value as Asn1[];
  let i = 0;
  if (tbs[0].tagClass === Class.CONTEXT_SPECIFIC && tbs[0].type === 0) i = 1;
  const serial = buf(tbs[i].value as string);
  const validity = tbs[i + 3].value as Asn1[];
  const subject = tbs[i + 4];
  const names = readName(subject);
  const extensions = new Map<string, CertificateExtension>();
  for (const field of tbs.slice(i + 6)) {
    if (field.tagClass !== Class.CONTEXT_SPECIFIC || field.type !== 3) continue;
    for (const ext of ((field.value as Asn1[])[0].value as Asn1[])) {
      const parts = ext.value as Asn1[];
      const critical = parts.length === 3 && (parts[1].value as string) !== '\x00';
      extensions.set(readOid(parts[0]), { critical, value: buf(parts[parts.length - 1].value as string) });
    }
  }
  let subjectKeyId: Buffer | undefined;
  const ski = extensions.get(OID_SKI);
  if (ski) subjectKeyId = buf(fromDer(ski.value).value as string);
  return {
    der,
    commonName: names.get(OID_CN)?.[0] ?? '',
    organization: names.get(OID_O) ?? [],
    notBefore: readTime(validity[0]),
    notAfter: readTime(validity[1]),
    serialHex: serial.toString('hex'),
    subjectNameDer: subject,
    subjectKeyId,
    extensions,
  };
}

function readName(name: Asn1): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const rdn of name.value as Asn1[]) {
    for (const atv of rdn.value as Asn1[]) {
      const [type, value] = atv.value as Asn1[];
      const key = readOid(type);
      out.set(key, [...(out.get(key) ?? []), readText(value)]);
    }
  }
  return out;
}

function readTime(node: Asn1): Date {
  const s = node.value as string;
  if (node.type === Type.UTCTIME) {
    const yy = Number(s.slice(0, 2));
    return new Date(Date.UTC(yy < 50 ? 2000 + yy : 1900 + yy, Number(s.slice(2, 4)) - 1, Number(s.slice(4, 6)), Number(s.slice(6, 8)), Number(s.slice(8, 10)), Number(s.slice(10, 12))));
  }
  return new Date(Date.UTC(Number(s.slice(0, 4)), Number(s.slice(4, 6)) - 1, Number(s.slice(6, 8)), Number(s.slice(8, 10)), Number(s.slice(10, 12)), Number(s.slice(12, 14))));
}

/**
 * True when `cert` carries a valid signature by `issuer`'s key and names it as
 * issuer. Checks no dates: callers compare notAfter with their own clock.
 */
export function isSignedBy(cert: string | Buffer, issuer: string | Buffer): boolean {
  try {
    const c = new X509Certificate(cert);
    const ca = new X509Certificate(issuer);
    return c.checkIssued(ca) && c.verify(ca.publicKey);
  } catch {
    return false;
  }
}
