/**
 * The few DER building blocks our certificates need, over node-forge's ASN.1
 * module. forge's own certificate code only knows RSA keys; building the
 * structures here lets us use P-256 keys and sign with node:crypto (~0.5 ms
 * instead of forge's ~25 ms pure-JS RSA).
 */
import forge from 'node-forge';

const { asn1 } = forge;
/** A parsed or to-be-encoded ASN.1 node; the unit every helper here takes and returns. */
export type Asn1 = forge.asn1.Asn1;
/** ASN.1 tag classes, re-exported so readers of certificates can match context-specific tags without importing forge. */
export const Class = asn1.Class;
/** ASN.1 universal tag numbers, re-exported so readers can tell node types (UTCTime, UTF8String) apart without importing forge. */
export const Type = asn1.Type;

/** Bytes as forge's "binary string". */
export function bin(buf: Buffer | Uint8Array): string {
  return Buffer.from(buf).toString('binary');
}

/** forge's "binary string" as bytes. */
export function buf(binary: string): Buffer {
  return Buffer.from(binary, 'binary');
}

/** A SEQUENCE: the shape of certificates, names, algorithm identifiers and extensions. */
export function seq(items: Asn1[]): Asn1 {
  return asn1.create(Class.UNIVERSAL, Type.SEQUENCE, true, items);
}

/** A SET, used for the relative distinguished names inside a certificate subject. */
export function set(items: Asn1[]): Asn1 {
  return asn1.create(Class.UNIVERSAL, Type.SET, true, items);
}

/** An OBJECT IDENTIFIER from its dotted form (`2.5.4.3`), for algorithms, name attributes and extension ids. */
export function oid(dotted: string): Asn1 {
  return asn1.create(Class.UNIVERSAL, Type.OID, false, asn1.oidToDer(dotted).getBytes());
}

/** A UTF8String, used for subject names and for the JSON identity extension. */
export function utf8(text: string): Asn1 {
  return asn1.create(Class.UNIVERSAL, Type.UTF8, false, forge.util.encodeUtf8(text));
}

/** An OCTET STRING, which wraps every extension value and the subject key id. */
export function octets(bytes: Buffer): Asn1 {
  return asn1.create(Class.UNIVERSAL, Type.OCTETSTRING, false, bin(bytes));
}

/** A BOOLEAN, used for the critical flag of an extension and the CA flag of basic constraints. */
export function bool(value: boolean): Asn1 {
  return asn1.create(Class.UNIVERSAL, Type.BOOLEAN, false, value ? '\xff' : '\x00');
}

/** A non-negative INTEGER from big-endian bytes (a leading zero is added when the top bit is set). */
export function unsigned(bytes: Buffer): Asn1 {
  let b = bytes;
  while (b.length > 1 && b[0] === 0 && (b[1] & 0x80) === 0) b = b.subarray(1);
  if (b[0] & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return asn1.create(Class.UNIVERSAL, Type.INTEGER, false, bin(b));
}

/** A BIT STRING holding whole bytes (signatures, key bits). */
export function bits(bytes: Buffer, unusedBits = 0): Asn1 {
  return asn1.create(Class.UNIVERSAL, Type.BITSTRING, false, String.fromCharCode(unusedBits) + bin(bytes));
}

/** X.509 Time: UTCTime before 2050, GeneralizedTime from then on (RFC 5280 4.1.2.5). */
export function time(date: Date): Asn1 {
  if (date.getUTCFullYear() < 2050) return asn1.create(Class.UNIVERSAL, Type.UTCTIME, false, asn1.dateToUtcTime(date));
  return asn1.create(Class.UNIVERSAL, Type.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(date));
}

/** An explicitly tagged context-specific wrapper ([n] EXPLICIT). */
export function explicit(tag: number, inner: Asn1): Asn1 {
  return asn1.create(Class.CONTEXT_SPECIFIC, tag, true, [inner]);
}

/** An implicitly tagged primitive context-specific value ([n] IMPLICIT). */
export function implicit(tag: number, bytes: string): Asn1 {
  return asn1.create(Class.CONTEXT_SPECIFIC, tag, false, bytes);
}

/** Encodes a node to DER bytes, e.g. the to-be-signed part of a certificate before signing it. */
export function toDer(node: Asn1): Buffer {
  return buf(asn1.toDer(node).getBytes());
}

/** Parses DER bytes into a node tree; throws when the bytes are not valid DER. */
export function fromDer(der: Buffer): Asn1 {
  return asn1.fromDer(bin(der));
}

/** The dotted form of an OID node. */
export function readOid(node: Asn1): string {
  return asn1.derToOid(node.value as string);
}

/** Text of a string node (UTF8String, PrintableString, IA5String). */
export function readText(node: Asn1): string {
  const raw = node.value as string;
  return node.type === Type.UTF8 ? forge.util.decodeUtf8(raw) : raw;
}

/** An ASN.1 NULL, which RSA algorithm identifiers require as their parameters. */
export function asn1Null(): Asn1 {
  return asn1.create(Class.UNIVERSAL, Type.NULL, false, '');
}
