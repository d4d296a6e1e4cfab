import type { Command } from 'commander';
import type { CliContext } from './cliContext.js';
import { setExitCode } from './run.js';

/** A command module: loaded only when its command runs. */
export interface CommandModule {
  default(ctx: CliContext, cmd: Command, ...args: any[]): Promise<number | void>;
}

/**
 * An action that imports the command's module when (and only when) the
 * command runs, so starting `tsh` costs one small bundle, not every command.
 * Positional arguments come first, as commander passes them.
 */
export function lazy(ctx: CliContext, load: () => Promise<CommandModule>) {
  return async (...args: unknown[]): Promise<void> => {
    const cmd = args[args.length - 1] as Command;
    const positional = args.slice(0, -2);
    // Flags parsed by commander (wherever they were given) refine the context.
    const o = cmd.optsWithGlobals() as { debug?: boolean; color?: boolean };
    if (o.debug) ctx.debug = true;
    if (o.color === false) ctx.color = ctx.colorErr = false;
    const mod = await load();
    const code = await mod.default(ctx, cmd, ...positional);
    if (typeof code === 'number') setExitCode(cmd, code);
  };
}

/** The flags every tsh command accepts, wherever they appear on the line. */
export function withGlobalFlags(cmd: Command): Command {
  return cmd
    .option('--proxy <host:port>', 'address of the proxy (env TELEPORT_PROXY)')
    .option('--user <name>', 'cluster user name (env TELEPORT_USER)')
    .option('--insecure', "do not verify the proxy's certificate (test clusters only)")
    .option('-d, --debug', 'stack traces and a request log on stderr')
    .option('--no-color', 'no colour in output (also NO_COLOR)');
}
