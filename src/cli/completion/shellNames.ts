/**
 * The shells we generate completion scripts for, in a module of its own so
 * the command trees can offer them as `completion <shell>` choices without
 * loading the generators.
 */
export const shells = ['bash', 'zsh', 'fish', 'powershell'] as const;

/** One of {@link shells}. */
export type Shell = (typeof shells)[number];
