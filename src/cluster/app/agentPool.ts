/**
 * The app service's tunnels: one to every proxy of the cluster, so that
 * whichever proxy a client reaches can route to this app service.
 *
 * The agent dials `teleport.proxy_server` only: one proxy, or the load
 * balancer in front of several. Each proxy names itself in its hello and
 * tells the agent the ids of every live proxy (their heartbeats); the agent
 * keeps dialing the same address until it holds a tunnel to each, closing
 * at once any tunnel that lands on a proxy it already reaches. This is how
 * Teleport's agents find the proxies behind a load balancer: agents need
 * to reach one address only (no per-proxy DNS names or firewall openings),
 * at the cost of a few extra handshakes when a proxy joins or restarts.
 *
 *   no tunnel:     dial, dial, ... (100 ms doubling to 1 s, jittered) until one is up
 *   some missing:  dial again (100 ms doubling to 5 s) until every proxy listed has a tunnel
 *   a tunnel lost: the proxy it went to is looked for again while its heartbeat lasts
 *
 *   up ... all lost (WARN, once) -> dial ... -> "up again after N s" (INFO)
 *
 * The retry timer is what keeps an app service's process alive while its
 * proxies are away: nothing else is running then.
 */
import type { Logger } from '../logger.js';
import { metrics } from '../diag/metrics.js';
import { TunnelAgent, type TunnelAgentOptions } from './tunnelAgent.js';

const FIRST_RETRY_MS = 100;
/**
 * The longest wait between two dials while no tunnel is up. A proxy that
 * comes back is dialled within this (plus a handshake), which keeps the
 * promise that an app service is served again within 2 s of its proxy's return.
 */
export const MAX_RETRY_MS = 1_000;
/** The longest wait between two dials looking for a proxy not reached yet while others are. */
export const MAX_SEARCH_MS = 5_000;
/** After this many dials in a row that met only proxies it reaches, the agent says why it cannot find the others. */
const MISSES_BEFORE_HINT = 8;

/** What the pool is built from: where to dial, with what, and what to do each time a tunnel registers. */
export interface AgentPoolOptions extends TunnelAgentOptions {
  /** Runs each time a proxy registers a tunnel, before it is reported up (the app service heartbeats here). */
  onUp?(): Promise<void>;
  log: Logger;
}

/** See the module comment; `start` dials, `close` stops dialing and closes every tunnel. */
export class AgentPool {
  /** Registered tunnels, by proxy id. */
  private readonly tunnels = new Map<string, TunnelAgent>();
  private dialing?: TunnelAgent;
  private wanted = new Set<string>();
  private retry?: NodeJS.Timeout;
  private delay = FIRST_RETRY_MS;
  private closed = false;
  private connectedOnce = false;
  /** Since when no proxy has been reachable, and how often it was dialled since (said in the "up again" line). */
  private outage?: { since: number; attempts: number };
  private misses = 0;
  private hinted = false;
  /** Resolves once the first tunnel is up. */
  readonly ready: Promise<void>;
  private resolveReady!: () => void;

  constructor(private readonly opts: AgentPoolOptions) {
    this.ready = new Promise((r) => (this.resolveReady = r));
  }

  start(): void {
    this.dial();
  }

  /** The address dialled, for messages. */
  get target(): string {
    return `${this.opts.host}:${this.opts.port}`;
  }

  /** True while at least one proxy routes to this app service. */
  get up(): boolean {
    return this.tunnels.size > 0;
  }

  /** How many proxies route to this app service. */
  get count(): number {
    return this.tunnels.size;
  }

  /** Ids of the proxies this app service has a tunnel to. */
  get proxies(): string[] {
    return [...this.tunnels.keys()];
  }

  private dial(): void {
    if (this.closed || this.dialing) return;
    if (this.outage) this.outage.attempts++;
    const agent: TunnelAgent = new TunnelAgent(this.opts, {
      accept: (id) => !this.tunnels.has(id),
      onRegistered: (id) => void this.registered(agent, id),
      onProxies: (ids) => {
        this.wanted = new Set(ids);
        this.next();
      },
      onClosed: (why) => this.closedTunnel(agent, why),
    });
    this.dialing = agent;
    agent.connect();
  }

  private async registered(agent: TunnelAgent, id: string): Promise<void> {
    if (this.dialing === agent) this.dialing = undefined;
    this.tunnels.set(id, agent);
    this.delay = FIRST_RETRY_MS;
    this.misses = 0;
    await this.opts.onUp?.();
    const o = this.opts;
    const others = this.tunnels.size > 1 ? `; ${this.tunnels.size} proxies reach it now` : '';
    if (this.outage && this.connectedOnce) {
      o.log.info('APP', `tunnel to the proxy at ${this.target} is up again after ${((Date.now() - this.outage.since) / 1000).toFixed(1)} s (${this.outage.attempts} attempts; proxy ${id})`);
      metrics.tunnelReconnect();
    } else {
      o.log.info('APP', `tunnel to the proxy at ${this.target} is up, serving ${o.apps.join(', ')} (proxy ${id}${others})`);
    }
    this.connectedOnce = true;
    this.outage = undefined;
    this.resolveReady();
    this.next();
  }

  private closedTunnel(agent: TunnelAgent, why: string | undefined): void {
    if (this.closed) return;
    if (this.dialing === agent) {
      // A dial that did not become a tunnel: failed, or met a proxy already reached.
      this.dialing = undefined;
      if (agent.duplicate) this.missed();
      else if (this.tunnels.size === 0) this.unreachable(why, false);
      return this.next();
    }
    const id = [...this.tunnels].find(([, t]) => t === agent)?.[0];
    if (id === undefined) return this.next();
    this.tunnels.delete(id);
    this.delay = FIRST_RETRY_MS;
    if (this.tunnels.size === 0) this.unreachable(why, true);
    else this.opts.log.info('APP', `lost the tunnel to proxy ${id} through ${this.target} (${why ?? 'connection closed'}); ${this.tunnels.size} other proxies still reach this app service`);
    this.next();
  }

  /** No proxy reaches this app service: said once per outage. */
  private unreachable(why: string | undefined, wasUp: boolean): void {
    if (this.outage) return;
    this.outage = { since: Date.now(), attempts: 0 };
    const reason = why ?? 'connection closed';
    this.opts.log.warn('APP', wasUp ? `lost the tunnel to the proxy at ${this.target} (${reason}); reconnecting until it is back` : `cannot reach the proxy at ${this.target} (${reason}); retrying until it answers`);
  }

  private missed(): void {
    this.misses++;
    if (this.misses < MISSES_BEFORE_HINT || this.hinted) return;
    this.hinted = true;
    const missing = [...this.wanted].filter((id) => !this.tunnels.has(id));
    this.opts.log.warn('APP', `${this.target} keeps leading to proxies this app service already reaches, not to ${missing.join(', ')}: point teleport.proxy_server at a load balancer in front of every proxy; still trying`);
  }

  /** Dials again after a jittered wait, when a tunnel is missing: none at all, or one to a proxy listed as live. */
  private next(): void {
    if (this.closed || this.dialing || this.retry) return;
    const missing = this.tunnels.size === 0 || [...this.wanted].some((id) => !this.tunnels.has(id));
    if (!missing) return;
    const cap = this.tunnels.size === 0 ? MAX_RETRY_MS : MAX_SEARCH_MS;
    const wait = Math.min(this.delay, cap) * (0.5 + Math.random() * 0.5);
    this.delay = Math.min(this.delay * 2, cap);
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.dial();
    }, wait);
  }

  close(): void {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    this.dialing?.close();
    for (const t of this.tunnels.values()) t.close();
  }
}
