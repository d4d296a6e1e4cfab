import type { Command } from 'commander';
import type { CliContext } from '../cliContext.js';
import { describeProgram } from './describeProgram.js';
import { renderCompletion, type Shell } from './shells.js';

/**
 * `PROGRAM completion bash|zsh|fish|powershell`: prints the completion script of the
 * program it runs in, generated from the very tree that parsed the line, so it
 * is the script committed in completions/ (a test holds them equal). Shared by
 * tsh and tctl; commander has already checked the shell against its choices.
 */
export default async function (ctx: CliContext, cmd: Command, shell: Shell): Promise<void> {
  let root = cmd;
  while (root.parent) root = root.parent;
  ctx.stdout.write(renderCompletion(shell, describeProgram(root)));
}
