import type { Command } from 'commander';
import type { CliContext } from '../../cliContext.js';
import { readTeleportConfig } from '../../../cluster/config/teleportConfig.js';
import { startTeleport } from '../../../cluster/teleportProcess.js';
import { createLogger } from '../../../cluster/logger.js';
import { runUntilSignal } from '../runUntilSignal.js';

/** teleport start -c FILE. */
export default async function (ctx: CliContext, cmd: Command): Promise<number> {
  const o = cmd.opts() as { config: string; insecure?: boolean; debug?: boolean };
  const input = await readTeleportConfig(o.config);
  const log = createLogger({ debug: o.debug });
  const proc = await startTeleport({ ...input, insecure: o.insecure }, { log });
  log.info('PROC', `tsh-aws is running (${[proc.auth && 'auth', proc.proxy && 'proxy', proc.app && 'app'].filter(Boolean).join(', ')}); press Ctrl-C to stop`);
  return runUntilSignal(proc, log);
}
