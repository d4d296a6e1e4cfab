/**
 * The one place where a program's outcome becomes an exit code.
 *
 *   0    success
 *   1    an error (printed as one `ERROR: ...` line and a hint)
 *   2    bad usage (unknown command or flag, missing argument)
 *   127  a program tsh runs is missing (the aws CLI)
 *   130  interrupted (Ctrl-C)
 *   N    `tsh aws`: the aws CLI's own exit code
 *
 * Commands never call process.exit; they return a number or throw.
 */
import { CommanderError, type Command } from 'commander';
import { TshError, exitCodeFor } from '../shared/errors.js';
import type { CliContext } from './cliContext.js';
import { styleErr } from './style.js';

/** Parses argv with the program and runs the chosen command; returns the exit code. */
export async function run(program: Command, argv: string[], ctx: CliContext): Promise<number> {
  // Subcommands copy these settings only when created after them, so set them on every command.
  const configure = (cmd: Command) => {
    cmd.exitOverride();
    cmd.configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      writeErr: (s) => ctx.stderr.write(s),
      outputError: (s, write) => write(`${styleErr(ctx).red('ERROR:')} ${s.replace(/^error: /, '')}`),
    });
    cmd.commands.forEach(configure);
  };
  configure(program);
  let code = 0;
  program.hook('postAction', (_this, action) => {
    const c = (action as Command & { __exit?: number }).__exit;
    if (typeof c === 'number') code = c;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
      // Help shown because a subcommand is missing is a usage error; `tsh help ...` asked for it.
      if (err.code === 'commander.help') return argv[0] === 'help' ? 0 : 2;
      if (err.code === 'commander.executeSubCommandAsync') return err.exitCode;
      return 2;
    }
    return report(ctx, err);
  }
}

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

/** Records the exit code a command wants (for commands that return one, like `tsh aws`). */
export function setExitCode(cmd: Command, code: number): void {
  (cmd as Command & { __exit?: number }).__exit = code;
}
