/**
 * The default cluster storage: one SQLite file in the data dir, opened through
 * better-sqlite3. Nothing to run, and several processes may share the file
 * (WAL mode, a busy timeout, every write in an IMMEDIATE transaction).
 *
 * Layout: one `kv` table (key, JSON text, revision, expiry in epoch ms) and a
 * one-row `kv_revision` counter, so revisions keep increasing across deletes
 * and restarts. Expired rows stay on disk until {@link Backend.sweepExpired}
 * but every read and write treats them as absent.
 *
 * The helpers at the bottom ({@link prefixEnd}, {@link encodeValue},
 * {@link toItem}) are shared with the PostgreSQL backend so both agree on
 * ranges and on what a stored value looks like.
 */
import { closeSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { TshError } from '../../shared/errors.js';
import { UNWATCHED_PREFIX, type Backend, type BatchOp, type Change, type Item } from './backend.js';
import { ChangeFeed } from './changeFeed.js';

const unwatched = (k: string) => `substr(${k}, 1, ${UNWATCHED_PREFIX.length}) = '${UNWATCHED_PREFIX}'`;
/** `at` for the change history: the writer's clock in seconds (history is pruned by age only). */
const AT = "CAST(strftime('%s', 'now') AS INTEGER)";

/**
 * The schema as numbered migrations, the version kept in `PRAGMA
 * user_version`; applied in one IMMEDIATE transaction, so processes opening
 * the file at once apply them once.
 *   1  kv and the kv_revision counter (IF NOT EXISTS: what the first releases created)
 *   2  the change feed: kv_events, its pruning watermark, and triggers recording every write
 *      (a delete draws its revision from the counter; see changeFeed.ts)
 */
const MIGRATIONS: string[] = [
  `CREATE TABLE IF NOT EXISTS kv (
     key TEXT PRIMARY KEY,
     value TEXT NOT NULL,
     revision INTEGER NOT NULL,
     expires INTEGER NULL
   );
   CREATE INDEX IF NOT EXISTS kv_expires ON kv (expires) WHERE expires IS NOT NULL;
   CREATE TABLE IF NOT EXISTS kv_revision (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL);
   INSERT OR IGNORE INTO kv_revision (id, value) VALUES (1, 0);`,
  `CREATE TABLE kv_events (revision INTEGER PRIMARY KEY, key TEXT NOT NULL, op TEXT NOT NULL, at INTEGER NOT NULL);
   CREATE INDEX kv_events_at ON kv_events (at);
   CREATE TABLE kv_feed (id INTEGER PRIMARY KEY CHECK (id = 1), pruned_through INTEGER NOT NULL);
   INSERT INTO kv_feed (id, pruned_through) VALUES (1, 0);
   CREATE TRIGGER kv_inserted AFTER INSERT ON kv WHEN NOT ${unwatched('NEW.key')}
   BEGIN INSERT INTO kv_events VALUES (NEW.revision, NEW.key, 'put', ${AT}); END;
   CREATE TRIGGER kv_updated AFTER UPDATE ON kv WHEN NOT ${unwatched('NEW.key')}
   BEGIN INSERT INTO kv_events VALUES (NEW.revision, NEW.key, 'put', ${AT}); END;
   CREATE TRIGGER kv_deleted AFTER DELETE ON kv WHEN NOT ${unwatched('OLD.key')}
   BEGIN
     UPDATE kv_revision SET value = value + 1 WHERE id = 1;
     INSERT INTO kv_events SELECT value, OLD.key, 'delete', ${AT} FROM kv_revision WHERE id = 1;
   END;`,
];

/** How often another process's commits are looked for (PRAGMA data_version, a counter read). */
const FEED_POLL_MS = 100;
const FEED_RETENTION_MS = 10 * 60_000;

/** A row is visible while it has no expiry or its expiry is still ahead of @now. */
const LIVE = '(expires IS NULL OR expires > @now)';
const UPSERT = `INSERT INTO kv (key, value, revision, expires) VALUES (@key, @value, @revision, @expires)
  ON CONFLICT (key) DO UPDATE SET value = excluded.value, revision = excluded.revision, expires = excluded.expires`;
const SET = 'SET value = @value, revision = @revision, expires = @expires';

interface Row {
  key: string;
  value: string;
  revision: number;
  expires: number | null;
}

type WriteKind = 'put' | 'create' | 'update' | 'cas';

/**
 * Opens (creating when missing, mode 0600) the SQLite database at `path`,
 * whose directory must already exist. better-sqlite3 is imported here, not at
 * the top, so commands that never touch storage do not pay for loading it.
 * `clock` decides expiry (tests pass a fake one).
 */
export async function openSqliteBackend(opts: { path: string; clock?: () => Date; feedRetentionMs?: number }): Promise<Backend> {
  const { default: Database } = await import('better-sqlite3');
  const clock = opts.clock ?? (() => new Date());
  const db = openDatabase(Database, opts.path);

  const sql = {
    get: db.prepare(`SELECT key, value, revision, expires FROM kv WHERE key = @key AND ${LIVE}`),
    bump: db.prepare('UPDATE kv_revision SET value = value + 1 WHERE id = 1 RETURNING value'),
    put: db.prepare(UPSERT),
    create: db.prepare(`${UPSERT} WHERE kv.expires IS NOT NULL AND kv.expires <= @now`),
    update: db.prepare(`UPDATE kv ${SET} WHERE key = @key AND ${LIVE}`),
    cas: db.prepare(`UPDATE kv ${SET} WHERE key = @key AND revision = @expected AND ${LIVE}`),
    delete: db.prepare(`DELETE FROM kv WHERE key = @key AND ${LIVE}`),
    range: db.prepare(`SELECT key, value, revision, expires FROM kv WHERE key >= @from AND key < @to AND ${LIVE} ORDER BY key LIMIT @limit`),
    rangeToEnd: db.prepare(`SELECT key, value, revision, expires FROM kv WHERE key >= @from AND ${LIVE} ORDER BY key LIMIT @limit`),
    deleteRange: db.prepare(`DELETE FROM kv WHERE key >= @from AND key < @to AND ${LIVE}`),
    deleteRangeToEnd: db.prepare(`DELETE FROM kv WHERE key >= @from AND ${LIVE}`),
    sweep: db.prepare('DELETE FROM kv WHERE expires IS NOT NULL AND expires <= @now'),
    since: db.prepare('SELECT revision, key, op FROM kv_events WHERE revision > @revision ORDER BY revision LIMIT @limit'),
    pruned: db.prepare('SELECT pruned_through AS value FROM kv_feed WHERE id = 1'),
    head: db.prepare('SELECT max(coalesce((SELECT max(revision) FROM kv_events), 0), (SELECT pruned_through FROM kv_feed WHERE id = 1)) AS value'),
    prune: db.prepare('DELETE FROM kv_events WHERE at < @before RETURNING revision'),
    moveWatermark: db.prepare('UPDATE kv_feed SET pruned_through = max(pruned_through, @revision) WHERE id = 1'),
  };
  // One wrapper for every write: IMMEDIATE takes the write lock up front (no
  // deadlocked lock upgrades between processes); nested calls become savepoints.
  // After each one, the feed reads what it committed, so this process's watchers hear at once.
  const inTx = db.transaction((fn: () => unknown) => fn());
  const feed = new ChangeFeed({
    readSince: (revision, limit) => db.transaction(() => ({
      prunedThrough: (sql.pruned.get() as { value: number }).value,
      changes: sql.since.all({ revision, limit }) as Change[],
    }))(),
    head: () => (sql.head.get() as { value: number }).value,
  });
  await feed.start();
  const atomically = <R>(fn: () => R): R => {
    try {
      return inTx.immediate(fn) as R;
    } finally {
      if (!db.inTransaction) feed.poke();
    }
  };
  // Other processes' commits: data_version moves when another connection commits.
  let dataVersion = db.pragma('data_version', { simple: true });
  const poll = setInterval(() => {
    if (!db.open) return;
    const v = db.pragma('data_version', { simple: true });
    if (v !== dataVersion) {
      dataVersion = v;
      feed.poke();
    }
  }, FEED_POLL_MS);
  poll.unref();
  const now = () => clock().getTime();

  function write<T>(kind: WriteKind, key: string, value: T, expires?: Date, expected?: number): Item<T> {
    return atomically(() => {
      const text = encodeValue(key, value);
      const revision = (sql.bump.get() as { value: number }).value;
      const params = { key, value: text, revision, expires: expires?.getTime() ?? null, now: now(), expected };
      if (sql[kind].run(params).changes === 0) throw refusal(kind, key, sql.get.get({ key, now: now() }) !== undefined);
      return toItem<T>(key, text, revision, expires);
    });
  }

  /** Read and write in one IMMEDIATE transaction: no other writer, in any process, runs in between. */
  function increment(key: string, expires: Date): Item<number> {
    return atomically(() => {
      const row = sql.get.get({ key, now: now() }) as Row | undefined;
      if (!row) return write('put', key, 1, expires);
      const count = Number(JSON.parse(row.value)) + 1;
      return write('put', key, count, row.expires === null ? undefined : new Date(row.expires));
    });
  }

  function remove(key: string): boolean {
    return atomically(() => sql.delete.run({ key, now: now() }).changes > 0);
  }

  function apply(op: BatchOp): void {
    if (op.op === 'delete') remove(op.key);
    else write(op.op, op.key, op.value, op.expires);
  }

  function range(prefix: string, limit?: number): Row[] {
    const to = prefixEnd(prefix);
    const params = { from: prefix, to, now: now(), limit: limit ?? -1 };
    return (to === undefined ? sql.rangeToEnd : sql.range).all(params) as Row[];
  }

  return {
    get: <T>(key: string) =>
      guard(`get ${key}`, () => {
        const row = sql.get.get({ key, now: now() }) as Row | undefined;
        return row && toItem<T>(row.key, row.value, row.revision, row.expires);
      }),
    put: (key, value, o) => guard(`put ${key}`, () => write('put', key, value, o?.expires)),
    create: (key, value, o) => guard(`create ${key}`, () => write('create', key, value, o?.expires)),
    update: (key, value, o) => guard(`update ${key}`, () => write('update', key, value, o?.expires)),
    compareAndSwap: (key, revision, value, o) =>
      guard(`compare-and-swap ${key}`, () => write('cas', key, value, o?.expires, revision)),
    increment: (key, o) => guard(`increment ${key}`, () => increment(key, o.expires)),
    delete: (key) => guard(`delete ${key}`, () => remove(key)),
    getRange: <T>(prefix: string, o?: { limit?: number }) =>
      guard(`read range ${prefix}`, () => range(prefix, o?.limit).map((r) => toItem<T>(r.key, r.value, r.revision, r.expires))),
    deleteRange: (prefix) =>
      guard(`delete range ${prefix}`, () => {
        const to = prefixEnd(prefix);
        const params = { from: prefix, to, now: now() };
        return atomically(() => (to === undefined ? sql.deleteRangeToEnd : sql.deleteRange).run(params).changes);
      }),
    batch: (ops) => guard('batch', () => atomically(() => ops.forEach(apply))),
    sweepExpired: () =>
      guard('sweep expired', () =>
        atomically(() => {
          const before = Math.floor((Date.now() - (opts.feedRetentionMs ?? FEED_RETENTION_MS)) / 1000);
          const gone = sql.prune.all({ before }) as Array<{ revision: number }>;
          if (gone.length) sql.moveWatermark.run({ revision: Math.max(...gone.map((g) => g.revision)) });
          return sql.sweep.run({ now: now() }).changes;
        }),
      ),
    watch: (prefixes, watcher) => feed.watch(prefixes, watcher),
    close: () =>
      guard('close', () => {
        clearInterval(poll);
        if (db.open) db.close();
      }),
  };
}

/** Opens the file 0600 with WAL and a busy timeout; anything wrong here is the operator's to fix (CONFIG). */
function openDatabase(Database: typeof BetterSqlite3, path: string): BetterSqlite3.Database {
  const dir = dirname(path);
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new TshError('CONFIG', `cannot open the cluster database ${path}: directory ${dir} does not exist`, {
      hint: 'create the directory first, or point teleport.storage.path somewhere else',
    });
  }
  let db: BetterSqlite3.Database | undefined;
  try {
    // Create it ourselves so the mode is 0600 from the first byte; SQLite gives -wal/-shm the same mode.
    closeSync(openSync(path, 'a', 0o600));
    db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
    migrate(db);
    return db;
  } catch (err) {
    db?.close();
    throw new TshError('CONFIG', `cannot open the cluster database ${path}: ${(err as Error).message}`, {
      hint: 'check that the file is a SQLite database and that this user may read and write it and its directory',
      cause: err,
    });
  }
}

/** Applies the migrations this file lacks, in one IMMEDIATE transaction; a newer file than this program knows is refused. */
function migrate(db: BetterSqlite3.Database): void {
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > MIGRATIONS.length) {
      throw new Error(`its schema is at version ${version}, newer than this teleport knows (${MIGRATIONS.length}); run the newer teleport that upgraded it`);
    }
    for (let v = version + 1; v <= MIGRATIONS.length; v++) db.exec(MIGRATIONS[v - 1]);
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  }).immediate();
}

/** The error a conditional write that changed nothing stands for. */
function refusal(kind: WriteKind, key: string, exists: boolean): TshError {
  if (kind === 'create') return new TshError('ALREADY_EXISTS', `storage key ${key} already exists`);
  if (kind === 'cas' && exists) return new TshError('ALREADY_EXISTS', `storage key ${key} was changed by someone else`);
  return new TshError('NOT_FOUND', `storage key ${key} not found`);
}

/** Runs fn, turning anything that is not already a TshError into INTERNAL (a driver failure is not the caller's fault). */
async function guard<R>(what: string, fn: () => R): Promise<R> {
  try {
    return fn();
  } catch (err) {
    if (err instanceof TshError) throw err;
    throw new TshError('INTERNAL', `storage: ${what} failed: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * The smallest string greater than every string that starts with `prefix`,
 * in code-point order (what SQLite's BINARY and PostgreSQL's "C" collation
 * compare by): the prefix with its last code point below U+10FFFF incremented
 * and the rest dropped. Undefined when no such bound exists (empty prefix).
 * Range reads use `key >= prefix AND key < prefixEnd(prefix)`: exact, index
 * friendly, and with no LIKE pattern for user text to break.
 */
export function prefixEnd(prefix: string): string | undefined {
  const points = Array.from(prefix);
  while (points.length > 0) {
    const last = points.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) {
      const next = last + 1 >= 0xd800 && last + 1 <= 0xdfff ? 0xe000 : last + 1; // skip the surrogate block
      return points.join('') + String.fromCodePoint(next);
    }
  }
  return undefined;
}

/** The JSON text stored for a value; a value JSON cannot represent (undefined, a function) is a bug in the caller. */
export function encodeValue(key: string, value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TshError('INTERNAL', `storage: the value for ${key} cannot be stored as JSON`);
  return text;
}

/** An item as reads return it: the value parsed back from its stored JSON, `expires` only when set. */
export function toItem<T>(key: string, text: string, revision: number | string, expires: Date | number | null | undefined): Item<T> {
  const item: Item<T> = { key, value: JSON.parse(text) as T, revision: Number(revision) };
  if (expires !== null && expires !== undefined) item.expires = new Date(expires);
  return item;
}
