import { teleportHome } from './profile/paths.js';

/**
 * What every tsh operation needs to know about where it runs: TELEPORT_HOME,
 * the environment, and the global flags. Built once by the command layer.
 */
export interface ClientEnv {
  home: string;
  env: NodeJS.ProcessEnv;
  /** --proxy, else TELEPORT_PROXY. */
  proxy?: string;
  /** --user, else TELEPORT_USER. */
  user?: string;
  /** --insecure: do not verify the proxy's certificate. */
  insecure: boolean;
  debug: boolean;
  /** Where warnings go (stderr). */
  warn(message: string): void;
  /** The --debug request log (stderr); a no-op without --debug. Never given secrets. */
  log(message: string): void;
}

/** Builds a ClientEnv from flags and the environment. */
export function clientEnv(
  flags: { proxy?: string; user?: string; insecure?: boolean; debug?: boolean },
  env: NodeJS.ProcessEnv,
  warn: (m: string) => void,
  log: (m: string) => void = () => {},
): ClientEnv {
  return {
    home: teleportHome(env),
    env,
    proxy: flags.proxy || env.TELEPORT_PROXY || undefined,
    user: flags.user || env.TELEPORT_USER || undefined,
    insecure: Boolean(flags.insecure),
    debug: Boolean(flags.debug || env.TELEPORT_DEBUG),
    warn,
    log,
  };
}
