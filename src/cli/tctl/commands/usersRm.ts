import type { Command } from 'commander';
import type { CliContext } from '../../cliContext.js';
import { withConnection } from '../withConnection.js';

/** tctl users rm NAME. */
export default async function (ctx: CliContext, cmd: Command, name: string): Promise<void> {
  await withConnection(ctx, cmd, (c) => c.api.rpc('users.delete', { name }));
  ctx.stdout.write(`User "${name}" has been deleted\n`);
}
