import type { TeleportProcess } from '../../cluster/teleportProcess.js';
import type { Logger } from '../../cluster/logger.js';

/** Keeps the services running until SIGINT or SIGTERM, then stops them and returns 0. */
export function runUntilSignal(proc: TeleportProcess, log: Logger): Promise<number> {
  return new Promise((resolve) => {
    const stop = (sig: string) => {
      log.info('PROC', `received ${sig}, shutting down`);
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      void proc.close().then(() => resolve(0));
    };
    const onInt = () => stop('SIGINT');
    const onTerm = () => stop('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });
}
