import type { Command } from 'commander';
import type { CliContext } from '../../cliContext.js';
import { TshError } from '../../../shared/errors.js';

/** Placeholder until the local proxy lands (helper-4 replaces this file). */
export default async function (_ctx: CliContext, _cmd: Command): Promise<number> {
  throw new TshError('INTERNAL', 'not built yet');
}
