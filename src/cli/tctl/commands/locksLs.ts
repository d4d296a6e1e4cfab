import type { Command } from 'commander';
import type { CliContext } from '../../cliContext.js';
import { withConnection } from '../withConnection.js';
import { printData, type Format } from '../../output.js';
import { locksTable } from '../locksTable.js';

/** tctl locks ls [-f text|json|yaml]: the locks in force. */
export default async function (ctx: CliContext, cmd: Command): Promise<void> {
  const locks = await withConnection(ctx, cmd, (c) => c.api.rpc('locks.list'));
  await printData(ctx, (cmd.opts() as { format: Format }).format, locks, () => locksTable(ctx, locks));
}
