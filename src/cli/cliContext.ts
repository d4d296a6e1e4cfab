/**
 * What a command needs from the process, passed in rather than reached for,
 * so tests can run commands in-process and `run()` is the only place that
 * knows about exit codes.
 */
export interface CliContext {
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadStream;
  /** Colour on stdout: a terminal, no NO_COLOR, no --no-color, TERM not dumb. */
  color: boolean;
  /** The same for stderr (errors and warnings). */
  colorErr: boolean;
  /** --debug (or TELEPORT_DEBUG): stack traces and a request log on stderr. */
  debug: boolean;
}

/** True unless NO_COLOR is set (to anything non-empty), --no-color was given, or TERM is dumb. */
export function colourAllowed(env: NodeJS.ProcessEnv, argv: string[]): boolean {
  return !(env.NO_COLOR !== undefined && env.NO_COLOR !== '') && !argv.includes('--no-color') && env.TERM !== 'dumb';
}

/** The context of the running process. */
export function processContext(argv: string[]): CliContext {
  const env = process.env;
  const allowed = colourAllowed(env, argv);
  return {
    env,
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    color: allowed && Boolean(process.stdout.isTTY),
    colorErr: allowed && Boolean(process.stderr.isTTY),
    debug: Boolean(env.TELEPORT_DEBUG && env.TELEPORT_DEBUG !== '0' && env.TELEPORT_DEBUG !== 'false'),
  };
}
