import type { Command } from 'commander';
import type { CliContext } from '../../cliContext.js';
import { envFor } from '../env.js';
import { runAwsCli } from '../../../client/aws/runAwsCli.js';
import { style } from '../../style.js';

/**
 * tsh aws [--app APP] [--endpoint-url] [--exec CMD] ARGS...: runs the aws CLI
 * (or CMD) through a local proxy; its exit code is tsh's exit code.
 */
export default async function (ctx: CliContext, cmd: Command, args: string[] = []): Promise<number> {
  const ce = envFor(ctx, cmd);
  const o = cmd.opts() as { app?: string; endpointUrl?: boolean; exec?: string };
  const s = style(ctx);
  const log = ce.debug ? (line: string) => void ctx.stderr.write(`${s.dim(`[tsh aws proxy] ${line}`)}\n`) : undefined;
  return runAwsCli(ce, { app: o.app, endpointUrl: o.endpointUrl, exec: o.exec, args, log });
}
