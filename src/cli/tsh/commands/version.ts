import type { Command } from 'commander';
import type { CliContext } from '../../cliContext.js';
import { PRODUCT, VERSION } from '../../../shared/version.js';

/** tsh version [-f json]. */
export default async function (ctx: CliContext, cmd: Command): Promise<void> {
  if ((cmd.opts() as { format: string }).format === 'json') {
    ctx.stdout.write(JSON.stringify({ version: VERSION, product: PRODUCT, node: process.version }, null, 2) + '\n');
  } else ctx.stdout.write(`${PRODUCT} tsh v${VERSION} node/${process.version}\n`);
}
