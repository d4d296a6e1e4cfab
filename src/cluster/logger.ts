/**
 * The services' log: one line per event on stderr, `LEVEL [COMPONENT] text`.
 * Nothing secret is ever passed here (keys, tokens, passwords, signatures).
 */
export interface Logger {
  info(component: string, message: string): void;
  warn(component: string, message: string): void;
  error(component: string, message: string): void;
  debug(component: string, message: string): void;
}

/** A logger writing to a stream (stderr by default); debug lines only when asked. */
export function createLogger(opts: { debug?: boolean; write?: (line: string) => void } = {}): Logger {
  const write = opts.write ?? ((line: string) => process.stderr.write(line));
  const line = (level: string, component: string, message: string) => write(`${new Date().toISOString()} ${level.padEnd(5)} [${component}] ${message}\n`);
  return {
    info: (c, m) => line('INFO', c, m),
    warn: (c, m) => line('WARN', c, m),
    error: (c, m) => line('ERROR', c, m),
    debug: (c, m) => {
      if (opts.debug) line('DEBUG', c, m);
    },
  };
}

/** A logger that drops everything (tests that start many clusters). */
export const silentLogger: Logger = { info() {}, warn() {}, error() {}, debug() {} };
