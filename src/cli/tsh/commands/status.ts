import type { Command } from 'commander';
import type { CliContext } from '../../cliContext.js';
import { envFor } from '../env.js';
import { status } from '../../../client/status.js';
import { printData, type Format } from '../../output.js';
import { renderStatus } from '../renderStatus.js';

/** tsh status [-f text|json|yaml]. */
export default async function (ctx: CliContext, cmd: Command): Promise<void> {
  const report = await status(envFor(ctx, cmd));
  await printData(ctx, (cmd.opts() as { format: Format }).format, report, () => renderStatus(ctx, report));
}
