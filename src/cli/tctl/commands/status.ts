import type { Command } from 'commander';
import type { CliContext } from '../../cliContext.js';
import { withConnection } from '../withConnection.js';
import { printData, type Format } from '../../output.js';
import { proxyView } from '../proxiesView.js';

/** tctl status [-f text|json|yaml]: cluster name, version, the CA pin agents use to join, and the proxies heartbeating (for who may read the cluster). */
export default async function (ctx: CliContext, cmd: Command): Promise<void> {
  const s = await withConnection(ctx, cmd, (c) => c.api.rpc('cluster.status'));
  const proxies = s.proxies?.map((p) => `${p.hostname} ${p.addr} (${p.id})`);
  await printData(
    ctx,
    (cmd.opts() as { format: Format }).format,
    { cluster: s.clusterName, version: s.version, ca_pin: s.caPin, ...(s.proxies && { proxies: s.proxies.map(proxyView) }) },
    () => `Cluster  ${s.clusterName}\nVersion  ${s.version}\nCA pin   ${s.caPin}\n${proxies ? `Proxies  ${proxies.length ? proxies.join('\n         ') : 'none heartbeating'}\n` : ''}`,
  );
}
