/**
 * Quoting for the generated scripts. Everything that comes from the command
 * tree (descriptions, choices) passes through here, so an apostrophe in a
 * description cannot end a string early in any of the shells.
 */

/** A POSIX single-quoted word (bash and zsh): `it's` -> `'it'\''s'`. */
export function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A fish single-quoted word: only `\` and `'` are special inside. */
export function fishQuote(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** A PowerShell single-quoted string: only `'` is special inside, written twice. */
export function psQuote(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/**
 * Checks that a fixed value (an option choice, a command name) is one plain
 * word, as the scripts keep such values in space-separated lists.
 */
export function plainWord(s: string): string {
  if (!/^[\w@%+,./:=-]+$/.test(s)) throw new Error(`completion: "${s}" is not a plain word; the generated scripts keep fixed values in space-separated lists`);
  return s;
}
