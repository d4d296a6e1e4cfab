import type { Command } from 'commander';
import type { CliContext } from '../../cliContext.js';
import { withConnection } from '../withConnection.js';
import { warn } from '../../output.js';
import { formatDuration } from '../../../shared/duration.js';

/** tctl users add NAME --roles=a,b: creates the user and prints the invite link. */
export default async function (ctx: CliContext, cmd: Command, name: string): Promise<void> {
  const o = cmd.opts() as { roles: string[]; awsRoleArns?: string[]; format: string };
  const r = await withConnection(ctx, cmd, (c) => c.api.rpc('users.add', { name, roles: o.roles, awsRoleArns: o.awsRoleArns }));
  for (const w of r.warnings) warn(ctx, w);
  if (o.format === 'json') return void ctx.stdout.write(JSON.stringify({ user: r.user, invite_url: r.inviteUrl, expires: r.expires }, null, 2) + '\n');
  const addr = new URL(r.inviteUrl).host;
  ctx.stdout.write(
    `User "${r.user}" has been created but requires a password. Share this URL with the user to complete user setup, link is valid for ${formatDuration(r.ttl)}:\n` +
      `${r.inviteUrl}\n\n` +
      `NOTE: Make sure ${addr} points at a tsh-aws proxy which users can access.\n`,
  );
}
