/**
 * Colour and emphasis, only when the context allows it (a terminal, no
 * NO_COLOR, no --no-color). chalk is bundled, so loading it is cheap.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { CliContext } from './cliContext.js';

const cache = new WeakMap<CliContext, ChalkInstance>();

/** A chalk instance for the context: plain when colour is off. */
export function style(ctx: CliContext): ChalkInstance {
  let c = cache.get(ctx);
  if (!c) {
    c = new Chalk({ level: ctx.color ? 1 : 0 });
    cache.set(ctx, c);
  }
  return c;
}
