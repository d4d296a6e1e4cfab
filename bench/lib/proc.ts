/**
 * Readings from /proc: CPU ticks per process and for the whole machine, peak
 * memory, and the "is the machine quiet?" gate the anchor used.
 */
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

/** Clock ticks per second for /proc/<pid>/stat and /proc/stat. */
export const HZ = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

function statFields(pid: number): string[] | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return s.slice(s.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** utime + stime of a process (all its threads), in ticks; NaN once it is gone. */
export function procTicks(pid: number): number {
  const f = statFields(pid);
  return f ? Number(f[11]) + Number(f[12]) : NaN;
}

/** cutime + cstime: CPU of children this process has waited for, in ticks. */
export function childTicks(pid: number): number {
  const f = statFields(pid);
  return f ? Number(f[13]) + Number(f[14]) : NaN;
}

/** Machine-wide ticks: `task` = user + nice + system (what processes ran), irq, steal, idle. */
export function machineTicks(): { task: number; irq: number; steal: number; idle: number } {
  const v = readFileSync('/proc/stat', 'latin1').split('\n', 1)[0].trim().split(/\s+/).slice(1).map(Number);
  return { task: v[0] + v[1] + v[2], irq: v[5] + v[6], steal: v[7], idle: v[3] + v[4] };
}

/** A field of /proc/<pid>/status in MB (VmHWM, VmRSS), or NaN. */
export function statusMb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Cores busy over `ms` (user + nice + system + irq + softirq, whole machine). */
export async function busyCores(ms: number): Promise<number> {
  const a = machineTicks();
  await sleep(ms);
  const b = machineTicks();
  return (b.task + b.irq - a.task - a.irq) / HZ / (ms / 1000);
}

/** The noise gate every measured run passes (bench/run.ts fills it in). */
export interface GateOptions {
  /** Start a run only once the machine uses under this many cores... */
  quietCores: number;
  /** ...or after waiting this long. */
  quietMaxWaitMs: number;
  /** A run during which other processes used more than this is repeated. */
  disturbedCores: number;
  /** A run whose speed probe is slower than this factor of the best is repeated like a disturbed one. */
  maxSlowdown: number;
  maxRetries: number;
  /** False once the time budget is spent: disturbed runs are then kept. */
  mayRetry(): boolean;
  log(line: string): void;
}

/** How disturbed a run was, as a multiple of the gate's limits (over 1: disturbed); the least disturbed attempt is kept. */
export function disturbance(run: { otherCores: number; slowdown: number }, gate: GateOptions): number {
  return Math.max(run.otherCores / gate.disturbedCores, (run.slowdown - 1) / (gate.maxSlowdown - 1));
}

/**
 * Waits until the machine uses under `threshold` cores over two successive
 * 400 ms samples (our own idle processes included), at most `maxWaitMs`.
 * Returns the last reading and whether it got quiet.
 */
export async function waitQuiet(threshold: number, maxWaitMs: number): Promise<{ quiet: boolean; cores: number; waitedMs: number }> {
  const started = Date.now();
  let streak = 0;
  let cores = 0;
  for (;;) {
    cores = await busyCores(400);
    streak = cores < threshold ? streak + 1 : 0;
    if (streak >= 2) return { quiet: true, cores, waitedMs: Date.now() - started };
    if (Date.now() - started > maxWaitMs) return { quiet: false, cores, waitedMs: Date.now() - started };
  }
}

/** The probe's work, run in a fresh node process so the bench's own state (heap, JIT, timers) cannot colour it. */
const PROBE = `
const { createHash } = require('node:crypto');
const { performance } = require('node:perf_hooks');
const once = () => {
  const t = performance.now();
  const h = Buffer.alloc(256, 1);
  let x = 0;
  for (let i = 0; i < 8000; i++) x ^= createHash('sha256').update(h).digest()[0];
  for (let i = 0; i < 3e6; i++) x = (x * 31 + i) | 0;
  if (x === 0.5) throw new Error('unreachable');
  return performance.now() - t;
};
once();
const r = [once(), once(), once()].sort((a, b) => a - b);
process.stdout.write(String(r[1]));
`;

/**
 * A fixed piece of CPU work (hashing and integer arithmetic) in a fresh
 * process, in ms: the median of three tries after a warm-up. Contention the
 * guest cannot see as load (a busy host, CPU frequency changes) shows up as
 * this getting slower than its best reading.
 */
export function speedProbe(): number {
  const out = execFileSync(process.execPath, ['-e', PROBE], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
  return Number(out);
}
