/**
 * A long-running program of ours as a child process (`teleport start`,
 * `teleport sandbox`, `tsh proxy aws`): its output so far, a wait for a line
 * it prints, and a stop that says how it exited.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { binPath } from './binaries.js';

export interface LongRunning {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `pattern` in stdout + stderr; rejects when the program exits first or past the deadline. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Sends the signal (SIGTERM by default; SIGKILL after 10 s) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `bin/<program> ...args` with exactly `env`. */
export function startLongRunning(program: 'tsh' | 'tctl' | 'teleport', args: string[], env: NodeJS.ProcessEnv, opts: { cwd?: string; command?: string } = {}): LongRunning {
  const child = spawn(opts.command ?? process.execPath, opts.command ? args : [binPath(program), ...args], { env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code, signal) => resolve(code ?? (signal ? 128 : null))));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    waitFor(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const deadline = Date.now() + timeoutMs;
        const check = () => {
          const m = (out + err).match(pattern);
          if (m) return resolve(m);
          if (child.exitCode !== null || child.signalCode !== null) return reject(new Error(`${program} exited (${child.exitCode ?? child.signalCode}) before printing ${pattern}:\n${out}${err}`));
          if (Date.now() > deadline) return reject(new Error(`${program} did not print ${pattern} within ${timeoutMs} ms:\n${out}${err}`));
          setTimeout(check, 50);
        };
        check();
      });
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) {
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.kill(signal);
        const code = await exited;
        clearTimeout(killer);
        return code;
      }
      return exited;
    },
  };
}

/** Resolves once `check` returns a value other than undefined (polled every 100 ms), or rejects past the deadline with `what`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
