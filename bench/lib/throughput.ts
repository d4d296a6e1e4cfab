/**
 * One throughput cell: a load generator process against one scenario at one
 * concurrency, gated like the anchor (start when the machine is quiet; a run
 * during which other processes used more than 0.15 core is repeated).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { disturbance, HZ, procTicks, speedProbe, waitQuiet, type GateOptions } from './proc.js';
import { baseEnv, repoRoot, type World } from './world.js';

export type Scenario = 'direct' | 'naive' | 'go' | 'separate' | 'one';
export const SCENARIOS: Scenario[] = ['direct', 'naive', 'go', 'separate', 'one'];
export const SCENARIO_TITLE: Record<Scenario, string> = {
  direct: 'direct (client -> upstream)',
  naive: 'plain Node chain (anchor)',
  go: 'Go chain (anchor)',
  separate: 'chain, separate processes',
  one: 'chain, auth+proxy+app in one process',
};

/** The chain's processes (labels of World.pids) whose CPU is summed per request. */
export const CHAIN: Record<Scenario, string[]> = {
  direct: [],
  naive: ['naive1', 'naive2', 'naive3'],
  go: ['go1', 'go2', 'go3'],
  separate: ['tshA', 'clusterA', 'appA'],
  one: ['tshB', 'clusterB'],
};
export const LABEL: Record<string, string> = {
  tshA: 'tsh proxy',
  clusterA: 'cluster proxy (auth+proxy)',
  appA: 'app service',
  tshB: 'tsh proxy',
  clusterB: 'teleport (auth+proxy+app)',
  naive1: 'hop1',
  naive2: 'hop2',
  naive3: 'hop3',
  go1: 'hop1',
  go2: 'hop2',
  go3: 'hop3',
  upstream: 'upstream',
  loadgen: 'load generator',
};

/** The scenarios this world can run (the Go chain only where it was built). */
export function scenariosOf(world: World): Scenario[] {
  return SCENARIOS.filter((s) => s !== 'go' || world.go);
}

export interface LoadgenOutput {
  fatal?: string;
  seconds: number;
  requests: number;
  rps: number;
  errors: number;
  warmupErrors: number;
  reconnects: number;
  statuses: Record<string, number>;
  errorSamples: string[];
  connectMs: number;
  latencyMs: { p50: number; p90: number; p99: number; p999: number; max: number; mean: number };
  cpuTicks: Record<string, number>;
  endTicks: Record<string, number>;
  machineTicks: { task: number; irq: number; steal: number; idle: number };
  window: { startMs: number; endMs: number };
  /** Per leg: connections open at the window's end, and opened inside it. */
  legs: Record<string, { open: number; opened: number }>;
}

export interface CellResult {
  scenario: Scenario;
  concurrency: number;
  rep: number;
  attempts: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  errors: number;
  warmupErrors: number;
  requests: number;
  /** CPU µs per request of each bench process during the window. */
  cpuUsPerReq: Record<string, number>;
  /** Σ over the chain's processes. */
  chainUsPerReq: number;
  /**
   * CPU the chain's processes spent after the window until they were idle
   * again (work the requests left behind, e.g. an audit backlog), per request
   * of the window; and how long that took.
   */
  tailUsPerReq: Record<string, number>;
  chainTailUsPerReq: number;
  tailMs: number;
  /** Cores used by processes that are not the bench's during the window. */
  otherCores: number;
  stealCores: number;
  /**
   * The speed probe around the run (slowest of before/after) over its best
   * reading in this bench: 1.00 = as fast as the machine ever was; 1.20 = CPU
   * work took 20% longer (host contention the guest cannot see as load).
   */
  slowdown: number;
  /** The raw probe reading behind `slowdown` (ms). */
  probeMs: number;
  /** Cores busy just before the run (the quiet gate's last reading), and whether the gate was met. */
  gate: { quiet: boolean; cores: number; waitedMs: number };
  errorSamples: string[];
  /** Per leg of the chain (named by the hop it connects to): connections open at the window's end, opened inside it. */
  legs: Record<string, { open: number; opened: number }>;
  /** TLS connections the upstream accepted inside the measured window (its own count). */
  upstreamHandshakes: number;
}

export type Client = 'undici' | 'raw' | 'node';

export interface CellOptions extends GateOptions {
  /** Load generator's HTTP client: 'undici' (the default, as the anchors were measured), 'raw' (minimal) or 'node' (https.Agent). */
  client: Client;
  warmupMs: number;
  measureMs: number;
}

function loadgenConfig(world: World, scenario: Scenario, concurrency: number, opts: CellOptions): Record<string, unknown> {
  const common = { client: opts.client, concurrency, warmupMs: opts.warmupMs, measureMs: opts.measureMs, pids: world.pids(), expectBodyBytes: 190 };
  if (scenario === 'direct') {
    return {
      ...common,
      mode: 'direct',
      upstream: { host: '127.0.0.1', port: world.upstream.port },
      caFile: world.upstream.caFile,
      credentials: { accessKeyId: 'AKIDBENCHDIRECT00000', secretAccessKey: 'direct-secret-not-checked' },
    };
  }
  const up = world.upstream.port;
  if (scenario === 'naive' || scenario === 'go') {
    const a = world[scenario]!;
    return {
      ...common,
      mode: 'proxy',
      proxy: { host: '127.0.0.1', port: a.ports.hop1 },
      caFile: a.caFile,
      credentials: a.credentials,
      legs: { 'client->hop1': a.ports.hop1, 'hop1->hop2': a.ports.hop2, 'hop2->hop3': a.ports.hop3, '->upstream': up },
    };
  }
  const t = scenario === 'separate' ? world.tshA : world.tshB;
  const cluster = new URL(`https://${scenario === 'separate' ? world.clusterA.proxyAddr : world.clusterB.proxyAddr}`);
  const legs: Record<string, number> = { 'client->tsh': t.port, 'tsh->proxy': Number(cluster.port), '->upstream': up };
  return { ...common, mode: 'proxy', proxy: { host: t.host, port: t.port }, caFile: t.caFile, credentials: { accessKeyId: t.accessKeyId, secretAccessKey: t.secretAccessKey }, legs };
}

/** Runs the load generator once and returns what it printed. */
export function runLoadgen(config: Record<string, unknown>): Promise<LoadgenOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bench', 'loadgen.mjs'), JSON.stringify(config)], {
      env: baseEnv(process.env.HOME ?? '/tmp'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = out.trim().split('\n').pop() ?? '';
      try {
        const parsed = JSON.parse(line) as LoadgenOutput;
        if (parsed.fatal) return reject(new Error(`load generator: ${parsed.fatal}\n${err}`));
        resolve(parsed);
      } catch {
        reject(new Error(`load generator exited ${code} without a result:\n${out}\n${err}`));
      }
    });
  });
}

/** Best (lowest) speed probe reading so far. */
let bestProbe = Infinity;

/** Runs the probe and returns its reading. */
export function probeSpeed(): number {
  const ms = speedProbe();
  bestProbe = Math.min(bestProbe, ms);
  return ms;
}

/** A reading relative to the best one so far. */
export const slowdownOf = (ms: number) => ms / bestProbe;
/** The best reading so far (ms). */
export const bestProbeMs = () => bestProbe;

/**
 * After a run: waits until the bench's processes are idle again (under 2
 * ticks per 500 ms together, at most 30 s) and returns the ticks each spent
 * since the end of the window.
 */
async function waitIdle(pids: Record<string, number>, endTicks: Record<string, number>): Promise<{ ticks: Record<string, number>; ms: number }> {
  const started = Date.now();
  const read = () => Object.fromEntries(Object.entries(pids).filter(([k]) => k !== 'orchestrator').map(([k, pid]) => [k, procTicks(pid)]));
  let prev = read();
  let last = prev;
  while (Date.now() - started < 30_000) {
    await new Promise((r) => setTimeout(r, 500));
    last = read();
    const moved = Object.keys(last).reduce((a, k) => a + (last[k] - prev[k] || 0), 0);
    prev = last;
    if (moved <= 2) break;
  }
  const ticks: Record<string, number> = {};
  for (const k of Object.keys(last)) ticks[k] = Math.max(0, last[k] - (endTicks[k] ?? last[k]));
  return { ticks, ms: Date.now() - started };
}

function toCell(scenario: Scenario, concurrency: number, rep: number, attempts: number, o: LoadgenOutput, gate: CellResult['gate'], probeMs: number, tail: { ticks: Record<string, number>; ms: number }, upstreamHandshakes: number): CellResult {
  const cpuUsPerReq: Record<string, number> = {};
  let ours = 0;
  for (const [k, ticks] of Object.entries(o.cpuTicks)) {
    if (Number.isFinite(ticks)) ours += ticks;
    cpuUsPerReq[k] = o.requests ? ((ticks / HZ) * 1e6) / o.requests : NaN;
  }
  const chainUsPerReq = CHAIN[scenario].reduce((a, k) => a + cpuUsPerReq[k], 0);
  const tailUsPerReq: Record<string, number> = {};
  for (const [k, ticks] of Object.entries(tail.ticks)) tailUsPerReq[k] = o.requests ? ((ticks / HZ) * 1e6) / o.requests : NaN;
  const chainTailUsPerReq = CHAIN[scenario].reduce((a, k) => a + (tailUsPerReq[k] ?? 0), 0);
  return {
    scenario,
    concurrency,
    rep,
    attempts,
    rps: o.rps,
    // JSON turns NaN into null (no request completed in the window).
    p50: o.latencyMs.p50 ?? NaN,
    p90: o.latencyMs.p90 ?? NaN,
    p99: o.latencyMs.p99 ?? NaN,
    max: o.latencyMs.max ?? NaN,
    errors: o.errors + (o.requests === 0 ? 1 : 0),
    warmupErrors: o.warmupErrors,
    requests: o.requests,
    cpuUsPerReq,
    chainUsPerReq,
    tailUsPerReq,
    chainTailUsPerReq,
    tailMs: tail.ms,
    // Per-process times include the softirq work done in their context (loopback networking), which
    // /proc/stat books as irq/softirq: so "busy" is user+nice+system+irq+softirq.
    otherCores: Math.max(0, (o.machineTicks.task + o.machineTicks.irq - ours) / HZ / o.seconds),
    stealCores: o.machineTicks.steal / HZ / o.seconds,
    slowdown: slowdownOf(probeMs),
    probeMs,
    gate,
    errorSamples: o.requests === 0 ? [...o.errorSamples, 'no request completed in the measured window'] : o.errorSamples,
    legs: o.legs ?? {},
    upstreamHandshakes,
  };
}

/** One cell, with the quiet gate and repeats of disturbed runs; keeps the least disturbed attempt. */
export async function runCell(world: World, scenario: Scenario, concurrency: number, rep: number, opts: CellOptions): Promise<CellResult> {
  let best: CellResult | undefined;
  for (let attempt = 1; ; attempt++) {
    const gate = await waitQuiet(opts.quietCores, opts.quietMaxWaitMs);
    const before = probeSpeed();
    const out = await runLoadgen(loadgenConfig(world, scenario, concurrency, opts));
    const tail = await waitIdle(world.pids(), out.endTicks);
    const after = probeSpeed();
    const handshakes = (await world.upstream.handshakes()).filter((t) => t >= out.window.startMs && t <= out.window.endMs).length;
    // The better of the two readings: a momentary blip in one probe is not a disturbed run; slowness on both sides is.
    const cell = toCell(scenario, concurrency, rep, attempt, out, gate, Math.min(before, after), tail, handshakes);
    if (!best || disturbance(cell, opts) < disturbance(best, opts)) best = { ...cell, attempts: attempt };
    best.attempts = attempt;
    const disturbed = disturbance(cell, opts) > 1;
    opts.log(
      `${scenario.padEnd(8)} C=${String(concurrency).padEnd(3)} rep ${rep} try ${attempt}: ${cell.rps.toFixed(0).padStart(6)} req/s  p50 ${cell.p50.toFixed(2)} p99 ${cell.p99.toFixed(2)} ms  ` +
        `${scenario === 'direct' ? '' : `new conns ${Object.values(cell.legs).reduce((a, l) => a + l.opened, 0)}+${cell.upstreamHandshakes}  `}chain ${scenario === 'direct' ? '-' : cell.chainUsPerReq.toFixed(0)} µs/req${cell.chainTailUsPerReq >= 1 ? ` (+${cell.chainTailUsPerReq.toFixed(0)} after, ${(cell.tailMs / 1000).toFixed(1)} s)` : ''}  errors ${cell.errors}  other load ${cell.otherCores.toFixed(2)} core, speed x${cell.slowdown.toFixed(2)}${gate.quiet ? '' : ` (gate not met: ${gate.cores.toFixed(2)})`}${disturbed ? '  DISTURBED' : ''}`,
    );
    if (!disturbed || attempt > opts.maxRetries || !opts.mayRetry()) return best;
  }
}
