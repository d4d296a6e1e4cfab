/**
 * Printing: data on stdout, messages on stderr; `-f json|yaml` wherever
 * something is listed or described; aligned tables otherwise.
 */
import type { CliContext } from './cliContext.js';
import { TshError } from '../shared/errors.js';
import { formatTable } from '../shared/text/table.js';
import { style, styleErr } from './style.js';

/** The `-f` choices of listing commands: `text` for people, `json` and `yaml` for scripts. */
export type Format = 'text' | 'json' | 'yaml';

/** Checks a -f value against the formats a command supports. */
export function parseFormat<T extends string>(value: string | undefined, allowed: readonly T[], fallback: T): T {
  const v = (value ?? fallback) as T;
  if (!allowed.includes(v)) throw new TshError('USAGE', `invalid format "${value}", expected one of ${allowed.join(', ')}`);
  return v;
}

/** Writes data as JSON (2-space indent) or YAML, or calls `text` for the human form. */
export async function printData(ctx: CliContext, format: Format, data: unknown, text: () => string): Promise<void> {
  if (format === 'json') ctx.stdout.write(JSON.stringify(data, null, 2) + '\n');
  else if (format === 'yaml') {
    const { toYaml: stringify } = await import('../shared/yaml/toYaml.js');
    ctx.stdout.write(stringify(data));
  } else ctx.stdout.write(text());
}

/** An aligned table with a bold header on terminals. */
export function table(ctx: CliContext, headers: string[], rows: string[][]): string {
  const s = style(ctx);
  const text = formatTable(headers, rows);
  const [head, ...rest] = text.split('\n');
  return [s.bold(head), ...rest].join('\n');
}

/** A line on stderr. */
export function say(ctx: CliContext, message: string): void {
  ctx.stderr.write(message + '\n');
}

/** A warning on stderr. */
export function warn(ctx: CliContext, message: string): void {
  ctx.stderr.write(`${styleErr(ctx).yellow('WARNING:')} ${message}\n`);
}

/** A debug line on stderr (only with --debug); callers never pass secrets. */
export function debug(ctx: CliContext, message: string): void {
  if (ctx.debug) ctx.stderr.write(`${styleErr(ctx).dim(`DEBUG ${new Date().toISOString().slice(11, 23)}`)} ${message}\n`);
}
