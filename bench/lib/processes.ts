/**
 * Every process the bench starts goes through here, so that all of them are
 * stopped at the end (by pid, SIGTERM then SIGKILL after a grace period),
 * also when the bench fails or is interrupted.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

/** A started process with the tail of its output. */
export interface Started {
  name: string;
  child: ChildProcess;
  pid: number;
  /** Last ~64 kB of stdout + stderr. */
  logs(): string;
  /** Resolves with the first output line matching `re` (rejects on exit or timeout). */
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
}

const MAX_LOG = 64 * 1024;

export class ProcessSet {
  private readonly running = new Map<number, Started>();

  start(name: string, command: string, args: string[], opts: SpawnOptions & { stdin?: 'pipe' | 'ignore' } = {}): Started {
    const child = spawn(command, args, { ...opts, stdio: [opts.stdin ?? 'ignore', 'pipe', 'pipe'] });
    if (child.pid === undefined) throw new Error(`could not start ${name} (${command})`);
    let out = '';
    const watchers = new Set<() => void>();
    const onData = (d: Buffer) => {
      out += d;
      if (out.length > MAX_LOG) out = out.slice(-MAX_LOG);
      for (const w of watchers) w();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    const started: Started = {
      name,
      child,
      pid: child.pid,
      logs: () => out,
      waitFor: (re, timeoutMs = 30_000) =>
        new Promise((resolve, reject) => {
          const check = () => {
            const m = re.exec(out);
            if (m) {
              done();
              resolve(m);
            }
          };
          const onExit = (code: number | null) => {
            done();
            reject(new Error(`${name} exited (${code}) before printing ${re}:\n${out}`));
          };
          const timer = setTimeout(() => {
            done();
            reject(new Error(`${name} did not print ${re} within ${timeoutMs} ms:\n${out}`));
          }, timeoutMs);
          const done = () => {
            clearTimeout(timer);
            watchers.delete(check);
            child.off('exit', onExit);
          };
          watchers.add(check);
          child.once('exit', onExit);
          check();
        }),
    };
    this.running.set(child.pid, started);
    child.once('exit', () => this.running.delete(child.pid!));
    return started;
  }

  /** Stops one process: `signal`, then SIGKILL after `graceMs`. */
  async stop(p: Started, signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> {
    if (p.child.exitCode !== null || p.child.signalCode !== null) return;
    const exited = new Promise<void>((r) => p.child.once('exit', () => r()));
    const killer = setTimeout(() => p.child.kill('SIGKILL'), graceMs);
    p.child.kill(signal);
    await exited;
    clearTimeout(killer);
  }

  /** Stops everything still running, most recently started first. */
  async stopAll(): Promise<void> {
    const all = [...this.running.values()].reverse();
    await Promise.all(all.map((p) => this.stop(p)));
  }

  /** Synchronous last resort (process exit path): SIGKILL whatever is left, by pid. */
  killAllNow(): void {
    for (const p of this.running.values()) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  }
}
