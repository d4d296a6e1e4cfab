import type { Command } from 'commander';
import type { CliContext } from './cliContext.js';
import { versionText, type ProgramName } from './versionText.js';

/** `PROGRAM version [-f text|json]`, shared by the three programs: it prints the version of the program it runs in. */
export default async function (ctx: CliContext, cmd: Command): Promise<void> {
  let root = cmd;
  while (root.parent) root = root.parent;
  ctx.stdout.write(versionText(root.name() as ProgramName, (cmd.opts() as { format: string }).format === 'json' ? 'json' : 'text'));
}
