/**
 * The services' log: one line per event, as text (`TIME LEVEL [COMPONENT] message`)
 * or, with `--log-format json` / `teleport.log.format: json`, as one JSON object a
 * line with Teleport's field names:
 *
 *   {"timestamp":"2026-11-24T10:00:00.000Z","level":"info","component":"APP","message":"..."}
 *
 * Nothing secret is ever passed here (keys, tokens, passwords, signatures);
 * URLs and paths are masked once more on the way out (maskSecrets).
 */
import { createWriteStream, openSync } from 'node:fs';
import { TshError } from '../shared/errors.js';
import { maskSecrets } from '../shared/text/maskSecrets.js';

export interface Logger {
  info(component: string, message: string): void;
  warn(component: string, message: string): void;
  error(component: string, message: string): void;
  debug(component: string, message: string): void;
}

/** `teleport.log.format` (`--log-format`). */
export const logFormats = ['text', 'json'] as const;
export type LogFormat = (typeof logFormats)[number];

/** The levels, least severe first; a logger writes its own level and the ones after it. */
const levels = ['debug', 'info', 'warn', 'error'] as const;
export type LogSeverity = (typeof levels)[number];

/** `teleport.log`, with defaults filled in. */
export interface LogConfig {
  format: LogFormat;
  severity: LogSeverity;
  /** `stderr`, `stdout` or a file path (appended to, 0600). */
  output: string;
}

/** The spellings `teleport.log.severity` accepts (Teleport's), by level. */
const severityNames: Record<string, LogSeverity> = { trace: 'debug', debug: 'debug', info: 'info', '': 'info', warn: 'warn', warning: 'warn', err: 'error', error: 'error' };

/** Reads a `teleport.log.severity` value; undefined when it is not one. */
export function parseSeverity(value: string): LogSeverity | undefined {
  return severityNames[value.toLowerCase()];
}

/** A logger writing lines to `write` (stderr by default), in the given format, from the given severity up. */
export function createLogger(opts: { format?: LogFormat; severity?: LogSeverity; debug?: boolean; write?: (line: string) => void } = {}): Logger {
  const write = opts.write ?? ((line: string) => process.stderr.write(line));
  const min = levels.indexOf(opts.debug ? 'debug' : (opts.severity ?? 'info'));
  const json = opts.format === 'json';
  const line = (level: LogSeverity, component: string, message: string) => {
    if (levels.indexOf(level) < min) return;
    const timestamp = new Date().toISOString();
    const text = maskSecrets(message);
    write(json ? JSON.stringify({ timestamp, level, component, message: text }) + '\n' : `${timestamp} ${level.toUpperCase().padEnd(5)} [${component}] ${text}\n`);
  };
  return {
    info: (c, m) => line('info', c, m),
    warn: (c, m) => line('warn', c, m),
    error: (c, m) => line('error', c, m),
    debug: (c, m) => line('debug', c, m),
  };
}

const stderrNames = ['', 'stderr', 'err', '2'];
const stdoutNames = ['stdout', 'out', '1'];

/** The file `teleport.log.output` names, or undefined when it names stderr, stdout or syslog. */
export function logFilePath(output: string): string | undefined {
  const o = output.trim();
  return [...stderrNames, ...stdoutNames, 'syslog'].includes(o) ? undefined : o;
}

/** Where `teleport.log.output` sends lines: stderr (`stderr`, `err`, `2`, empty), stdout (`stdout`, `out`, `1`) or a file. */
export function logWriter(output: string): (line: string) => void {
  const o = output.trim();
  if (stderrNames.includes(o)) return (line) => void process.stderr.write(line);
  if (stdoutNames.includes(o)) return (line) => void process.stdout.write(line);
  if (o === 'syslog') {
    throw new TshError('CONFIG', 'teleport.log.output "syslog" is not supported', { hint: 'log to stderr (under systemd it goes to the journal: `journalctl -u teleport`) or to a file path' });
  }
  let fd: number;
  try {
    fd = openSync(o, 'a', 0o600);
  } catch (err) {
    throw new TshError('CONFIG', `cannot open the log file ${o} (teleport.log.output): ${(err as NodeJS.ErrnoException).code ?? err}`, { hint: 'check the path and that teleport may write there' });
  }
  const stream = createWriteStream('', { fd });
  stream.on('error', (err) => process.stderr.write(`cannot write the log file ${o}: ${err.message}\n`));
  return (line) => void stream.write(line);
}

/** A logger that drops everything (tests that start many clusters). */
export const silentLogger: Logger = { info() {}, warn() {}, error() {}, debug() {} };
