import type { Command } from 'commander';
import type { CliContext } from '../../cliContext.js';
import { envFor } from '../env.js';
import { logout } from '../../../client/logout.js';
import { warn } from '../../output.js';

/** tsh logout [--force]. */
export default async function (ctx: CliContext, cmd: Command): Promise<void> {
  const { removed, sessionsLeft } = await logout(envFor(ctx, cmd), { force: Boolean((cmd.opts() as { force?: boolean }).force) });
  for (const { profile, reason } of sessionsLeft) {
    warn(ctx, `the app sessions of ${profile.username}@${profile.name} were not ended on the cluster (${reason}); they stay valid until ${profile.validUntil}`);
  }
  if (removed.length === 0) ctx.stdout.write('Not logged in.\n');
  for (const p of removed) ctx.stdout.write(`Logged out ${p.username} from ${p.webProxyAddr}.\n`);
}
