/**
 * `npm run bench`: the performance targets of DESIGN.md ("Performance
 * targets"), measured in one run as ratios to baselines of the same run.
 *
 *   1. throughput / latency / CPU per request, side by side with the reference chains
 *        direct:    load generator -> fake AWS upstream
 *        naive:     load generator -> plain Node chain (3 processes) -> upstream        (anchor)
 *        go:        load generator -> Go chain (3 processes) -> upstream                (anchor)
 *        separate:  load generator -> tsh proxy aws -> cluster (auth+proxy) -> app service -> upstream
 *        one:       load generator -> tsh proxy aws -> teleport (auth+proxy+app, one process) -> upstream
 *      at C = 1, 8, 32, 128; each cell `reps` times, interleaved so that the
 *      scenarios of a concurrency run side by side in time
 *   2. large bodies: a 256 MiB download and a 64 MiB upload, direct and through both chains
 *   3. start-up: tsh version / tsh status vs node -e 0; tsh aws vs aws CLI alone
 *   4. memory: peak RSS (VmHWM) of the chain's processes after the 128-client runs
 *   5. the audit spool alone: the wait and CPU it adds to each request, events per write
 *
 * Progress goes to stderr, the tables to stdout, everything to
 * bench/results.json (git-ignored by bench/.gitignore). See bench/README.md.
 *
 * Options: --reps N (default 3), --quick (1 rep, shorter start-up rounds),
 * --concurrency 1,8,32,128, --scenarios direct,naive,go,separate,one,
 * --no-startup, --no-throughput, --no-transfer, --no-spool, --no-go,
 * --warmup-ms 2000, --measure-ms 5000, --budget-min 16,
 * --download-mib 256, --upload-mib 64, --anchors DIR (the reference chains; default bench/anchors),
 * --client undici|raw|node (the load generator's HTTP client, see bench/loadgen.mjs),
 * --node-flags "FLAGS" (extra node flags for the chain's processes, to try V8 settings),
 * --cpu-prof DIR (V8 CPU profiles of the chain's processes, written when they stop;
 * profiling slows them, so figures from such a run are not comparable).
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
import { rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { aggregate, render, targets, type MemoryResult } from './lib/report.js';
import { bestProbeMs, probeSpeed, runCell, scenariosOf, type CellResult, type Client, type Scenario } from './lib/throughput.js';
import { measureTransfers, type TransferResult } from './lib/transfer.js';
import { measureStartup, type StartupResult } from './lib/startup.js';
import { measureSpool, renderSpool, type SpoolCell } from './lib/spool.js';
import { busyCores, disturbance, HZ, statusMb } from './lib/proc.js';
import { repoRoot, startWorld, type World } from './lib/world.js';
import { ProcessSet } from './lib/processes.js';

function parseArgs(argv: string[]) {
  const o = {
    reps: 3, quick: false, concurrency: [1, 8, 32, 128], scenarios: undefined as Scenario[] | undefined, startup: true, throughput: true, transfer: true, spool: true, go: true,
    warmupMs: 2000, measureMs: 5000, budgetMin: 16, cpuProfDir: '', client: 'undici' as Client, downloadMib: 256, uploadMib: 64, anchors: '', nodeFlags: [] as string[],
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => argv[++i];
    if (a === '--reps') o.reps = Number(next());
    else if (a === '--quick') Object.assign(o, { quick: true, reps: 1 });
    else if (a === '--concurrency') o.concurrency = next().split(',').map(Number);
    else if (a === '--no-startup') o.startup = false;
    else if (a === '--no-throughput') o.throughput = false;
    else if (a === '--no-spool') o.spool = false;
    else if (a === '--no-transfer') o.transfer = false;
    else if (a === '--no-go') o.go = false;
    else if (a === '--scenarios') o.scenarios = next().split(',') as Scenario[];
    else if (a === '--download-mib') o.downloadMib = Number(next());
    else if (a === '--upload-mib') o.uploadMib = Number(next());
    else if (a === '--anchors') o.anchors = next();
    else if (a === '--node-flags') o.nodeFlags = next().split(/\s+/).filter(Boolean);
    else if (a === '--warmup-ms') o.warmupMs = Number(next());
    else if (a === '--measure-ms') o.measureMs = Number(next());
    else if (a === '--budget-min') o.budgetMin = Number(next());
    else if (a === '--cpu-prof') o.cpuProfDir = next();
    else if (a === '--client') {
      const c = next();
      if (c !== 'undici' && c !== 'raw' && c !== 'node') throw new Error('--client is undici, raw or node');
      o.client = c;
    }
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

const opts = parseArgs(process.argv.slice(2));
const t0 = Date.now();
const log = (line: string) => process.stderr.write(`[bench ${((Date.now() - t0) / 1000).toFixed(0).padStart(3)} s] ${line}\n`);
// Retries of disturbed runs stop once the budget is nearly spent, so the whole bench stays near budgetMin.
const mayRetry = () => Date.now() - t0 < (opts.budgetMin - 1.5) * 60_000;
const gate = {
  quietCores: 0.1,
  // Waiting for quiet also stops once the budget is nearly spent (each copy of `gate` reads this when made).
  get quietMaxWaitMs() {
    return mayRetry() ? 15_000 : 2_000;
  },
  disturbedCores: 0.15,
  maxSlowdown: 1.25,
  maxRetries: 2,
  mayRetry,
  log,
};

let world: World | undefined;
// Made here, not in startWorld: an interrupt while the world is starting must stop what was started so far.
const procs = new ProcessSet();
let stopping = false;
async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    await world?.close().catch(() => {});
    await procs.stopAll();
  }
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(130));
process.on('SIGTERM', () => void shutdown(143));
process.on('exit', () => {
  // Last resort if something threw past the normal path: nothing may outlive the bench.
  procs.killAllNow();
  if (world) rmSync(world.root, { recursive: true, force: true });
});

async function main(): Promise<void> {
  const env = { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model, loadavgAtStart: loadavg(), clockTicks: HZ, idleCoresAtStart: await busyCores(1000) };
  log(`node ${env.node}, ${env.cpus} cores, machine busy ${env.idleCoresAtStart.toFixed(2)} cores before start`);
  // The speed probe's best reading is the reference for "slowdown"; a few tries now give it a good start.
  for (let i = 0; i < 5; i++) probeSpeed();
  log(`speed probe: ${bestProbeMs().toFixed(1)} ms`);
  const nodeArgs = [...opts.nodeFlags, ...(opts.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${resolve(opts.cpuProfDir)}`] : [])];
  world = await startWorld(log, procs, { nodeArgs, anchors: opts.anchors, go: opts.go });
  const scenarios = scenariosOf(world).filter((s) => !opts.scenarios || opts.scenarios.includes(s));

  const cells: CellResult[] = [];
  let memory: MemoryResult | undefined;
  if (opts.throughput) {
    const label: Record<string, string> = { tshA: 'tsh proxy aws (separate)', tshB: 'tsh proxy aws (one process)', clusterA: 'cluster A auth+proxy', appA: 'app service A', clusterB: 'teleport B all-in-one', naive1: 'plain Node hop1', naive2: 'plain Node hop2', naive3: 'plain Node hop3' };
    if (world.go) Object.assign(label, { go1: 'Go hop1', go2: 'Go hop2', go3: 'Go hop3' });
    const pids = world.pids();
    const read = (f: 'VmRSS' | 'VmHWM') => Object.fromEntries(Object.entries(label).map(([k, v]) => [v, statusMb(pids[k], f)]));
    memory = { idleRssMb: read('VmRSS'), peakBefore128Mb: {}, peakMb: {} };
    for (const c of opts.concurrency) {
      if (c === 128) memory.peakBefore128Mb = read('VmHWM');
      for (let rep = 1; rep <= opts.reps; rep++) {
        // Rotate the order each rep so no scenario always runs first (or last) after a pause.
        const order = scenarios.map((_, i) => scenarios[(i + rep - 1) % scenarios.length]);
        for (const s of order) cells.push(await runCell(world, s, c, rep, { ...gate, client: opts.client, warmupMs: opts.warmupMs, measureMs: opts.measureMs }));
      }
    }
    memory.peakMb = read('VmHWM');
    if (!opts.concurrency.includes(128)) memory.peakBefore128Mb = memory.peakMb;
  }

  let transfers: TransferResult[] | undefined;
  if (opts.transfer) transfers = await measureTransfers(world, { ...gate, downloadMib: opts.downloadMib, uploadMib: opts.uploadMib });
  let startup: StartupResult | undefined;
  if (opts.startup) startup = await measureStartup(world, { ...gate, quick: opts.quick });
  let spool: SpoolCell[] | undefined;
  if (opts.spool) spool = await measureSpool(world.root, opts.concurrency, opts.quick ? 1000 : 3000, log);

  // Slowdowns against the best probe of the whole run (it may have improved after a cell ran).
  for (const c of cells) c.slowdown = c.probeMs / bestProbeMs();
  const aggs = aggregate(cells);
  const tg = targets(aggs, startup, opts.concurrency.includes(128) ? memory : undefined, transfers);
  const text = render(aggs, startup, memory, transfers, tg, { reps: opts.reps, warmupMs: opts.warmupMs, measureMs: opts.measureMs, client: opts.client, goSkipped: world.goSkipped, anchorsNote: world.anchorsNote });

  const retried = cells.filter((c) => c.attempts > 1).length;
  const disturbedKept = cells.filter((c) => disturbance(c, gate) > 1).length;
  const gateMissed = cells.filter((c) => !c.gate.quiet).length;
  const slow = cells.map((c) => c.slowdown).sort((a, b) => a - b);
  const noise =
    `Noise: ${cells.length} cells kept; ${retried} needed repeats (other processes used > ${gate.disturbedCores} core, or the CPU speed probe ran > ${gate.maxSlowdown}x slower than its best); ` +
    `${disturbedKept} kept although still disturbed (retries or time budget spent); quiet gate (< ${gate.quietCores} core for 0.8 s) not reached in time before ${gateMissed}. ` +
    `Max other load in a kept cell: ${Math.max(0, ...cells.map((c) => c.otherCores)).toFixed(2)} cores; speed probe of kept cells: median x${(slow[slow.length >> 1] ?? NaN).toFixed(2)}, worst x${(slow[slow.length - 1] ?? NaN).toFixed(2)}.` +
    (startup ? ` Start-up rounds kept: ${startup.rounds.filter((r) => r.kept).map((r) => `${r.group} ${r.otherCores.toFixed(2)} core x${r.slowdown.toFixed(2)}`).join(', ')}.` : '');
  const quiet = disturbedKept === 0 && gateMissed === 0;
  const verdict = quiet
    ? 'The machine was quiet for every kept cell: the verdicts stand.'
    : `NOT A QUIET RUN: ${disturbedKept} cell(s) kept disturbed and ${gateMissed} started before the machine was quiet; treat the verdicts as indicative and run again when \`uptime\` shows a low load.`;
  const total = `${verdict}\nTotal bench time: ${((Date.now() - t0) / 1000).toFixed(0)} s.`;
  const machine = `Machine: ${env.cpuModel ?? 'unknown CPU'}, ${env.cpus} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM; Node ${env.node}; load average at start ${env.loadavgAtStart.map((v) => v.toFixed(2)).join(' ')}; ${new Date().toISOString().slice(0, 10)}`;
  process.stdout.write(`\n${machine}\n\n${text}\n\n${spool ? `${renderSpool(spool)}\n\n` : ''}${noise}\n${total}\n`);

  const resultsPath = join(repoRoot, 'bench', 'results.json');
  await writeFile(
    resultsPath,
    JSON.stringify({ date: new Date().toISOString(), options: opts, environment: env, anchors: world.anchorsNote, goSkipped: world.goSkipped, gate: { ...gate, log: undefined, mayRetry: undefined }, aggregates: aggs, cells, transfers, startup, memory, spool, targets: tg, noise, quiet, seconds: (Date.now() - t0) / 1000 }, null, 2) + '\n',
  );
  log(`wrote ${resultsPath}`);
}

try {
  await main();
  await shutdown(0);
} catch (err) {
  process.stderr.write(`bench failed: ${(err as Error)?.stack ?? err}\n`);
  await shutdown(1);
}
