import tls from 'node:tls';
import { readFileSync } from 'node:fs';

/**
 * A TLS client context that trusts the system's roots (including
 * NODE_EXTRA_CA_CERTS) plus the cluster's CAs, with an optional client
 * certificate.
 *
 * Passing `ca: [...]` to Node replaces the default roots (and so loses
 * NODE_EXTRA_CA_CERTS), and `ca: [...tls.rootCertificates, x]` makes Node
 * parse ~150 roots again for every connection (~0.7 ms each). Adding the
 * cluster CAs to a default context once keeps both the defaults and the
 * speed. The add goes through the native context (`addCACert`, stable in
 * Node's own TLS code); where it is missing, the slower full list is used.
 * A context's own store starts from the bundled roots only, so the
 * NODE_EXTRA_CA_CERTS file is added to it explicitly.
 */
export function secureContextTrusting(opts: { key?: string; cert?: string; extraCas?: string[] }): tls.SecureContext {
  const base = { key: opts.key, cert: opts.cert };
  const extra = (opts.extraCas ?? []).filter(Boolean);
  if (extra.length && process.env.NODE_EXTRA_CA_CERTS) {
    try {
      extra.push(readFileSync(process.env.NODE_EXTRA_CA_CERTS, 'utf8'));
    } catch {
      // Node itself warns about an unreadable NODE_EXTRA_CA_CERTS at start-up.
    }
  }
  const ctx = tls.createSecureContext(base);
  if (extra.length === 0) return ctx;
  const native = (ctx as unknown as { context?: { addCACert?: (pem: string) => void } }).context;
  if (typeof native?.addCACert === 'function') {
    for (const pem of extra) for (const one of pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []) native.addCACert(one);
    return ctx;
  }
  return tls.createSecureContext({ ...base, ca: [...tls.rootCertificates, ...extra] });
}
