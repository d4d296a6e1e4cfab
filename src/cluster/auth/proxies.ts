/**
 * Who is where, when several auth+proxy instances share one backend:
 *
 *   /proxies/<proxy id>              each proxy's heartbeat (id, addresses, version), every
 *                                    PROXY_HEARTBEAT_MS, lapsing after PROXY_TTL_MS: `tctl proxies ls`,
 *                                    and the list every proxy sends its agents (who then dial
 *                                    until they hold a tunnel to each)
 *   /tunnels/<agent id>/<proxy id>   one record per agent tunnel, written by the proxy that holds
 *                                    it, so that a proxy losing an agent's tunnel takes the agent's
 *                                    apps out of the listing only when no other proxy still has one
 */
import type { ProxyListing } from '../../shared/api/types.js';
import type { BatchOp } from '../storage/backend.js';
import { keys, type AuthContext } from './authContext.js';

/** How often a proxy heartbeats. */
export const PROXY_HEARTBEAT_MS = 10_000;
/** A heartbeat (and a tunnel record) not renewed within this is gone: the proxy died without saying so. */
export const PROXY_TTL_MS = 3 * PROXY_HEARTBEAT_MS;

/** Writes this proxy's heartbeat and renews its tunnel records, in one transaction. */
export async function heartbeatProxy(ctx: AuthContext, proxy: ProxyListing, agents: string[]): Promise<void> {
  const expires = new Date(ctx.clock().getTime() + PROXY_TTL_MS);
  const { expires: _, ...record } = proxy;
  await ctx.backend.batch([
    { op: 'put', key: keys.proxy(proxy.id), value: record, expires },
    ...agents.map((hostId): BatchOp => ({ op: 'put', key: keys.tunnel(hostId, proxy.id), value: { hostId, proxyId: proxy.id }, expires })),
  ]);
}

/** The proxies heartbeating now, by id. */
export async function listProxies(ctx: AuthContext): Promise<ProxyListing[]> {
  return (await ctx.backend.getRange<ProxyListing>(keys.proxies)).map(({ value, expires }) => ({ ...value, expires: expires?.toISOString() }));
}

/** A proxy stopping: its heartbeat and tunnel records go at once, so agents stop looking for it. */
export async function removeProxy(ctx: AuthContext, id: string, agents: string[]): Promise<void> {
  await ctx.backend.batch([{ op: 'delete', key: keys.proxy(id) }, ...agents.map((hostId): BatchOp => ({ op: 'delete', key: keys.tunnel(hostId, id) }))]);
}

/** Records that this proxy holds a tunnel of the agent. */
export async function tunnelOpened(ctx: AuthContext, hostId: string, proxyId: string): Promise<void> {
  await ctx.backend.put(keys.tunnel(hostId, proxyId), { hostId, proxyId }, { expires: new Date(ctx.clock().getTime() + PROXY_TTL_MS) });
}

/** This proxy lost the agent's last tunnel to it: true when no proxy has one any more. */
export async function tunnelClosed(ctx: AuthContext, hostId: string, proxyId: string): Promise<boolean> {
  await ctx.backend.delete(keys.tunnel(hostId, proxyId));
  return (await ctx.backend.getRange(keys.tunnelsOf(hostId), { limit: 1 })).length === 0;
}
