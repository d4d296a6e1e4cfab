/**
 * The README's HA deployment on loopback: a throwaway PostgreSQL, two
 * auth+proxy instances sharing it (same cluster config, own data dirs,
 * fixed ports so a restart keeps them), HAProxy in front with the README's
 * haproxy.cfg, and app services joined through HAProxy, each holding a
 * tunnel to both proxies before this resolves.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startPostgres, type TestPostgres } from './postgres.js';
import { startCluster, freePort, type TestCluster, type ClusterOptions } from './cluster.js';
import { startAppService, sandboxAwsEnv, caPinOf, type TestAppService } from './appService.js';
import { startHaproxy, type TestHaproxy } from './haproxy.js';
import { eventually } from './eventually.js';

export interface HaCluster {
  pg: TestPostgres;
  a: TestCluster;
  b: TestCluster;
  lb: TestHaproxy;
  agents: TestAppService[];
  caPin: string;
  /** Stops everything (agents, HAProxy, both instances, PostgreSQL). */
  close(): Promise<void>;
}

/** An app service holds a tunnel to both proxies (it says so in its log, after `since`). */
export async function tunnelsToBoth(agent: TestAppService, since = 0): Promise<void> {
  await eventually('the app service to reach both proxies', () => /2 proxies reach it now/.test(agent.logs().slice(since)), { timeoutMs: 60_000 });
}

/** The host id an instance heartbeats under. */
export async function hostId(c: TestCluster): Promise<string> {
  return (await readFile(join(c.dataDir, 'host_uuid'), 'utf8')).trim();
}

/** Starts the deployment (see the module comment) with `agents` app services reaching AWS at `sandbox`. */
export async function startHaCluster(opts: { sandbox: Parameters<typeof sandboxAwsEnv>[0]; agents: number; clusterName: string }): Promise<HaCluster> {
  const pg = await startPostgres();
  const started: Array<{ close(): Promise<unknown> }> = [];
  const close = async () => {
    for (const s of started.reverse()) await s.close().catch(() => {});
    await pg.stop();
  };
  try {
    const lbPort = await freePort();
    const common: ClusterOptions = {
      clusterName: opts.clusterName,
      storage: { type: 'postgresql', conn_string: pg.connectionString },
      fixedPort: true,
      teleportYaml: '  diag_addr: 127.0.0.1:0\n',
      proxyYaml: `  public_addr: 127.0.0.1:${lbPort}\n`,
    };
    const a = await startCluster(common);
    started.push(a);
    const b = await startCluster(common);
    started.push(b);
    const lb = await startHaproxy([a.proxyAddr, b.proxyAddr], lbPort);
    started.push(lb);
    const caPin = await caPinOf(a);
    const agents: TestAppService[] = [];
    for (let i = 0; i < opts.agents; i++) {
      const agent = await startAppService(a, { caPin, env: sandboxAwsEnv(opts.sandbox), proxyAddr: lb.addr });
      started.push(agent);
      agents.push(agent);
    }
    await Promise.all(agents.map((agent) => tunnelsToBoth(agent)));
    return { pg, a, b, lb, agents, caPin, close };
  } catch (err) {
    await close();
    throw err;
  }
}
