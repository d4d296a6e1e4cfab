/**
 * Large bodies through the chain against direct: a GET of 256 MiB and a PUT
 * of 64 MiB, one request each (bench/transfer.mjs in its own process), while
 * the chain's processes' VmRSS is sampled every 50 ms. Throughput is bytes
 * over the request's wall time; "RSS growth" is the peak sampled during the
 * transfer minus the reading just before it (a process that buffered the
 * body whole would grow by its size).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { statusMb, waitQuiet, type GateOptions } from './proc.js';
import { baseEnv, repoRoot, type World } from './world.js';

export interface TransferResult {
  kind: 'download' | 'upload';
  scenario: 'direct' | 'separate' | 'one';
  mib: number;
  mbPerS: number;
  seconds: number;
  ok: boolean;
  error?: string;
  /** Per chain process: peak VmRSS during the transfer minus VmRSS before it. */
  rssGrowthMb: Record<string, number>;
}

const PROCESSES = {
  direct: {},
  separate: { 'tsh proxy': 'tshA', 'cluster proxy': 'clusterA', 'app service': 'appA' },
  one: { 'tsh proxy': 'tshB', teleport: 'clusterB' },
} as const;

function runTransfer(config: Record<string, unknown>): Promise<{ bytes: number; seconds: number; ok: boolean; error?: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bench', 'transfer.mjs'), JSON.stringify(config)], { env: baseEnv(process.env.HOME ?? '/tmp'), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? ''));
      } catch {
        reject(new Error(`transfer exited ${code} without a result:\n${out}\n${err}`));
      }
    });
  });
}

/** Runs the download and the upload for direct and both chains. */
export async function measureTransfers(world: World, opts: GateOptions & { downloadMib: number; uploadMib: number }): Promise<TransferResult[]> {
  const results: TransferResult[] = [];
  for (const [kind, mib] of [['download', opts.downloadMib], ['upload', opts.uploadMib]] as const) {
    for (const scenario of ['direct', 'separate', 'one'] as const) {
      await waitQuiet(opts.quietCores, opts.quietMaxWaitMs);
      const pids = world.pids();
      const watched = Object.entries(PROCESSES[scenario]).map(([label, key]) => ({ label, pid: pids[key] }));
      const before = Object.fromEntries(watched.map((w) => [w.label, statusMb(w.pid, 'VmRSS')]));
      const peak = { ...before };
      const sampler = setInterval(() => {
        for (const w of watched) peak[w.label] = Math.max(peak[w.label], statusMb(w.pid, 'VmRSS'));
      }, 50);
      const t = scenario === 'separate' ? world.tshA : world.tshB;
      const config =
        scenario === 'direct'
          ? { mode: 'direct', kind, bytes: mib << 20, upstream: { host: '127.0.0.1', port: world.upstream.port }, caFile: world.upstream.caFile, credentials: { accessKeyId: 'AKIDBENCHDIRECT00000', secretAccessKey: 'direct-secret-not-checked' } }
          : { mode: 'proxy', kind, bytes: mib << 20, proxy: { host: t.host, port: t.port }, caFile: t.caFile, credentials: { accessKeyId: t.accessKeyId, secretAccessKey: t.secretAccessKey } };
      let r: { bytes: number; seconds: number; ok: boolean; error?: string };
      try {
        r = await runTransfer(config);
      } finally {
        clearInterval(sampler);
      }
      const res: TransferResult = {
        kind,
        scenario,
        mib,
        mbPerS: r.ok ? (mib * 1.048576) / r.seconds : NaN,
        seconds: r.seconds,
        ok: r.ok,
        error: r.error,
        rssGrowthMb: Object.fromEntries(watched.map((w) => [w.label, peak[w.label] - before[w.label]])),
      };
      opts.log(`${mib} MiB ${kind} ${scenario}: ${r.ok ? `${res.mbPerS.toFixed(0)} MB/s in ${r.seconds.toFixed(2)} s` : `FAILED: ${r.error}`}; RSS growth ${Object.entries(res.rssGrowthMb).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ') || '-'} MB`);
      results.push(res);
    }
  }
  return results;
}
