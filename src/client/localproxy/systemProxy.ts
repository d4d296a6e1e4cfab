/**
 * The user's own HTTPS proxy, for traffic the local proxy does not intercept.
 *
 * `tsh aws` points the aws CLI at its own forward proxy, which replaces
 * whatever HTTPS_PROXY the user had. Hosts that are not AWS (an SSO portal,
 * a presigned download, ssmmessages) must still leave the way the user's
 * network requires, so tsh reads HTTPS_PROXY / https_proxy and NO_PROXY /
 * no_proxy from its own environment, with the rules curl and Go share.
 */
import { isIP } from 'node:net';

/** The proxy URL to send a CONNECT for host:port through, or undefined for a direct connection. */
export function systemProxyFor(host: string, port: number, env: NodeJS.ProcessEnv): URL | undefined {
  const raw = env.HTTPS_PROXY || env.https_proxy;
  if (!raw) return undefined;
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h === '::1' || h.startsWith('127.')) return undefined;
  if (excludedByNoProxy(h, port, env.NO_PROXY ?? env.no_proxy ?? '')) return undefined;
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/**
 * True when a NO_PROXY list covers host:port. Entries are separated by commas
 * or spaces: `*` (everything), a domain (itself and its subdomains; a leading
 * `.` or `*.` is the same), an IP address or IPv4 CIDR, each optionally with
 * `:port`.
 */
export function excludedByNoProxy(host: string, port: number, noProxy: string): boolean {
  for (const item of noProxy.split(/[\s,]+/)) {
    let entry = item.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    let entryPort: number | undefined;
    const m = /^(.*?):(\d+)$/.exec(entry);
    if (m && !m[1].includes(':')) {
      entry = m[1];
      entryPort = Number(m[2]);
    }
    entry = entry.replace(/^\[|\]$/g, '');
    if (entryPort !== undefined && entryPort !== port) continue;
    if (entry.includes('/')) {
      if (inCidr(host, entry)) return true;
      continue;
    }
    entry = entry.replace(/^\*?\./, '');
    if (host === entry || (!isIP(host) && host.endsWith(`.${entry}`))) return true;
  }
  return false;
}

function inCidr(host: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/');
  const bits = Number(bitsText);
  if (isIP(host) !== 4 || isIP(base) !== 4 || !Number.isInteger(bits) || bits < 0 || bits > 32) return false;
  const toInt = (ip: string) => ip.split('.').reduce((acc, part) => (acc << 8) + Number(part), 0) >>> 0;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return ((toInt(host) & mask) >>> 0) === ((toInt(base) & mask) >>> 0);
}
