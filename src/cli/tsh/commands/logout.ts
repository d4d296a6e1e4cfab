import type { Command } from 'commander';
import type { CliContext } from '../../cliContext.js';
import { envFor } from '../env.js';
import { logout } from '../../../client/logout.js';

/** tsh logout. */
export default async function (ctx: CliContext, cmd: Command): Promise<void> {
  const removed = await logout(envFor(ctx, cmd));
  if (removed.length === 0) ctx.stdout.write('Not logged in.\n');
  for (const p of removed) ctx.stdout.write(`Logged out ${p.username} from ${p.webProxyAddr}.\n`);
}
