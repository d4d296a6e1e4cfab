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
  /** Colour on stdout/stderr: a terminal, no NO_COLOR, no --no-color. */
  color: boolean;
  debug: boolean;
}

/** The context of the running process. */
export function processContext(argv: string[]): CliContext {
  const env = process.env;
  const noColorFlag = argv.includes('--no-color');
  return {
    env,
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    color: Boolean(process.stderr.isTTY) && !('NO_COLOR' in env && env.NO_COLOR !== '') && !noColorFlag && env.TERM !== 'dumb',
    debug: argv.includes('--debug') || argv.includes('-d') || Boolean(env.TELEPORT_DEBUG),
  };
}
