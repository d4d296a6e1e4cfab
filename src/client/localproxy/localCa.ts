/**
 * The local CA of one app login: it signs the certificates the local proxy
 * shows to AWS clients for `dynamodb.us-east-1.amazonaws.com` and friends,
 * and its certificate is the AWS_CA_BUNDLE those clients trust.
 *
 * Its key lives in the secret store (the OS keychain when usable); its
 * certificate is a 0600 file under TELEPORT_HOME; it is valid no longer
 * than the app certificate and renewed with it. Nothing else trusts it:
 * it is only as strong as the user's own account.
 */
import { createCertificate } from '../../shared/pki/createCertificate.js';
import { generateKeyPair, generateKeyPairNow, type KeyPairPem } from '../../shared/pki/generateKeyPair.js';
import { readCertificate } from '../../shared/pki/readCertificate.js';
import { writePrivateFile } from '../profile/writePrivateFile.js';
import type { SecretStore } from '../keystore/secretStore.js';

/** A local CA as the proxy uses it: certificate and key (PEM) and when it ends. */
export interface LocalCa {
  certPem: string;
  keyPem: string;
  notAfter: Date;
}

/** Makes (or, given the old key, re-issues) the local CA, stores its key and writes its certificate file. */
export async function writeLocalCa(opts: {
  store: SecretStore;
  keyAccount: string;
  certPath: string;
  app: string;
  notAfter: Date;
  reuseKey?: string;
  /** false: write only the certificate (the key is already stored, or must not be stored again). */
  storeKey?: boolean;
}): Promise<LocalCa> {
  let keys: KeyPairPem;
  if (opts.reuseKey) {
    const { createPublicKey } = await import('node:crypto');
    keys = { privateKey: opts.reuseKey, publicKey: createPublicKey(opts.reuseKey).export({ type: 'spki', format: 'pem' }) as string };
  } else {
    keys = await generateKeyPair();
  }
  const certPem = createCertificate({
    commonName: `tsh-aws local CA (${opts.app})`,
    organization: ['tsh-aws'],
    publicKey: keys.publicKey,
    selfKey: keys.privateKey,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: opts.notAfter,
    usage: 'ca',
  });
  if (opts.storeKey !== false) await opts.store.set(opts.keyAccount, keys.privateKey);
  await writePrivateFile(opts.certPath, certPem);
  return { certPem, keyPem: keys.privateKey, notAfter: opts.notAfter };
}

/**
 * Mints and caches server certificates for the hosts clients CONNECT to.
 * One leaf key serves every host (minting is then ~0.5 ms, not a key
 * generation), and each leaf names the CA's key as its authority key id, as
 * strict verifiers (Python 3.13, OpenSSL -x509_strict) require.
 */
export class LeafMinter {
  private readonly leafKey = generateKeyPairNow();
  private readonly cache = new Map<string, { cert: string; key: string }>();

  constructor(private ca: LocalCa) {}

  /** The CA in use (replaced on renewal). */
  get current(): LocalCa {
    return this.ca;
  }

  /** Switches to a renewed CA; cached leaves are dropped. */
  replaceCa(ca: LocalCa): void {
    this.ca = ca;
    this.cache.clear();
  }

  /** Certificate (PEM chain) and key for a host name or IP address. */
  leafFor(host: string): { cert: string; key: string } {
    const name = host.toLowerCase();
    let leaf = this.cache.get(name);
    if (!leaf) {
      const isIp = /^[\d.]+$/.test(name) || name.includes(':');
      const cert = createCertificate({
        commonName: name,
        publicKey: this.leafKey.publicKey,
        issuer: { certificate: this.ca.certPem, privateKey: this.ca.keyPem },
        notBefore: new Date(Date.now() - 60_000),
        notAfter: this.ca.notAfter,
        usage: 'server',
        dnsNames: isIp ? ['localhost'] : [name],
        ipAddresses: isIp ? [name] : ['127.0.0.1'],
      });
      leaf = { cert, key: this.leafKey.privateKey };
      this.cache.set(name, leaf);
    }
    return leaf;
  }
}

/** notAfter of a PEM certificate. */
export function certExpiry(pem: string): Date {
  return readCertificate(pem).notAfter;
}
