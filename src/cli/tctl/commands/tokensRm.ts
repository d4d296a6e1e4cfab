import type { Command } from 'commander';
import type { CliContext } from '../../cliContext.js';
import { withConnection } from '../withConnection.js';

/** tctl tokens rm TOKEN. */
export default async function (ctx: CliContext, cmd: Command, token: string): Promise<void> {
  await withConnection(ctx, cmd, (c) => c.api.rpc('tokens.delete', { token }));
  ctx.stdout.write(`Token ${token.slice(0, 6)}… has been deleted.\n`);
}
