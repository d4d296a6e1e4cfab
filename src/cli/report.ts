import { TshError, exitCodeFor } from '../shared/errors.js';
import type { CliContext } from './cliContext.js';
import { styleErr } from './style.js';

/** Prints an error (and its hint, details, and with --debug its stack) and returns its exit code. */
export function report(ctx: CliContext, err: unknown): number {
  const s = styleErr(ctx);
  if (err instanceof TshError) {
    if (err.details) ctx.stdout.write(err.details.endsWith('\n') ? err.details : err.details + '\n');
    ctx.stderr.write(`${s.red('ERROR:')} ${err.message}\n`);
    if (err.hint) ctx.stderr.write(`${s.dim('Hint:')} ${err.hint}\n`);
    if (ctx.debug) ctx.stderr.write(`${s.dim(String(err.stack ?? ''))}\n${err.cause ? s.dim(`caused by: ${(err.cause as Error)?.stack ?? err.cause}`) + '\n' : ''}`);
    return exitCodeFor(err);
  }
  const e = err as Error;
  ctx.stderr.write(`${s.red('ERROR:')} ${e?.message ?? String(err)}\n`);
  if (ctx.debug) ctx.stderr.write(`${s.dim(String(e?.stack ?? ''))}\n`);
  else ctx.stderr.write(`${s.dim('Hint:')} run again with --debug for details\n`);
  return 1;
}
