/**
 * Turns the raw cells into the figures the design's targets are stated in,
 * and prints them as tables.
 */
import { CHAIN, LABEL, SCENARIOS, SCENARIO_TITLE, type CellResult, type Scenario } from './throughput.js';
import type { StartupResult } from './startup.js';
import type { TransferResult } from './transfer.js';

export interface Aggregate {
  scenario: Scenario;
  concurrency: number;
  runs: number;
  rps: number;
  rpsMin: number;
  rpsMax: number;
  p50: number;
  p99: number;
  errors: number;
  warmupErrors: number;
  ratioToDirect: number;
  chainUsPerReq: number;
  /** Median CPU the chain spent after the window (work left behind), per request of the window. */
  chainTailUsPerReq: number;
  /** Median µs per request of each process (in the window). */
  usPerReq: Record<string, number>;
  maxOtherCores: number;
  maxSlowdown: number;
  /** Summed over the runs: connections opened inside measured windows per leg, and the upstream's TLS handshakes in them. */
  legsOpened: Record<string, number>;
  upstreamHandshakes: number;
}

export interface MemoryResult {
  /** label -> MB */
  idleRssMb: Record<string, number>;
  peakBefore128Mb: Record<string, number>;
  peakMb: Record<string, number>;
}

export interface Target {
  name: string;
  limit: string;
  measured: string;
  pass: boolean;
}

export const median = (xs: number[]) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export function aggregate(cells: CellResult[]): Aggregate[] {
  const out: Aggregate[] = [];
  const cs = [...new Set(cells.map((c) => c.concurrency))].sort((a, b) => a - b);
  for (const c of cs) {
    for (const s of SCENARIOS) {
      const runs = cells.filter((x) => x.scenario === s && x.concurrency === c);
      if (!runs.length) continue;
      const usPerReq: Record<string, number> = {};
      for (const k of Object.keys(runs[0].cpuUsPerReq)) usPerReq[k] = median(runs.map((r) => r.cpuUsPerReq[k]));
      out.push({
        scenario: s,
        concurrency: c,
        runs: runs.length,
        rps: median(runs.map((r) => r.rps)),
        rpsMin: Math.min(...runs.map((r) => r.rps)),
        rpsMax: Math.max(...runs.map((r) => r.rps)),
        p50: median(runs.map((r) => r.p50)),
        p99: median(runs.map((r) => r.p99)),
        errors: runs.reduce((a, r) => a + r.errors, 0),
        warmupErrors: runs.reduce((a, r) => a + r.warmupErrors, 0),
        ratioToDirect: NaN,
        chainUsPerReq: median(runs.map((r) => r.chainUsPerReq)),
        chainTailUsPerReq: median(runs.map((r) => r.chainTailUsPerReq)),
        usPerReq,
        maxOtherCores: Math.max(...runs.map((r) => r.otherCores)),
        maxSlowdown: Math.max(...runs.map((r) => r.slowdown)),
        legsOpened: sumLegs(runs),
        upstreamHandshakes: runs.reduce((a, r) => a + r.upstreamHandshakes, 0),
      });
    }
  }
  for (const a of out) {
    const d = out.find((x) => x.scenario === 'direct' && x.concurrency === a.concurrency);
    a.ratioToDirect = d ? a.rps / d.rps : NaN;
  }
  return out;
}

function sumLegs(runs: CellResult[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of runs) for (const [leg, l] of Object.entries(r.legs)) out[leg] = (out[leg] ?? 0) + l.opened;
  return out;
}

/** Column-aligned table with a header rule. */
export function table(header: string[], rows: string[][]): string {
  const w = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => '| ' + r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join(' | ') + ' |';
  return [line(header), '|' + w.map((n, i) => (i === 0 ? ':' : '') + '-'.repeat(n + 1) + (i === 0 ? '' : ':')).join('|') + '|', ...rows.map(line)].join('\n');
}

const f0 = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : '–');
const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '–');

/** The limits of issue 12 / DESIGN.md ("Performance targets"), in one place. */
export const LIMITS = {
  vsNaiveAt32: 2.0,
  vsGoAt32: 0.8,
  oneVsGoAt32: 1.0,
  addedP50VsNaive: 0.5,
  addedP50VsGo: 1.5,
  p99OverP50: 3,
  cpuAt1OverAt32: 1.5,
  tshPeakMb: 80,
  servicePeakMb: 120,
  tshAwsVsAws: 1.15,
  versionVsNode: 1.3,
  statusVsNode: 1.6,
  downloadVsDirect: 0.5,
  rssGrowthMb: 32,
};

const CHAINS = ['separate', 'one'] as const;

export function targets(aggs: Aggregate[], startup: StartupResult | undefined, memory: MemoryResult | undefined, transfers: TransferResult[] | undefined): Target[] {
  const t: Target[] = [];
  const get = (s: Scenario, c: number) => aggs.find((a) => a.scenario === s && a.concurrency === c);
  const ratio = (a: Aggregate | undefined, b: Aggregate | undefined) => (a && b ? a.rps / b.rps : NaN);
  const x = (v: number) => `${f2(v)}x`;
  const sep32 = get('separate', 32);
  const one32 = get('one', 32);
  const naive32 = get('naive', 32);
  const go32 = get('go', 32);
  if (sep32 && naive32) t.push({ name: 'requests/s at 32 clients, separate processes vs plain Node chain', limit: `>= ${LIMITS.vsNaiveAt32}x`, measured: `${x(ratio(sep32, naive32))} (${f0(sep32.rps)} vs ${f0(naive32.rps)})`, pass: ratio(sep32, naive32) >= LIMITS.vsNaiveAt32 });
  if (sep32 && go32) t.push({ name: 'requests/s at 32 clients, separate processes vs Go chain', limit: `>= ${LIMITS.vsGoAt32}x`, measured: `${x(ratio(sep32, go32))} (${f0(sep32.rps)} vs ${f0(go32.rps)})`, pass: ratio(sep32, go32) >= LIMITS.vsGoAt32 });
  if (one32 && go32) t.push({ name: 'requests/s at 32 clients, one process vs Go chain', limit: `>= ${LIMITS.oneVsGoAt32}x`, measured: `${x(ratio(one32, go32))} (${f0(one32.rps)} vs ${f0(go32.rps)})`, pass: ratio(one32, go32) >= LIMITS.oneVsGoAt32 });
  const d1 = get('direct', 1);
  const added = (s: Scenario) => {
    const a = get(s, 1);
    return a && d1 ? a.p50 - d1.p50 : NaN;
  };
  for (const s of CHAINS) {
    const a = get(s, 1);
    if (!a || !d1) continue;
    const mine = added(s);
    if (get('naive', 1)) t.push({ name: `added p50 at 1 client (${s}) vs plain Node chain's`, limit: `<= ${LIMITS.addedP50VsNaive}x`, measured: `${x(mine / added('naive'))} (${f2(mine)} vs ${f2(added('naive'))} ms)`, pass: mine / added('naive') <= LIMITS.addedP50VsNaive });
    if (get('go', 1)) t.push({ name: `added p50 at 1 client (${s}) vs Go chain's`, limit: `<= ${LIMITS.addedP50VsGo}x`, measured: `${x(mine / added('go'))} (${f2(mine)} vs ${f2(added('go'))} ms)`, pass: mine / added('go') <= LIMITS.addedP50VsGo });
    t.push({ name: `p99 / p50 at 1 client (${s})`, limit: `<= ${LIMITS.p99OverP50}x`, measured: `${x(a.p99 / a.p50)} (${f2(a.p99)} / ${f2(a.p50)} ms)`, pass: a.p99 / a.p50 <= LIMITS.p99OverP50 });
    const b = get(s, 32);
    if (b) {
      const c1 = a.chainUsPerReq + a.chainTailUsPerReq;
      const c32 = b.chainUsPerReq + b.chainTailUsPerReq;
      t.push({ name: `CPU per request at 1 client vs at 32 (${s}, whole chain)`, limit: `<= ${LIMITS.cpuAt1OverAt32}x`, measured: `${x(c1 / c32)} (${f0(c1)} vs ${f0(c32)} µs)`, pass: c1 / c32 <= LIMITS.cpuAt1OverAt32 });
    }
  }
  const errs = aggs.reduce((a, v) => a + v.errors + v.warmupErrors, 0);
  if (aggs.length) t.push({ name: 'errors at every concurrency, every scenario (incl. warm-up)', limit: '0', measured: String(errs), pass: errs === 0 });
  for (const s of CHAINS) {
    const rows = aggs.filter((a) => a.scenario === s);
    if (!rows.length) continue;
    const opened = rows.reduce((a, r) => a + Object.values(r.legsOpened).reduce((p, q) => p + q, 0), 0);
    const hs = rows.reduce((a, r) => a + r.upstreamHandshakes, 0);
    t.push({ name: `keep-alive on every leg (${s}): connections opened inside measured windows`, limit: '0', measured: `${opened} on the legs, ${hs} TLS handshakes at the upstream`, pass: opened === 0 && hs === 0 });
  }
  if (memory) {
    const mem = (label: string, limit: number) => {
      const mb = memory.peakMb[label];
      if (mb !== undefined && Number.isFinite(mb)) t.push({ name: `peak RSS at 128 clients: ${label}`, limit: `<= ${limit} MB`, measured: `${mb.toFixed(1)} MB`, pass: mb <= limit });
    };
    mem('tsh proxy aws (separate)', LIMITS.tshPeakMb);
    mem('tsh proxy aws (one process)', LIMITS.tshPeakMb);
    mem('cluster A auth+proxy', LIMITS.servicePeakMb);
    mem('app service A', LIMITS.servicePeakMb);
    mem('teleport B all-in-one', LIMITS.servicePeakMb);
  }
  if (startup) {
    const m = (n: string) => [...startup.basics, ...startup.awsCli].find((v) => v.name === n)?.medianMs ?? NaN;
    const node = m('node -e 0');
    const rv = m('tsh version') / node;
    const rs = m('tsh status') / node;
    const ra = m('tsh aws') / m('aws alone');
    t.push({ name: '`tsh aws dynamodb list-tables` vs the aws CLI alone', limit: `<= ${LIMITS.tshAwsVsAws}x`, measured: `${x(ra)} (${f0(m('tsh aws'))} vs ${f0(m('aws alone'))} ms)`, pass: ra <= LIMITS.tshAwsVsAws });
    t.push({ name: '`tsh version` vs `node -e 0`', limit: `<= ${LIMITS.versionVsNode}x`, measured: x(rv), pass: rv <= LIMITS.versionVsNode });
    t.push({ name: '`tsh status` vs `node -e 0`', limit: `<= ${LIMITS.statusVsNode}x`, measured: x(rs), pass: rs <= LIMITS.statusVsNode });
  }
  for (const kind of ['download', 'upload'] as const) {
    const direct = transfers?.find((r) => r.kind === kind && r.scenario === 'direct');
    for (const r of transfers?.filter((v) => v.kind === kind && v.scenario !== 'direct') ?? []) {
      if (kind === 'download' && direct) {
        const v = r.mbPerS / direct.mbPerS;
        t.push({ name: `${r.mib} MiB download (${r.scenario}) vs direct`, limit: `>= ${LIMITS.downloadVsDirect}x`, measured: `${x(v)} (${f0(r.mbPerS)} vs ${f0(direct.mbPerS)} MB/s)`, pass: v >= LIMITS.downloadVsDirect && r.ok });
      }
      const [who, grew] = Object.entries(r.rssGrowthMb).sort((a, b) => b[1] - a[1])[0] ?? ['-', NaN];
      t.push({ name: `${r.mib} MiB ${kind} (${r.scenario}): largest RSS growth of a process`, limit: `<= ${LIMITS.rssGrowthMb} MB`, measured: `${f2(grew)} MB (${who})${r.ok ? '' : ` — FAILED: ${r.error}`}`, pass: grew <= LIMITS.rssGrowthMb && r.ok });
    }
  }
  return t;
}

export interface RenderMeta {
  reps: number;
  warmupMs: number;
  measureMs: number;
  client: string;
  goSkipped?: string;
  anchorsNote: string;
}

export function render(aggs: Aggregate[], startup: StartupResult | undefined, memory: MemoryResult | undefined, transfers: TransferResult[] | undefined, tg: Target[], meta: RenderMeta): string {
  const out: string[] = [];
  const cs = [...new Set(aggs.map((a) => a.concurrency))].sort((a, b) => a - b);
  const get = (s: Scenario, c: number) => aggs.find((a) => a.scenario === s && a.concurrency === c);
  const present = SCENARIOS.filter((s) => aggs.some((a) => a.scenario === s));

  if (aggs.length) {
    out.push(`Side by side: req/s [min–max over ${meta.reps} run(s)] · p50/p99 ms (medians; ${meta.warmupMs / 1000} s warm-up + ${meta.measureMs / 1000} s measured per run; load generator: ${meta.client}; ${meta.anchorsNote})`);
    if (meta.goSkipped) out.push(`Go chain skipped: ${meta.goSkipped}`);
    out.push(
      table(
        ['scenario', ...cs.map((c) => `C=${c}`)],
        present.map((s) => [
          SCENARIO_TITLE[s],
          ...cs.map((c) => {
            const a = get(s, c);
            return a ? `${f0(a.rps)} [${f0(a.rpsMin)}–${f0(a.rpsMax)}] · ${f2(a.p50)}/${f2(a.p99)}` : '–';
          }),
        ]),
      ),
    );
    out.push('');
    out.push('Ratios of requests/s at the same C · errors (measured + warm-up)');
    const vs = (a: Scenario, b: Scenario, c: number) => {
      const x = get(a, c);
      const y = get(b, c);
      return x && y ? f2(x.rps / y.rps) : '–';
    };
    const ratioRows: string[][] = [];
    for (const s of present.filter((v) => v !== 'direct')) {
      ratioRows.push([`${SCENARIO_TITLE[s]} / direct`, ...cs.map((c) => `${vs(s, 'direct', c)} · ${(get(s, c)?.errors ?? 0) + (get(s, c)?.warmupErrors ?? 0)} err`)]);
    }
    for (const s of CHAINS.filter((v) => present.includes(v))) {
      for (const anchor of (['naive', 'go'] as const).filter((v) => present.includes(v))) ratioRows.push([`${s} / ${anchor}`, ...cs.map((c) => vs(s, anchor, c))]);
    }
    out.push(table(['ratio', ...cs.map((c) => `C=${c}`)], ratioRows));
    out.push('');
    const d1 = get('direct', 1);
    if (d1) {
      out.push('Latency at C=1 (medians; added = scenario minus direct)');
      out.push(
        table(
          ['scenario', 'p50 ms', 'p99 ms', 'added p50', 'added p99', 'p99/p50'],
          present.filter((s) => get(s, 1)).map((s) => {
            const a = get(s, 1)!;
            return [SCENARIO_TITLE[s], f2(a.p50), f2(a.p99), s === 'direct' ? '–' : f2(a.p50 - d1.p50), s === 'direct' ? '–' : f2(a.p99 - d1.p99), f2(a.p99 / a.p50)];
          }),
        ),
      );
      out.push('');
    }
    out.push('CPU µs per request, medians, per process (share of the chain in brackets); upstream and load generator for reference');
    const rows: string[][] = [];
    for (const s of present) {
      for (const c of cs) {
        const a = get(s, c);
        if (!a) continue;
        const parts = CHAIN[s].map((k) => `${LABEL[k]} ${f0(a.usPerReq[k])} (${f0((100 * a.usPerReq[k]) / a.chainUsPerReq)}%)`);
        rows.push([SCENARIO_TITLE[s], String(c), s === 'direct' ? '–' : f0(a.chainUsPerReq), parts.join(', ') || '–', s === 'direct' ? '–' : f0(a.chainTailUsPerReq), f0(a.usPerReq.upstream), f0(a.usPerReq.loadgen), `${f2(a.maxOtherCores)} / x${f2(a.maxSlowdown)}`]);
      }
    }
    out.push(table(['scenario', 'C', 'Σ chain', 'per process', 'after window', 'upstream', 'loadgen', 'worst other load (cores) / speed'], rows));
    out.push('"after window": CPU the chain kept spending after the measured window until idle (an audit backlog, say), per request of the window; the CPU targets count it.');
    out.push('');
    out.push('Keep-alive: connections opened inside the measured windows, per leg (summed over runs and concurrencies), and TLS handshakes the upstream counted in them');
    out.push(
      table(
        ['scenario', 'legs', 'upstream handshakes'],
        present.filter((s) => s !== 'direct').map((s) => {
          const rowsOf = aggs.filter((a) => a.scenario === s);
          const legs: Record<string, number> = {};
          for (const r of rowsOf) for (const [k, v] of Object.entries(r.legsOpened)) legs[k] = (legs[k] ?? 0) + v;
          return [SCENARIO_TITLE[s], Object.entries(legs).map(([k, v]) => `${k} ${v}`).join(', '), String(rowsOf.reduce((a, r) => a + r.upstreamHandshakes, 0))];
        }),
      ),
    );
    out.push('');
  }
  if (memory) {
    out.push('Memory, MB (VmRSS idle before load; VmHWM after C<=32; VmHWM after C=128)');
    const keys = Object.keys(memory.peakMb);
    out.push(table(['process', 'idle RSS', 'peak before C=128', 'peak after C=128'], keys.map((k) => [k, f2(memory.idleRssMb[k]), f2(memory.peakBefore128Mb[k]), f2(memory.peakMb[k])])));
    out.push('');
  }
  if (transfers?.length) {
    out.push('Large bodies: one request each, streamed (MB/s = 10^6 bytes/s; RSS growth = peak VmRSS during the transfer minus VmRSS before it)');
    out.push(
      table(
        ['transfer', 'scenario', 'MB/s', 'seconds', 'ratio to direct', 'RSS growth per process (MB)', 'result'],
        transfers.map((r) => {
          const d = transfers.find((v) => v.kind === r.kind && v.scenario === 'direct');
          return [`${r.mib} MiB ${r.kind}`, r.scenario, f0(r.mbPerS), f2(r.seconds), d ? f2(r.mbPerS / d.mbPerS) : '–', Object.entries(r.rssGrowthMb).map(([k, v]) => `${k} ${f2(v)}`).join(', ') || '–', r.ok ? 'ok' : `FAILED: ${r.error}`];
        }),
      ),
    );
    out.push('');
  }
  if (startup) {
    out.push(`Start-up (${startup.tool}, -N, medians over kept rounds; ms). Clean environment: PATH, HOME, TELEPORT_HOME and AWS settings only`);
    out.push('(no NODE_OPTIONS or NODE_EXTRA_CA_CERTS: a CA bundle there makes every Node start ~40 ms slower, tsh and `node -e 0` alike, and flatters the ratios).');
    const base = (name: string) => (name === 'tsh aws' ? startup.awsCli.find((v) => v.name === 'aws alone')! : startup.basics.find((v) => v.name === 'node -e 0')!);
    out.push(
      table(
        ['command', 'median', 'min', 'max', 'runs', 'ratio'],
        [...startup.basics, ...startup.awsCli].map((v) => [v.command.replace(/^\S*\/bin\/tsh/, 'bin/tsh'), f0(v.medianMs), f0(v.minMs), f0(v.maxMs), String(v.runs), v.name === 'node -e 0' || v.name === 'aws alone' ? '1.00' : f2(v.medianMs / base(v.name).medianMs)]),
      ),
    );
    out.push('');
  }
  if (tg.length) {
    out.push('Targets (issue 12; DESIGN.md, "Performance targets")');
    out.push(table(['target', 'limit', 'measured', 'verdict'], tg.map((v) => [v.name, v.limit, v.measured, v.pass ? 'PASS' : 'MISS'])));
  }
  return out.join('\n');
}
