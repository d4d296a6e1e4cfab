import type { Command } from 'commander';
import type { CliContext } from '../../cliContext.js';
import { versionText } from '../versionText.js';

/** tsh version [-f json]. */
export default async function (ctx: CliContext, cmd: Command): Promise<void> {
  ctx.stdout.write(versionText((cmd.opts() as { format: string }).format === 'json' ? 'json' : 'text'));
}
