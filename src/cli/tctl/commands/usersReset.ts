import type { Command } from 'commander';
import type { CliContext } from '../../cliContext.js';
import { withConnection } from '../withConnection.js';
import { formatDuration } from '../../../shared/duration.js';

/** tctl users reset NAME: clears the password and second factor, prints a new setup link. */
export default async function (ctx: CliContext, cmd: Command, name: string): Promise<void> {
  const r = await withConnection(ctx, cmd, (c) => c.api.rpc('users.reset', { name }));
  if ((cmd.opts() as { format: string }).format === 'json') return void ctx.stdout.write(JSON.stringify({ user: r.user, invite_url: r.inviteUrl, expires: r.expires }, null, 2) + '\n');
  ctx.stdout.write(`User "${r.user}" has been reset. Share this URL with the user to complete password reset, link is valid for ${formatDuration(r.ttl)}:\n${r.inviteUrl}\n`);
}
