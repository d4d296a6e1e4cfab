/**
 * Colour and emphasis, only when the context allows it (a terminal, no
 * NO_COLOR, no --no-color). chalk is bundled, so loading it is cheap.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { CliContext } from './cliContext.js';

const plain = new Chalk({ level: 0 });
const coloured = new Chalk({ level: 1 });

/** Styles for text written to stdout. */
export function style(ctx: CliContext): ChalkInstance {
  return ctx.color ? coloured : plain;
}

/** Styles for text written to stderr (errors, warnings, hints). */
export function styleErr(ctx: CliContext): ChalkInstance {
  return ctx.colorErr ? coloured : plain;
}
