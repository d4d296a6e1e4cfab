/**
 * The audit log: every event is stored in the backend (for `tctl audit
 * events`) and appended as one JSON line to `<data_dir>/log/events.jsonl`
 * (for a SIEM to tail). Neither place ever holds a secret: events carry
 * names, ARNs, paths and status codes, never keys, tokens or bodies.
 */
import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Backend } from '../storage/backend.js';
import type { AuditEventRecord } from '../../shared/api/types.js';
import { isCode } from '../../shared/errors.js';

/** Event names and Teleport's codes for them. */
export const AuditEventCodes: Record<string, string> = {
  'user.login': 'T1000I',
  'user.login.failure': 'T1000W',
  'user.create': 'T1002I',
  'user.update': 'T1003I',
  'user.delete': 'T1004I',
  'user.password_change': 'T1005I',
  'role.created': 'T9000I',
  'role.deleted': 'T9001I',
  'lock.created': 'TLK00I',
  'lock.deleted': 'TLK01I',
  'join_token.create': 'TJT00I',
  'instance.join': 'TJ001I',
  'app.session.start': 'T2007I',
  'app.session.request': 'T2009I',
  'app.session.dynamodb.request': 'T2013I',
  'app.session.end': 'T2011I',
  'aws.console.login': 'TAC00I',
  'web.session.end': 'TWS01I',
};

/** The events an app service may record through the `audit.emit` API call: what happens on its side of the tunnel. */
export const APP_SERVICE_EVENTS: ReadonlySet<string> = new Set(['app.session.request', 'app.session.dynamodb.request', 'aws.console.login']);

/** One audit event (the shape `tctl audit events -f json` prints). */
export type AuditEvent = AuditEventRecord;

/** Events are kept in the backend for a year. */
const RETENTION_MS = 365 * 86_400_000;
/** The uids app services assign (crypto.randomUUID). */
const UID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Lines kept for the file while appends to it fail. */
const MAX_UNWRITTEN_BYTES = 8 << 20;
/** How far ahead of the auth service's clock an event's own time may be. */
const MAX_CLOCK_AHEAD_MS = 5 * 60_000;

/** The time an event brought, when it is a plausible one (ISO, within the retention, not in the future); else now. */
function eventTime(value: unknown, now: Date): string {
  const t = typeof value === 'string' ? Date.parse(value) : NaN;
  if (Number.isNaN(t) || t > now.getTime() + MAX_CLOCK_AHEAD_MS || t < now.getTime() - RETENTION_MS) return now.toISOString();
  return new Date(t).toISOString();
}

/** The auth service's store of audit events, where every action that must leave a trace ends up; app services in other processes reach it through the `audit.emit` API call. */
export class AuditLog {
  private readonly file: string;
  private ready?: Promise<unknown>;
  private chain: Promise<unknown> = Promise.resolve();
  /** Lines stored in the backend whose append to the file failed: written ahead of the next append. */
  private unwritten = '';
  /** The last append failed (reported once until one succeeds). */
  private failing = false;

  constructor(
    private readonly backend: Backend,
    dataDir: string,
    private readonly clock: () => Date,
    /** Told when appends to the file start failing (the events are stored in the backend all the same). */
    private readonly onFileError: (err: unknown, file: string) => void = () => {},
  ) {
    this.file = join(dataDir, 'log', 'events.jsonl');
  }

  /** Records an event; `fields` must hold no secret. */
  async emit(event: string, fields: Record<string, unknown>): Promise<AuditEvent> {
    return (await this.emitMany([{ event, fields }]))[0];
  }

  /**
   * Records several events with one backend transaction and one file
   * append: per-request events from busy app services arrive in batches,
   * and writing them one by one cost more than the requests they describe.
   *
   * An event may bring its own `uid` and `time` (app services assign them
   * when the request happens, in their spool): then it is stored once
   * however often it arrives, since a batch is sent again whenever its
   * reply was lost or the app service crashed before noting it. Returns the
   * events stored by this call.
   */
  async emitMany(events: Array<{ event: string; fields: Record<string, unknown> }>): Promise<AuditEvent[]> {
    if (events.length === 0) return [];
    const now = this.clock();
    const records = events.map(({ event, fields }): AuditEvent => ({
      ...fields,
      event,
      code: AuditEventCodes[event] ?? 'T0000I',
      uid: typeof fields.uid === 'string' && UID.test(fields.uid) ? fields.uid : randomUUID(),
      time: eventTime(fields.time, now),
    }));
    const stored = await this.store(records, new Date(now.getTime() + RETENTION_MS));
    if (stored.length > 0) await this.append(stored.map((r) => JSON.stringify(r) + '\n').join(''));
    return stored;
  }

  /**
   * Appends lines to the file, serialised so that lines never interleave.
   * The backend already holds these events, so a failed append (a full
   * disk, say) fails nobody's call: it is reported, and its lines go ahead
   * of the next append, so the file a SIEM tails misses none of them
   * (within MAX_UNWRITTEN_BYTES: past that the oldest are dropped, and the
   * backend keeps them).
   */
  private append(lines: string): Promise<void> {
    const next = this.chain.then(async () => {
      const text = this.unwritten + lines;
      this.unwritten = '';
      try {
        this.ready ??= mkdir(join(this.file, '..'), { recursive: true, mode: 0o700 });
        await this.ready;
        await appendFile(this.file, text, { mode: 0o600 });
        this.failing = false;
      } catch (err) {
        this.ready = undefined;
        this.unwritten = text.length > MAX_UNWRITTEN_BYTES ? text.slice(text.indexOf('\n', text.length - MAX_UNWRITTEN_BYTES) + 1) : text;
        if (!this.failing) this.onFileError(err, this.file);
        this.failing = true;
      }
    });
    this.chain = next;
    return next;
  }

  /**
   * Creates each record's key (time, then uid: sorted by time, unique by
   * uid) in one transaction; when some already exist (a batch sent again),
   * creates them one by one and keeps those that were new.
   */
  private async store(records: AuditEvent[], expires: Date): Promise<AuditEvent[]> {
    const key = (r: AuditEvent) => `/events/${String(Date.parse(r.time)).padStart(15, '0')}/${r.uid}`;
    try {
      await this.backend.batch(records.map((r) => ({ op: 'create' as const, key: key(r), value: r, expires })));
      return records;
    } catch (err) {
      if (!isCode(err, 'ALREADY_EXISTS')) throw err;
    }
    const stored: AuditEvent[] = [];
    for (const r of records) {
      try {
        await this.backend.create(key(r), r, { expires });
        stored.push(r);
      } catch (err) {
        if (!isCode(err, 'ALREADY_EXISTS')) throw err;
      }
    }
    return stored;
  }

  /** Events since a time, oldest first, at most `limit`. */
  async search(opts: { since: Date; until?: Date; limit?: number; event?: string }): Promise<AuditEvent[]> {
    const items = await this.backend.getRange<AuditEvent>('/events/');
    const from = opts.since.getTime();
    const to = opts.until?.getTime() ?? Infinity;
    const out = items
      .map((i) => i.value)
      .filter((e) => {
        const t = Date.parse(e.time);
        return t >= from && t <= to && (!opts.event || e.event === opts.event);
      });
    return opts.limit ? out.slice(-opts.limit) : out;
  }

  /** Path of the JSON lines file. */
  get path(): string {
    return this.file;
  }
}
