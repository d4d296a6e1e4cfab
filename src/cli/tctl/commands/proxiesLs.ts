import type { Command } from 'commander';
import type { CliContext } from '../../cliContext.js';
import { withConnection } from '../withConnection.js';
import { printData, type Format } from '../../output.js';
import { proxiesTable, proxyView } from '../proxiesView.js';

/** tctl proxies ls [-f text|json|yaml]: every auth+proxy instance heartbeating into the cluster's backend. */
export default async function (ctx: CliContext, cmd: Command): Promise<void> {
  const proxies = await withConnection(ctx, cmd, (c) => c.api.rpc('proxies.list'));
  await printData(ctx, (cmd.opts() as { format: Format }).format, proxies.map(proxyView), () => proxiesTable(ctx, proxies));
}
