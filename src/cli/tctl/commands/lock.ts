import type { Command } from 'commander';
import type { CliContext } from '../../cliContext.js';
import { withConnection } from '../withConnection.js';

/** tctl lock --user=NAME|--role=NAME [--message TEXT] [--ttl DURATION|--expires TIME]: prints the new lock's id. */
export default async function (ctx: CliContext, cmd: Command): Promise<void> {
  const o = cmd.opts() as { user?: string; role?: string; message?: string; ttl?: string; expires?: string };
  const lock = await withConnection(ctx, cmd, (c) => c.api.rpc('locks.create', { user: o.user, role: o.role, message: o.message, ttl: o.ttl, expires: o.expires }));
  ctx.stdout.write(`Created a lock with name "${lock.metadata.name}".\n`);
}
