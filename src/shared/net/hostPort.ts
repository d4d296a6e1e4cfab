import { TshError } from '../errors.js';

/** A host and port pair. */
export interface HostPort {
  host: string;
  port: number;
}

/**
 * Parses "host:port", "[v6]:port" or a bare host (then `defaultPort`).
 * Used for every address a user types: --proxy, listen_addr, public_addr.
 */
export function parseHostPort(text: string, defaultPort?: number, what = 'address'): HostPort {
  const s = String(text).trim().replace(/^https?:\/\//, '').replace(/\/.*$/, '');
  let host: string;
  let portText: string | undefined;
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (v6) {
    host = v6[1];
    portText = v6[2];
  } else {
    const i = s.lastIndexOf(':');
    if (i >= 0 && s.indexOf(':') === i) {
      host = s.slice(0, i);
      portText = s.slice(i + 1);
    } else host = s;
  }
  const port = portText === undefined || portText === '' ? defaultPort : Number(portText);
  if (!host || port === undefined || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new TshError('BAD_INPUT', `invalid ${what} "${text}"`, { hint: `write it as host:port, e.g. proxy.example.com:3080` });
  }
  return { host, port };
}

/** "host:port", with brackets around IPv6 hosts. */
export function formatHostPort({ host, port }: HostPort): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** True for loopback addresses and names. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}
