import { processContext } from '../cliContext.js';
import { buildTctl } from '../tctl/program.js';
import { buildTsh } from '../tsh/program.js';
import { describeProgram } from './describeProgram.js';
import { renderCompletion, shells, type Shell } from './shells.js';

/** The file name extension of each shell's script (PowerShell loads `.ps1` files). */
const extensions: Record<Shell, string> = { bash: 'bash', zsh: 'zsh', fish: 'fish', powershell: 'ps1' };

/**
 * Every completion script we commit, by file name in completions/
 * (`tsh.bash`, `tsh.zsh`, `tsh.fish`, `tsh.ps1`, ..., `tctl.ps1`), generated from the programs'
 * trees. One function so `npm run completions` and the staleness test
 * cannot disagree about what the files should hold.
 */
export function completionFiles(): Record<string, string> {
  // The trees do not depend on the context; building them needs one.
  const ctx = processContext([]);
  const files: Record<string, string> = {};
  for (const program of [buildTsh(ctx), buildTctl(ctx)]) {
    const model = describeProgram(program);
    for (const shell of shells) files[`${program.name()}.${extensions[shell]}`] = renderCompletion(shell, model);
  }
  return files;
}
