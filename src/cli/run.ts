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
import type { CliContext } from './cliContext.js';
import { styleErr } from './style.js';
import { report } from './report.js';

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

/** Records the exit code a command wants (for commands that return one, like `tsh aws`). */
export function setExitCode(cmd: Command, code: number): void {
  (cmd as Command & { __exit?: number }).__exit = code;
}
