import type { Command } from 'commander';
import type { CliContext } from '../../cliContext.js';
import { withConnection } from '../withConnection.js';

/** tctl status: cluster name, version and the CA pin agents use to join. */
export default async function (ctx: CliContext, cmd: Command): Promise<void> {
  const s = await withConnection(ctx, cmd, (c) => c.api.rpc<{ clusterName: string; version: string; caPin: string }>('cluster.status'));
  ctx.stdout.write(`Cluster  ${s.clusterName}\nVersion  ${s.version}\nCA pin   ${s.caPin}\n`);
}
