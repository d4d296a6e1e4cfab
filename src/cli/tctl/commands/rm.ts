import type { Command } from 'commander';
import type { CliContext } from '../../cliContext.js';
import { withConnection } from '../withConnection.js';
import { parseResourceRef } from '../resourceRef.js';

/** tctl rm role/NAME|user/NAME|token/NAME|lock/ID. */
export default async function (ctx: CliContext, cmd: Command, ref: string): Promise<void> {
  const { kind, name } = parseResourceRef(ref, true);
  await withConnection(ctx, cmd, (c) => c.api.rpc('resources.delete', { kind, name: name! }));
  ctx.stdout.write(`${kind} "${kind === 'token' ? name!.slice(0, 6) + '…' : name}" has been deleted\n`);
}
