/**
 * Which values complete where. commander knows an option's choices but not
 * that `--aws-role` takes an IAM role or `<app>` an app name, so the few
 * meanings it cannot carry are named here, by flag and argument name, rather
 * than annotated in each program's tree.
 */
import type { Argument, Option } from 'commander';
import type { ValueSource } from './model.js';

const none: ValueSource = { type: 'none' };

/** The values of an option of `program` (its name). */
export function optionValues(program: string, option: Option): ValueSource {
  if (option.argChoices?.length) return { type: 'words', words: [...option.argChoices] };
  if (program === 'tsh' && option.long === '--app') return { type: 'dynamic', source: 'app-logins' };
  if (program === 'tsh' && option.long === '--aws-role') return { type: 'dynamic', source: 'roles' };
  if (/[<[]file[\]>]/.test(option.flags)) return { type: 'files' };
  return none;
}

/**
 * The values of a positional argument. `siblings` are the names of the
 * commands next to this one (what `help [command]` takes).
 */
export function argumentValues(program: string, path: readonly string[], argument: Argument, opts: { isHelp: boolean; siblings: string[] }): ValueSource {
  if (argument.argChoices?.length) return { type: 'words', words: [...argument.argChoices] };
  if (opts.isHelp) return { type: 'words', words: opts.siblings };
  if (program === 'tsh' && argument.name() === 'app') {
    // Logging in is how an app joins the logged-in set; everything else acts on one of those.
    return { type: 'dynamic', source: path.join(' ') === 'apps login' ? 'apps' : 'app-logins' };
  }
  if (argument.name() === 'file') return { type: 'files' };
  return none;
}
