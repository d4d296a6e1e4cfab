import type { CliContext } from '../cliContext.js';
import { withDefaults, type TeleportConfigInput } from '../../cluster/config/teleportConfig.js';
import { createLogger, logWriter, type LogFormat } from '../../cluster/logger.js';
import { startTeleport } from '../../cluster/teleportProcess.js';
import { TshError, exitCodeFor } from '../../shared/errors.js';
import { report } from '../report.js';
import { runUntilSignal } from './runUntilSignal.js';

/** The flags `teleport start` and `teleport app start` share; they override teleport.yaml. */
export interface ServiceFlags {
  insecure?: boolean;
  debug?: boolean;
  diagAddr?: string;
  logFormat?: LogFormat;
}

/**
 * Starts the services of a config (a file's or the flags'), with the log the
 * config and flags ask for, and runs them until SIGINT or SIGTERM. With JSON
 * logs a failure to start is one JSON log line too, so every line a log
 * collector sees parses.
 */
export async function runServices(ctx: CliContext, input: TeleportConfigInput, flags: ServiceFlags): Promise<number> {
  const config = withDefaults({
    ...input,
    insecure: flags.insecure ?? input.insecure,
    diagAddr: flags.diagAddr ?? input.diagAddr,
    log: { ...input.log, ...(flags.logFormat ? { format: flags.logFormat } : {}), ...(flags.debug ? { severity: 'debug' as const } : {}) },
  });
  const log = createLogger({ format: config.log.format, severity: config.log.severity, write: logWriter(config.log.output) });
  try {
    const proc = await startTeleport(config, { log });
    log.info('PROC', `tsh-aws is running (${[proc.auth && 'auth', proc.proxy && 'proxy', proc.app && 'app'].filter(Boolean).join(', ')}); press Ctrl-C to stop`);
    return await runUntilSignal(proc, log);
  } catch (err) {
    if (config.log.format !== 'json') return report(ctx, err);
    const e = err instanceof TshError ? err : undefined;
    log.error('PROC', e ? `${e.message}${e.hint ? ` (${e.hint})` : ''}` : `failed to start: ${(err as Error)?.message ?? err}`);
    return exitCodeFor(err);
  }
}
