/**
 * The completion model: what a shell needs to know about a program's command
 * tree, read once from commander (describeProgram.ts) and rendered by one
 * generator per shell. Plain data, so the three generators cannot disagree
 * about what the tree is.
 */

/**
 * Values a shell can only learn at completion time, from local files under
 * TELEPORT_HOME (`tsh __complete SOURCE [APP]`):
 *   apps        every app known: the last `tsh apps ls` plus the apps logged into
 *   app-logins  the apps logged into (all known apps when none)
 *   roles       IAM role names and ARNs of the app named on the line (all apps' when none)
 */
export const dynamicSources = ['apps', 'app-logins', 'roles'] as const;

/** One of {@link dynamicSources}. */
export type DynamicSource = (typeof dynamicSources)[number];

/** Where the values of an option or argument come from. */
export type ValueSource =
  | { type: 'none' }
  | { type: 'words'; words: string[] }
  | { type: 'files' }
  | { type: 'dynamic'; source: DynamicSource };

/** An option as completion sees it. */
export interface CompletionOption {
  /** `-f` (absent when the option has only a long form). */
  short?: string;
  /** `--format` (absent when the option has only a short form). */
  long?: string;
  description: string;
  /** True when the option is followed by a value (`<x>` or `[x]`). */
  takesValue: boolean;
  /** The placeholder's name (`format` for `<format>`), for messages. */
  valueName: string;
  values: ValueSource;
}

/** A positional argument as completion sees it. */
export interface CompletionArgument {
  name: string;
  description: string;
  required: boolean;
  variadic: boolean;
  values: ValueSource;
}

/** One command (the program itself at the root). */
export interface CompletionNode {
  name: string;
  aliases: string[];
  description: string;
  /** Subcommand names from the root (`['apps', 'login']`); empty for the program. */
  path: string[];
  options: CompletionOption[];
  arguments: CompletionArgument[];
  commands: CompletionNode[];
  /**
   * Everything after the first argument belongs to another program (`tsh aws ...`):
   * complete only this command's own options before it, nothing of ours after it.
   */
  passThrough: boolean;
  /**
   * Where the app this command acts on is named, so role values can be
   * narrowed to it: an option (`--app`) and/or an argument index.
   */
  appFrom: { option?: string; argument?: number };
}

/** Every flag spelling of an option (`-f`, `--format`). */
export function optionFlags(o: CompletionOption): string[] {
  return [o.short, o.long].filter((f): f is string => Boolean(f));
}

/** Every node of the tree, depth first, the root first. */
export function walkNodes(root: CompletionNode): CompletionNode[] {
  return [root, ...root.commands.flatMap(walkNodes)];
}
