import type { Command } from 'commander';
import type { CliContext } from '../../cliContext.js';
import { envFor } from '../env.js';
import { login } from '../../../client/login.js';
import { status } from '../../../client/status.js';
import { terminalPrompter } from '../../../client/prompt.js';
import { renderStatus } from '../renderStatus.js';
import { warn } from '../../output.js';

/** tsh login: prompts for the password (and code), then prints the profile as `tsh status` does. */
export default async function (ctx: CliContext, cmd: Command): Promise<void> {
  const ce = envFor(ctx, cmd);
  const o = cmd.opts() as { ttl?: number; format: 'text' | 'json' };
  if (ce.insecure) warn(ctx, 'not verifying the proxy\'s certificate (--insecure); use this only with test clusters');
  const { fallbackReason } = await login(ce, terminalPrompter(ctx.stdin, ctx.stderr as NodeJS.WriteStream), { ttlMinutes: o.ttl });
  if (fallbackReason) warn(ctx, fallbackReason);
  const report = await status(ce);
  if (o.format === 'json') ctx.stdout.write(JSON.stringify(report, null, 2) + '\n');
  else ctx.stdout.write(renderStatus(ctx, report));
}
