import { processContext } from '../cliContext.js';
import { buildTctl } from '../tctl/program.js';
import { buildTsh } from '../tsh/program.js';
import { describeProgram } from './describeProgram.js';
import { renderCompletion, shells } from './shells.js';

/**
 * Every completion script we commit, by file name in completions/
 * (`tsh.bash`, `tsh.zsh`, ..., `tctl.fish`), generated from the programs'
 * trees. One function so `npm run completions` and the staleness test
 * cannot disagree about what the files should hold.
 */
export function completionFiles(): Record<string, string> {
  // The trees do not depend on the context; building them needs one.
  const ctx = processContext([]);
  const files: Record<string, string> = {};
  for (const program of [buildTsh(ctx), buildTctl(ctx)]) {
    const model = describeProgram(program);
    for (const shell of shells) files[`${program.name()}.${shell}`] = renderCompletion(shell, model);
  }
  return files;
}
