import type { Command } from 'commander';
import type { CliContext } from '../cliContext.js';
import { clientEnv, type ClientEnv } from '../../client/clientEnv.js';
import { debug, warn } from '../output.js';

/** The client environment for a command: global flags (wherever given) plus the process environment. */
export function envFor(ctx: CliContext, cmd: Command): ClientEnv {
  const o = cmd.optsWithGlobals() as { proxy?: string; user?: string; insecure?: boolean; debug?: boolean };
  return clientEnv(o, ctx.env, (m) => warn(ctx, m), (m) => debug(ctx, m));
}
