/**
 * The cluster's two certificate authorities.
 *
 * The user CA signs user, app and admin certificates; the host CA signs the
 * proxy's and the agents' certificates (and, without https_keypairs, the
 * proxy's web certificate). Both are P-256 keys kept in the backend, created
 * on first start and kept across restarts.
 */
import { createHash, createPublicKey } from 'node:crypto';
import { generateKeyPair } from '../../shared/pki/generateKeyPair.js';
import { createCertificate } from '../../shared/pki/createCertificate.js';
import { identityExtension, type Identity } from '../../shared/identity/identity.js';
import type { Backend } from '../storage/backend.js';
import { VERSION } from '../../shared/version.js';

/** Which of the two CAs: `user` for people and their app sessions, `host` for cluster services. */
export type CaType = 'user' | 'host';

/** A CA as stored: its certificate and private key. */
export interface CertAuthority {
  type: CaType;
  cluster: string;
  certPem: string;
  keyPem: string;
}

/** CAs last ten years; rotation is a later concern. */
const CA_LIFETIME_MS = 10 * 365 * 86_400_000;

/** Loads both CAs, creating any that is missing (first start). */
export async function ensureCertAuthorities(backend: Backend, cluster: string, now: Date): Promise<Record<CaType, CertAuthority>> {
  const out = {} as Record<CaType, CertAuthority>;
  for (const type of ['user', 'host'] as const) {
    const key = `/cas/${type}`;
    const existing = await backend.get<CertAuthority>(key);
    if (existing) {
      out[type] = existing.value;
      continue;
    }
    const keys = await generateKeyPair();
    const certPem = createCertificate({
      commonName: cluster,
      organization: [`${type} CA`],
      publicKey: keys.publicKey,
      selfKey: keys.privateKey,
      notBefore: new Date(now.getTime() - 60_000),
      notAfter: new Date(now.getTime() + CA_LIFETIME_MS),
      usage: 'ca',
    });
    const ca: CertAuthority = { type, cluster, certPem, keyPem: keys.privateKey };
    try {
      await backend.create(key, ca);
      out[type] = ca;
    } catch {
      // Another auth instance sharing the backend created it first: use theirs.
      out[type] = (await backend.get<CertAuthority>(key))!.value;
    }
  }
  return out;
}

/** What to put in a certificate the cluster issues. */
export interface IssueRequest {
  identity: Identity;
  publicKey: string;
  notBefore?: Date;
  notAfter: Date;
  usage: 'client' | 'server' | 'both';
  dnsNames?: string[];
  ipAddresses?: string[];
}

/** Signs a certificate carrying an identity (see shared/identity for the encoding). */
export function issueCertificate(ca: CertAuthority, req: IssueRequest): string {
  return createCertificate({
    commonName: req.identity.username,
    organization: req.identity.roles,
    publicKey: req.publicKey,
    issuer: { certificate: ca.certPem, privateKey: ca.keyPem },
    notBefore: req.notBefore,
    notAfter: req.notAfter,
    usage: req.usage,
    dnsNames: req.dnsNames,
    ipAddresses: req.ipAddresses,
    extensions: [identityExtension({ ...req.identity, expires: req.notAfter.toISOString() })],
  });
}

/**
 * The CA pin printed by `tctl status` and checked by joining agents:
 * `sha256:` + hex SHA-256 of the host CA's SubjectPublicKeyInfo. It is the
 * host CA because that is the CA a joining agent must trust to verify the
 * proxy (and it is what Teleport pins).
 */
export function caPin(caCertPem: string): string {
  const spki = createPublicKey(caCertPem).export({ type: 'spki', format: 'der' });
  return `sha256:${createHash('sha256').update(spki).digest('hex')}`;
}

/** What `tctl status` shows: cluster name, version and the CA pin. */
export function clusterStatus(ctx: { clusterName: string; cas: Record<CaType, CertAuthority> }): { clusterName: string; version: string; caPin: string } {
  return { clusterName: ctx.clusterName, version: VERSION, caPin: caPin(ctx.cas.host.certPem) };
}
