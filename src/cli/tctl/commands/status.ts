import type { Command } from 'commander';
import type { CliContext } from '../../cliContext.js';
import { withConnection } from '../withConnection.js';
import { printData, type Format } from '../../output.js';

/** tctl status [-f text|json|yaml]: cluster name, version and the CA pin agents use to join. */
export default async function (ctx: CliContext, cmd: Command): Promise<void> {
  const s = await withConnection(ctx, cmd, (c) => c.api.rpc('cluster.status'));
  await printData(ctx, (cmd.opts() as { format: Format }).format, { cluster: s.clusterName, version: s.version, ca_pin: s.caPin }, () => `Cluster  ${s.clusterName}\nVersion  ${s.version}\nCA pin   ${s.caPin}\n`);
}
