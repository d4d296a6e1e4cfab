/**
 * The app service's audit spool: no AWS request is sent before its audit
 * event is on disk, and no event on disk is lost to a crash.
 *
 *   request   begin(event) --> line in <data_dir>/spool/audit.jsonl (0600, O_DSYNC: on disk
 *             when the write returns); resolves once durable, and only then is the
 *             request sent to AWS (group commit: lines that arrive while a write runs
 *             share the next one)
 *   answer    complete(uid, status) --> a second line keyed by the event's uid
 *   refusal   record(event) --> one line, event and outcome together
 *   shipper   every 250 ms (or 1,000 events) --> auth `audit.emit`, in batches; auth stores
 *             each uid once, so a batch sent again (a lost reply, a crash) adds nothing;
 *             an `ack` line follows, and the file is rewritten without shipped events
 *             once it passes 1 MiB
 *   start     the file is read back: what was not acknowledged is shipped; an event
 *             that never got its completion is shipped with `completed: false`
 *
 * Lines no request waits for (completions, refusals, acks) wait for the next
 * request's write, or 100 ms at most; meanwhile the event is in memory on its
 * way to auth. A spool that cannot be written refuses requests (503) rather
 * than let them through unaudited.
 */
import { constants, writeSync } from 'node:fs';
import { mkdir, open, readFile, rename, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { TshError } from '../../shared/errors.js';
import type { Logger } from '../logger.js';

/** One audit event as shipped to auth; `fields.uid` and `fields.time` are set by the spool. */
export interface SpooledEvent {
  event: string;
  fields: Record<string, unknown>;
}

/** What the request path records (the spool, or anything shaped like it in a test). */
export interface AuditRecorder {
  /** Writes an event for a request about to be sent; resolves with its uid once it is on disk. */
  begin(event: string, fields: Record<string, unknown>): Promise<string>;
  /** Adds the outcome to an event begun before (status code, duration). */
  complete(uid: string, fields: Record<string, unknown>): void;
  /** Writes an event that is complete already (a refused request). */
  record(event: string, fields: Record<string, unknown>): void;
}

/** Counters for the bench and the log. */
export interface SpoolStats {
  events: number;
  /** Synchronous writes (one per group of lines queued together). */
  syncs: number;
  syncMs: number;
  shipped: number;
  compactions: number;
}

/** One line of the file: an event (possibly with its outcome), a completion, or shipped uids. */
type Line = { uid: string; event: string; fields: Record<string, unknown>; done: boolean } | { uid: string; done: true; set: Record<string, unknown> } | { ack: string[] };

interface Entry {
  event: string;
  fields: Record<string, unknown>;
  done: boolean;
}

const FILE = 'audit.jsonl';
const SHIP_MS = 250;
const MAX_BATCH = 1000;
const RETRY_MS = 2_000;
const COMPACT_BYTES = 1 << 20;
/** Lines no request waits for (completions, refusals, acks) are written within this long, or with the next request's line. */
const LAZY_WRITE_MS = 100;
/** How long close() waits for a last shipment before leaving the rest to the next start. */
const CLOSE_SHIP_MS = 3_000;

/** The spool (see the module comment). */
export class AuditSpool implements AuditRecorder {
  readonly stats: SpoolStats = { events: 0, syncs: 0, syncMs: 0, shipped: 0, compactions: 0 };
  /** Events not yet acknowledged by auth, by uid, in the order they began. */
  private readonly entries = new Map<string, Entry>();
  /** Uids of complete events waiting to be shipped, in order. */
  private readonly ready = new Set<string>();
  private lines: string[] = [];
  /** Requests begun and not yet completed: when a request is the only one, its line is written without leaving the thread. */
  private open = 0;
  private waiters: Array<{ uid: string; resolve(): void; reject(err: unknown): void }> = [];
  /** The writer's run (resolved when idle); `writerActive` is false exactly when no run is going on. */
  private writing: Promise<void> = Promise.resolve();
  private writerActive = false;
  private lazyTimer?: NodeJS.Timeout;
  private bytes = 0;
  /** The file is rewritten once it grows past this (twice what it held after the last rewrite, 1 MiB at least). */
  private compactAt = COMPACT_BYTES;
  private shipping: Promise<void> = Promise.resolve();
  private shipperActive = false;
  private shipTimer?: NodeJS.Timeout;
  private closed = false;
  private fileClosed = false;

  private constructor(
    private readonly dir: string,
    private fh: FileHandle,
    private readonly send: (events: SpooledEvent[]) => Promise<void>,
    private readonly log: Logger,
    private readonly clock: () => Date,
  ) {}

  /**
   * Opens the spool in `dir` (created 0700), loads what a previous run left
   * and starts shipping it. `send` delivers a batch to auth.
   */
  static async open(dir: string, send: (events: SpooledEvent[]) => Promise<void>, log: Logger, clock: () => Date = () => new Date()): Promise<AuditSpool> {
    const left = await readLeftovers(join(dir, FILE), log);
    let fh: FileHandle;
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      fh = await openAppend(join(dir, FILE));
    } catch (err) {
      throw new TshError('CONFIG', `cannot open the audit spool in ${dir}: ${(err as Error).message}`, { hint: 'the app service needs to write its data dir; check its owner and free space' });
    }
    const spool = new AuditSpool(dir, fh, send, log, clock);
    for (const [uid, e] of left) {
      spool.entries.set(uid, e);
      spool.ready.add(uid);
    }
    await spool.compact();
    if (left.size) spool.scheduleShip(0);
    return spool;
  }

  begin(event: string, fields: Record<string, unknown>): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const uid = this.add(event, fields, false);
      this.open++;
      this.waiters.push({ uid, resolve: () => resolve(uid), reject });
      void this.scheduleWrite();
    });
  }

  complete(uid: string, fields: Record<string, unknown>): void {
    const e = this.entries.get(uid);
    if (!e || e.done) return;
    this.open--;
    Object.assign(e.fields, fields);
    e.done = true;
    this.push({ uid, done: true, set: fields });
    this.markReady(uid);
  }

  record(event: string, fields: Record<string, unknown>): void {
    this.markReady(this.add(event, fields, true));
  }

  /** Events recorded and not yet accepted by the auth service (the tsh_aws_audit_backlog gauge). */
  get backlog(): number {
    return this.entries.size;
  }

  /** Ships every complete event now (resolves when done, or when a send failed and was rescheduled). */
  async flush(): Promise<void> {
    if (this.shipTimer) clearTimeout(this.shipTimer);
    this.shipTimer = undefined;
    await this.ship();
  }

  /** Writes what is pending, tries one last shipment, and closes the file; what auth did not get is shipped at the next start. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.shipTimer) clearTimeout(this.shipTimer);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.ship(), new Promise<void>((r) => (timer = setTimeout(r, CLOSE_SHIP_MS)))]);
    clearTimeout(timer);
    await this.scheduleWrite();
    this.fileClosed = true;
    await this.fh.close();
  }

  private add(event: string, fields: Record<string, unknown>, done: boolean): string {
    const uid = randomUUID();
    const entry: Entry = { event, fields: { ...fields, uid, time: this.clock().toISOString() }, done };
    this.entries.set(uid, entry);
    this.stats.events++;
    this.push({ uid, event, fields: entry.fields, done });
    return uid;
  }

  /** Queues a line; unless a request waits for it, it goes out with the next write (at most LAZY_WRITE_MS from now). */
  private push(line: Line): void {
    this.lines.push(JSON.stringify(line) + '\n');
    if (!this.lazyTimer && !this.writerActive) {
      this.lazyTimer = setTimeout(() => void this.scheduleWrite(), LAZY_WRITE_MS);
      this.lazyTimer.unref();
    }
  }

  private scheduleWrite(): Promise<void> {
    if (this.lazyTimer) clearTimeout(this.lazyTimer);
    this.lazyTimer = undefined;
    if (!this.writerActive && !this.fileClosed) {
      this.writerActive = true;
      this.writing = this.writeLoop();
    }
    return this.writing;
  }

  /**
   * One writer: each round takes every line queued so far and writes them
   * with one synchronous write (measured: one O_DSYNC write costs less CPU
   * and wait than a write and an fdatasync, each a thread-pool round trip).
   * When the line is that of the only request in flight, nothing else could
   * run meanwhile: it is written from this thread (writeSync), which saves
   * the thread-pool round trip that a lone request otherwise pays in CPU and
   * wait (bench/README.md, "Audit spool").
   */
  private async writeLoop(): Promise<void> {
    try {
      while (this.lines.length) {
        const text = this.lines.join('');
        const waiters = this.waiters;
        this.lines = [];
        this.waiters = [];
        try {
          const started = process.hrtime.bigint();
          if (this.open <= 1 && waiters.length === 1) writeSync(this.fh.fd, text);
          else await this.fh.write(text);
          this.stats.syncs++;
          this.stats.syncMs += Number(process.hrtime.bigint() - started) / 1e6;
          this.bytes += Buffer.byteLength(text);
          for (const w of waiters) w.resolve();
        } catch (err) {
          this.log.error('APP', `cannot write the audit spool in ${this.dir}: ${(err as Error).message}`);
          const refusal = new TshError('UNAVAILABLE', 'the app service cannot write its audit log, so it sends no requests', { hint: 'ask an operator to check the disk of the app service host' });
          for (const w of waiters) {
            // Never sent: still reported to auth, from memory.
            this.complete(w.uid, { status_code: 503, reason: 'audit_unavailable', error: refusal.message });
            w.reject(refusal);
          }
        }
        if (this.bytes > this.compactAt && !this.closed) await this.compact();
      }
    } finally {
      // Cleared in the same turn the last round found nothing to write, so a line queued after it starts a new run.
      this.writerActive = false;
    }
  }

  private markReady(uid: string): void {
    this.ready.add(uid);
    if (this.ready.size >= MAX_BATCH) this.scheduleShip(0);
    else this.scheduleShip(SHIP_MS);
  }

  private scheduleShip(ms: number): void {
    if (this.closed || (this.shipTimer && ms > 0)) return;
    if (this.shipTimer) clearTimeout(this.shipTimer);
    this.shipTimer = setTimeout(() => {
      this.shipTimer = undefined;
      void this.ship();
    }, ms);
    this.shipTimer.unref();
  }

  /** Sends the ready events in batches, one send at a time; a failed send is retried later with the same events. */
  private ship(): Promise<void> {
    if (this.shipperActive) return this.shipping;
    this.shipperActive = true;
    this.shipping = (async () => {
      try {
        while (this.ready.size) {
          const uids = [...this.ready].slice(0, MAX_BATCH);
          const batch = uids.map((uid) => ({ event: this.entries.get(uid)!.event, fields: this.entries.get(uid)!.fields }));
          try {
            await this.send(batch);
          } catch (err) {
            this.log.warn('APP', `could not send ${batch.length} audit events (kept in the spool, will retry): ${(err as Error).message}`);
            if (!this.closed) {
              this.shipTimer = setTimeout(() => {
                this.shipTimer = undefined;
                void this.ship();
              }, RETRY_MS);
              this.shipTimer.unref();
            }
            return;
          }
          for (const uid of uids) {
            this.ready.delete(uid);
            this.entries.delete(uid);
          }
          this.stats.shipped += uids.length;
          this.push({ ack: uids });
        }
      } finally {
        this.shipperActive = false;
      }
    })();
    return this.shipping;
  }

  /**
   * Rewrites the file with only the events auth has not acknowledged (write
   * aside, sync, rename over), so it does not grow without bound. Runs in the
   * writer's turn, so no append interleaves; a line queued meanwhile may
   * repeat what the new file holds, which reading back tolerates.
   */
  private async compact(): Promise<void> {
    const text = [...this.entries].map(([uid, e]) => JSON.stringify({ uid, event: e.event, fields: e.fields, done: e.done }) + '\n').join('');
    const tmp = join(this.dir, `${FILE}.tmp`);
    const out = await open(tmp, 'w', 0o600);
    try {
      await out.write(text);
      await out.datasync();
    } finally {
      await out.close();
    }
    await rename(tmp, join(this.dir, FILE));
    await syncDir(this.dir);
    const old = this.fh;
    this.fh = await openAppend(join(this.dir, FILE));
    await old.close();
    this.bytes = Buffer.byteLength(text);
    this.compactAt = Math.max(COMPACT_BYTES, 2 * this.bytes);
    this.stats.compactions++;
  }
}

/** Opens the spool for appending, every write synchronous (O_DSYNC), 0600 when created. */
function openAppend(path: string): Promise<FileHandle> {
  return open(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_DSYNC, 0o600);
}

/** Makes a rename or a new file in `dir` durable. */
async function syncDir(dir: string): Promise<void> {
  const d = await open(dir, 'r');
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}

/**
 * The events a previous run left unacknowledged, from the file's lines in
 * order (later lines win; a torn last line from a crash is skipped). An
 * event without its completion is marked `completed: false`: the process
 * stopped between sending the request and writing its answer.
 */
async function readLeftovers(path: string, log: Logger): Promise<Map<string, Entry>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw new TshError('CONFIG', `cannot read the audit spool ${path}: ${(err as Error).message}`, { hint: 'check the permissions of the app service data dir' });
  }
  const entries = new Map<string, Entry>();
  const acked = new Set<string>();
  let torn = 0;
  for (const raw of text.split('\n')) {
    if (!raw) continue;
    let line: Line;
    try {
      line = JSON.parse(raw) as Line;
    } catch {
      torn++;
      continue;
    }
    if ('ack' in line) {
      for (const uid of line.ack) {
        acked.add(uid);
        entries.delete(uid);
      }
    } else if (!acked.has(line.uid)) {
      const known = entries.get(line.uid);
      if ('set' in line) {
        if (known) {
          Object.assign(known.fields, line.set);
          known.done = true;
        }
      } else if (!known?.done) entries.set(line.uid, { event: line.event, fields: line.fields, done: line.done });
    }
  }
  let unfinished = 0;
  for (const e of entries.values()) {
    if (!e.done) {
      e.fields.completed = false;
      e.done = true;
      unfinished++;
    }
  }
  if (entries.size) log.warn('APP', `the audit spool holds ${entries.size} events not yet in the audit log (${unfinished} of requests whose answer was never recorded); sending them`);
  if (torn) log.warn('APP', `skipped ${torn} unreadable line(s) of the audit spool (a write cut short by a crash)`);
  return entries;
}
