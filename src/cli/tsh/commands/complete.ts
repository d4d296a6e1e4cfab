import type { Command } from 'commander';
import type { CliContext } from '../../cliContext.js';
import { completionValues } from '../../completion/completionValues.js';

/**
 * tsh __complete SOURCE [APP] (hidden): the values the shell completion
 * scripts offer. bin/tsh usually answers it from the fast path (fast.ts);
 * this is the same code for other spellings of the command line.
 */
export default async function (ctx: CliContext, _cmd: Command, source: string, app?: string): Promise<void> {
  ctx.stdout.write(completionValues(ctx.env, source, app));
}
