/**
 * How `tsh aws` starts its child: which file, with which arguments, and never
 * through a shell that would re-read the user's arguments (an argument such
 * as `a&calc` or `%PATH%` reaches the program as typed, on every platform).
 *
 *   aws ARGS / --exec PROGRAM ARGS     -> PROGRAM ARGS, no shell (Linux, macOS, Windows)
 *   --exec "PROGRAM FLAGS" ARGS        -> POSIX: /bin/sh -c 'PROGRAM FLAGS "$@"' with ARGS as "$@"
 *                                         (the --exec text may use shell syntax; ARGS are never split)
 *                                      -> Windows: the --exec text split into words here (double
 *                                         quotes group, as on cmd's command lines), then
 *                                         PROGRAM FLAGS ARGS without a shell
 */

/** What to hand to child_process.spawn. */
export interface ChildCommand {
  file: string;
  args: string[];
}

/** The command for `program` (the aws CLI, or the --exec text) and the user's arguments on `platform`. */
export function childCommand(program: string, args: string[], platform: NodeJS.Platform = process.platform): ChildCommand {
  if (!/\s/.test(program.trim())) return { file: program.trim(), args };
  if (platform === 'win32') {
    const [file, ...flags] = splitWindowsCommand(program);
    return { file, args: [...flags, ...args] };
  }
  // `$0` is the command text (for the shell's messages); ARGS become "$@", never re-split.
  return { file: '/bin/sh', args: ['-c', `${program} "$@"`, program, ...args] };
}

/**
 * Splits a command text into words the way Windows programs read their
 * command line: spaces and tabs separate words, double quotes group
 * (`"C:\Program Files\tf.exe" -chdir="my dir"` is two words), `\"` is a
 * literal quote. Nothing else is special: no variables, no `&`, no `^`.
 */
export function splitWindowsCommand(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\' && text[i + 1] === '"') {
      word += '"';
      inWord = true;
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
      inWord = true;
    } else if ((ch === ' ' || ch === '\t') && !quoted) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}
