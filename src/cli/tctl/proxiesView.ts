import type { CliContext } from '../cliContext.js';
import type { ProxyListing } from '../../shared/api/types.js';
import { table } from '../output.js';

/** A proxy as `-f json|yaml` prints it (snake_case, as every JSON output). */
export function proxyView(p: ProxyListing): Record<string, unknown> {
  return { id: p.id, hostname: p.hostname, addr: p.addr, public_addr: p.publicAddr, version: p.version, ...(p.expires ? { expires: p.expires } : {}) };
}

/** The proxies heartbeating now, as `tctl proxies ls` prints them. */
export function proxiesTable(ctx: CliContext, proxies: ProxyListing[]): string {
  if (proxies.length === 0) return 'No proxies are heartbeating.\n';
  return table(ctx, ['Host ID', 'Hostname', 'Address', 'Public Address', 'Version', 'Heartbeat Expires'], proxies.map((p) => [p.id, p.hostname, p.addr, p.publicAddr, p.version, p.expires ?? '']));
}
