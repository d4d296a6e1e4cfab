/**
 * What the audit spool costs each request: the app service writes a
 * request's event to disk with a synchronous write (requests that arrive
 * together share one) before the request goes to AWS. Measured here with the real
 * AuditSpool, in this process, on the bench's temp dir (the disk of the app
 * services' data dirs), at the bench's concurrencies: the latency begin()
 * adds to a request, CPU per event, and how many events each sync carried.
 * Without a spool a request waits for no disk at all, so the wait is the
 * cost; the chain's own figures (throughput, latency, CPU) include it.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AuditSpool } from '../../src/cluster/app/auditSpool.js';
import { silentLogger } from '../../src/cluster/logger.js';
import { median, table } from './report.js';

/** One concurrency's figures. */
export interface SpoolCell {
  concurrency: number;
  events: number;
  eventsPerSecond: number;
  /** Wait of begin() (the synchronous write, shared), µs. */
  p50Us: number;
  p99Us: number;
  /** Process CPU per event (this process: JSON, write and sync calls, shipping to a no-op sink), µs. */
  cpuUsPerEvent: number;
  eventsPerSync: number;
  /** Mean time of one synchronous write, ms. */
  syncMs: number;
}

/** A realistic event: the fields the app service records for a DynamoDB request. */
const fields = {
  user: 'bench',
  app_name: 'aws',
  app_uri: 'https://console.aws.amazon.com/home/home',
  app_public_addr: 'aws.127.0.0.1',
  sid: '7d9c3d4e-1f54-4ac5-9c33-0cbd6f2f6d0b',
  aws_role_arn: 'arn:aws:iam::123456789012:role/ExampleTeleportDynamoDBRole',
  aws_assumed_role: 'arn:aws:sts::123456789012:assumed-role/ExampleTeleportDynamoDBRole/bench',
  aws_service: 'dynamodb',
  aws_region: 'us-east-1',
  aws_host: 'dynamodb.us-east-1.amazonaws.com',
  method: 'POST',
  path: '/',
  raw_query: '',
  target: 'DynamoDB_20120810.GetItem',
};

/** Runs each concurrency for `ms` against a fresh spool under `dir`. */
export async function measureSpool(dir: string, concurrency: number[], ms: number, log: (line: string) => void): Promise<SpoolCell[]> {
  const cells: SpoolCell[] = [];
  for (const c of concurrency) {
    const at = join(dir, `spool-bench-${c}`);
    await mkdir(at, { recursive: true });
    const spool = await AuditSpool.open(at, async () => {}, silentLogger);
    const waits: number[] = [];
    const syncsBefore = spool.stats.syncs;
    const syncMsBefore = spool.stats.syncMs;
    const cpu = process.cpuUsage();
    const started = Date.now();
    await Promise.all(
      Array.from({ length: c }, async () => {
        while (Date.now() - started < ms) {
          const t = process.hrtime.bigint();
          const uid = await spool.begin('app.session.dynamodb.request', fields);
          waits.push(Number(process.hrtime.bigint() - t) / 1000);
          spool.complete(uid, { status_code: 200, duration_ms: 1 });
        }
      }),
    );
    const used = process.cpuUsage(cpu);
    const elapsed = (Date.now() - started) / 1000;
    const syncs = spool.stats.syncs - syncsBefore;
    await spool.close();
    await rm(at, { recursive: true, force: true });
    const sorted = waits.sort((a, b) => a - b);
    const cell: SpoolCell = {
      concurrency: c,
      events: waits.length,
      eventsPerSecond: waits.length / elapsed,
      p50Us: median(sorted),
      p99Us: sorted[Math.floor(sorted.length * 0.99)] ?? NaN,
      cpuUsPerEvent: (used.user + used.system) / waits.length,
      eventsPerSync: waits.length / Math.max(1, syncs),
      syncMs: (spool.stats.syncMs - syncMsBefore) / Math.max(1, syncs),
    };
    log(`audit spool C=${c}: ${cell.eventsPerSecond.toFixed(0)} events/s, wait p50 ${cell.p50Us.toFixed(0)} p99 ${cell.p99Us.toFixed(0)} µs, ${cell.cpuUsPerEvent.toFixed(0)} µs CPU/event, ${cell.eventsPerSync.toFixed(1)} events per write of ${cell.syncMs.toFixed(2)} ms`);
    cells.push(cell);
  }
  return cells;
}

/** The table for stdout. */
export function renderSpool(cells: SpoolCell[]): string {
  return [
    'Audit spool: what writing each request\'s event to disk (one synchronous write, shared by requests that arrive together) adds per request, measured alone on the same disk',
    table(
      ['C', 'events/s', 'wait p50 µs', 'wait p99 µs', 'CPU µs/event', 'events per write', 'write ms'],
      cells.map((c) => [String(c.concurrency), c.eventsPerSecond.toFixed(0), c.p50Us.toFixed(0), c.p99Us.toFixed(0), c.cpuUsPerEvent.toFixed(0), c.eventsPerSync.toFixed(1), c.syncMs.toFixed(2)]),
    ),
  ].join('\n');
}
