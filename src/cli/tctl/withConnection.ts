import type { Command } from 'commander';
import type { CliContext } from '../cliContext.js';
import { connect, type TctlConnection } from './connect.js';

/** Runs fn with a tctl connection and always closes it. */
export async function withConnection<T>(ctx: CliContext, cmd: Command, fn: (c: TctlConnection) => Promise<T>): Promise<T> {
  const c = await connect(ctx, cmd);
  try {
    return await fn(c);
  } finally {
    c.close();
  }
}
