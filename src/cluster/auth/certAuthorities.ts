/**
 * The cluster's two certificate authorities.
 *
 * The user CA signs user, app and admin certificates; the host CA signs the
 * proxy's and the agents' certificates (and, without https_keypairs, the
 * proxy's web certificate). Both are P-256 keys kept in the backend, created
 * on first start (by one instance, when several start at once) and kept
 * across restarts.
 */
import { createHash, createPublicKey } from 'node:crypto';
import { generateKeyPair } from '../../shared/pki/generateKeyPair.js';
import { createCertificate } from '../../shared/pki/createCertificate.js';
import { identityExtension, type Identity } from '../../shared/identity/identity.js';
import type { Backend, BatchOp } from '../storage/backend.js';
import { TshError, isCode } from '../../shared/errors.js';
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

const CA_TYPES = ['user', 'host'] as const;
const caKey = (type: CaType) => `/cas/${type}`;
const NAME_KEY = '/cluster/name';

/**
 * The cluster's identity: its name and both CAs, loaded, or on the first
 * start created in one transaction. When several instances start at once on
 * an empty backend, exactly one transaction wins and the others load what it
 * wrote, so every instance signs with the same CAs. A backend that belongs
 * to a cluster of another name is refused.
 */
export async function ensureCertAuthorities(backend: Backend, cluster: string, now: Date, where: string): Promise<Record<CaType, CertAuthority>> {
  for (let attempt = 0; ; attempt++) {
    const [name, ...stored] = await Promise.all([backend.get<string>(NAME_KEY), ...CA_TYPES.map((t) => backend.get<CertAuthority>(caKey(t)))]);
    if (name && name.value !== cluster) {
      throw new TshError('CONFIG', `the data in ${where} belongs to cluster "${name.value}", but the config names "${cluster}"`, {
        hint: `set auth_service.cluster_name to "${name.value}", or use another data_dir (or database)`,
      });
    }
    const cas = {} as Record<CaType, CertAuthority>;
    const ops: BatchOp[] = name ? [] : [{ op: 'create', key: NAME_KEY, value: cluster }];
    for (const [i, type] of CA_TYPES.entries()) {
      cas[type] = stored[i]?.value ?? (await newCertAuthority(type, cluster, now));
      if (!stored[i]) ops.push({ op: 'create', key: caKey(type), value: cas[type] });
    }
    if (ops.length === 0) return cas;
    try {
      await backend.batch(ops);
      return cas;
    } catch (err) {
      // Another instance created them first: load theirs (once; a second loss would be a bug).
      if (!isCode(err, 'ALREADY_EXISTS') || attempt > 0) throw err;
    }
  }
}

async function newCertAuthority(type: CaType, cluster: string, now: Date): Promise<CertAuthority> {
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
  return { type, cluster, certPem, keyPem: keys.privateKey };
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
