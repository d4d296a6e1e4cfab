/**
 * Cluster storage in PostgreSQL, for several auth+proxy instances sharing one
 * cluster state. The same shape as the SQLite backend: one `kv` table (key in
 * the "C" collation so ranges and ordering are by code point, JSON text,
 * revision, `expires timestamptz`), plus the change feed's `kv_events`
 * (postgresSchema.ts has the migrations and the triggers that give each write
 * its revision). Expiry is decided by the injected clock, never by the
 * server's now(), so both backends agree and tests can move time.
 *
 *   pool (pool_max_conns, conn_timeout, query_timeout, idle_timeout)  every read and write
 *   one listening connection  LISTEN tsh_kv_changes -> the feed reads what changed; when it
 *                             drops: logged once, reopened with backoff (100 ms doubling to 2 s),
 *                             and the feed catches up by revision when it is back
 *
 * While the server cannot be reached, every call fails at once with
 * UNAVAILABLE (a 503 to whoever asked), naming the server, never the password.
 */
import type { Client as PgClient, Pool, QueryResult } from 'pg';
import { TshError } from '../../shared/errors.js';
import type { Backend, BatchOp, Change, Item } from './backend.js';
import { encodeValue, prefixEnd, toItem } from './sqliteBackend.js';
import { ChangeFeed } from './changeFeed.js';
import { CHANGES_CHANNEL, migrate } from './postgresSchema.js';
import type { Logger } from '../logger.js';

/** Pool limits and timeouts (teleport.storage; defaults in teleportConfig's DEFAULTS). */
export interface PoolSettings {
  maxConnections: number;
  connectTimeoutMs: number;
  /** The server cancels a statement running longer than this (statement_timeout). */
  queryTimeoutMs: number;
  /** An idle pooled connection is closed after this. */
  idleTimeoutMs: number;
}

/** What openPostgresBackend needs. */
export interface PostgresOptions {
  connectionString: string;
  pool: PoolSettings;
  clock?: () => Date;
  log?: Logger;
  /** How long change history is kept for feeds that were away (default 10 minutes). */
  feedRetentionMs?: number;
}

/** A backstop read of the feed, for a listening connection that died without saying so. */
const FEED_POLL_MS = 1_000;
const FEED_RETENTION_MS = 10 * 60_000;
const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 2_000;

// $1 key, $2 value, $3 expires, $4 now (not in put), $5 the expected revision (compare-and-swap only).
// The revision column is the trigger's to set (kv_revise); 0 is a placeholder.
const LIVE = '(expires IS NULL OR expires > $4)';
const UPSERT = `INSERT INTO kv (key, value, revision, expires) VALUES ($1, $2, 0, $3)
  ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires = excluded.expires`;
const SET = 'SET value = $2, expires = $3';
const WRITES = {
  put: `${UPSERT} RETURNING revision`,
  create: `${UPSERT} WHERE kv.expires IS NOT NULL AND kv.expires <= $4 RETURNING revision`,
  update: `UPDATE kv ${SET} WHERE key = $1 AND ${LIVE} RETURNING revision`,
  cas: `UPDATE kv ${SET} WHERE key = $1 AND ${LIVE} AND revision = $5 RETURNING revision`,
};
/** One statement, so the row lock makes it atomic: $1 key, $2 expires of a new counter, $3 now. */
const INCREMENT = `INSERT INTO kv (key, value, revision, expires) VALUES ($1, '1', 0, $2)
  ON CONFLICT (key) DO UPDATE SET
    value = CASE WHEN kv.expires IS NOT NULL AND kv.expires <= $3 THEN '1' ELSE (kv.value::bigint + 1)::text END,
    expires = CASE WHEN kv.expires IS NOT NULL AND kv.expires <= $3 THEN excluded.expires ELSE kv.expires END
  RETURNING key, value, revision, expires`;
const COLUMNS = 'key, value, revision, expires';
/** The watermark first (revision 'pruned'), then the changes after $1, at most $2. */
const READ_SINCE = `SELECT pruned_through AS revision, '' AS key, 'pruned' AS op FROM kv_feed WHERE id = 1
  UNION ALL (SELECT revision, key, op FROM kv_events WHERE revision > $1 ORDER BY revision LIMIT $2)`;
const HEAD = 'SELECT greatest((SELECT coalesce(max(revision), 0) FROM kv_events), (SELECT pruned_through FROM kv_feed WHERE id = 1)) AS head';
/** Deletes history older than $1 seconds (the server's clock: it wrote `at`) and moves the watermark past it. */
const PRUNE = `WITH gone AS (DELETE FROM kv_events WHERE at < now() - make_interval(secs => $1) RETURNING revision)
  UPDATE kv_feed SET pruned_through = greatest(pruned_through, (SELECT max(revision) FROM gone)) WHERE id = 1 AND EXISTS (SELECT 1 FROM gone)`;

type WriteKind = keyof typeof WRITES;
/** A query runner: the pool, or one client inside a transaction. */
type Run = (text: string, values?: unknown[]) => Promise<QueryResult>;

/**
 * Connects, brings the schema up to date and starts the change feed. `pg` is
 * imported here so the CLI never loads it unless this backend is configured.
 * A server that cannot be reached or used at start is a CONFIG error naming
 * host, port and database (never the password).
 */
export async function openPostgresBackend(opts: PostgresOptions): Promise<Backend> {
  const { Pool, Client } = await import('pg');
  const clock = opts.clock ?? (() => new Date());
  const target = describeTarget(Client, opts.connectionString);
  const settings = opts.pool;
  const connection = {
    connectionString: opts.connectionString,
    connectionTimeoutMillis: settings.connectTimeoutMs,
    statement_timeout: settings.queryTimeoutMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  };
  const pool = new Pool({ ...connection, max: settings.maxConnections, idleTimeoutMillis: settings.idleTimeoutMs });
  // A connection the server drops must not crash the process: the pool hears it on an idle client, but a
  // client in use may report a cut twice (the server's FATAL, then the socket closing), and pg-pool listens
  // once. Every client gets a listener of its own; the query that was cut fails, the next one reconnects.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  try {
    const client = await pool.connect();
    const onError = () => {};
    client.on('error', onError);
    try {
      await migrate(client);
    } finally {
      client.off('error', onError);
      client.release(true);
    }
  } catch (err) {
    await pool.end().catch(() => {});
    throw err instanceof TshError ? err : openError(err, target);
  }

  const query: Run = (text, values) => pool.query(text, values);
  const now = () => clock();
  const guard = <R>(what: string, fn: () => Promise<R>) => fn().catch((err: unknown) => Promise.reject(opError(err, what, target)));

  const feed = new ChangeFeed({
    async readSince(revision, limit) {
      const rows = (await query(READ_SINCE, [revision, limit])).rows;
      const changes: Change[] = rows.slice(1).map((r) => ({ op: r.op, key: r.key, revision: Number(r.revision) }));
      return { changes, prunedThrough: Number(rows[0]?.revision ?? 0) };
    },
    head: async () => Number((await query(HEAD)).rows[0].head),
  });
  await feed.start();
  const listener = new FeedListener(Client, connection, target.where, feed, opts.log);
  listener.open();
  const poll = setInterval(() => feed.poke(), FEED_POLL_MS);
  poll.unref();

  /** Every write is followed by a read of the feed, so this process's own watchers hear at once. */
  const writing = <R>(what: string, fn: () => Promise<R>) =>
    guard(what, fn).finally(() => feed.poke());

  async function write<T>(run: Run, kind: WriteKind, key: string, value: T, expires?: Date, expected?: number): Promise<Item<T>> {
    const text = encodeValue(key, value);
    // PostgreSQL refuses parameters a statement does not use: put has no $4, only compare-and-swap has $5.
    const params: unknown[] = [key, text, expires ?? null];
    if (kind !== 'put') params.push(now());
    if (kind === 'cas') params.push(expected);
    const res = await run(WRITES[kind], params);
    if (res.rows.length === 0) throw await refusal(run, kind, key);
    return toItem<T>(key, text, res.rows[0].revision, expires);
  }

  async function refusal(run: Run, kind: WriteKind, key: string): Promise<TshError> {
    if (kind === 'create') return new TshError('ALREADY_EXISTS', `storage key ${key} already exists`);
    const exists = kind === 'cas' && (await run(`SELECT 1 FROM kv WHERE key = $1 AND (expires IS NULL OR expires > $2)`, [key, now()])).rows.length > 0;
    if (exists) return new TshError('ALREADY_EXISTS', `storage key ${key} was changed by someone else`);
    return new TshError('NOT_FOUND', `storage key ${key} not found`);
  }

  async function remove(run: Run, key: string): Promise<boolean> {
    const res = await run('DELETE FROM kv WHERE key = $1 AND (expires IS NULL OR expires > $2)', [key, now()]);
    return (res.rowCount ?? 0) > 0;
  }

  /** `WHERE` for a prefix range: $1 the prefix, $2 now, $3 its exclusive upper bound when there is one. */
  function rangeWhere(prefix: string): { where: string; params: unknown[] } {
    const to = prefixEnd(prefix);
    const where = `key >= $1 AND (expires IS NULL OR expires > $2)${to === undefined ? '' : ' AND key < $3'}`;
    return { where, params: to === undefined ? [prefix, now()] : [prefix, now(), to] };
  }

  async function apply(run: Run, op: BatchOp): Promise<void> {
    if (op.op === 'delete') await remove(run, op.key);
    else await write(run, op.op, op.key, op.value, op.expires);
  }

  return {
    get: <T>(key: string) =>
      guard(`get ${key}`, async () => {
        const res = await query(`SELECT ${COLUMNS} FROM kv WHERE key = $1 AND (expires IS NULL OR expires > $2)`, [key, now()]);
        const row = res.rows[0];
        return row && toItem<T>(row.key, row.value, row.revision, row.expires);
      }),
    put: (key, value, o) => writing(`put ${key}`, () => write(query, 'put', key, value, o?.expires)),
    create: (key, value, o) => writing(`create ${key}`, () => write(query, 'create', key, value, o?.expires)),
    update: (key, value, o) => writing(`update ${key}`, () => write(query, 'update', key, value, o?.expires)),
    // One conditional UPDATE is atomic on its own; the follow-up read only picks the error code.
    compareAndSwap: (key, revision, value, o) =>
      writing(`compare-and-swap ${key}`, () => write(query, 'cas', key, value, o?.expires, revision)),
    increment: (key, o) =>
      writing(`increment ${key}`, async () => {
        const row = (await query(INCREMENT, [key, o.expires, now()])).rows[0];
        return toItem<number>(row.key, row.value, row.revision, row.expires);
      }),
    delete: (key) => writing(`delete ${key}`, () => remove(query, key)),
    getRange: <T>(prefix: string, o?: { limit?: number }) =>
      guard(`read range ${prefix}`, async () => {
        const { where, params } = rangeWhere(prefix);
        const res = await query(`SELECT ${COLUMNS} FROM kv WHERE ${where} ORDER BY key LIMIT $${params.length + 1}`, [...params, o?.limit ?? null]);
        return res.rows.map((r) => toItem<T>(r.key, r.value, r.revision, r.expires));
      }),
    deleteRange: (prefix) =>
      writing(`delete range ${prefix}`, async () => {
        const { where, params } = rangeWhere(prefix);
        return (await query(`DELETE FROM kv WHERE ${where}`, params)).rowCount ?? 0;
      }),
    batch: (ops) =>
      writing('batch', () =>
        transaction(pool, async (run) => {
          for (const op of ops) await apply(run, op);
        }),
      ),
    sweepExpired: () =>
      writing('sweep expired', async () => {
        await query(PRUNE, [(opts.feedRetentionMs ?? FEED_RETENTION_MS) / 1000]);
        return (await query('DELETE FROM kv WHERE expires IS NOT NULL AND expires <= $1', [now()])).rowCount ?? 0;
      }),
    watch: (prefixes, watcher) => feed.watch(prefixes, watcher),
    close: () =>
      guard('close', async () => {
        clearInterval(poll);
        await listener.close();
        if (!pool.ended) await pool.end();
      }),
  };
}

/**
 * The one connection that LISTENs for writes. It says once when it loses the
 * server and once when it is back, dials again with jittered backoff in
 * between, and on every (re)connect has the feed catch up by revision.
 */
class FeedListener {
  private client?: PgClient;
  private closed = false;
  private delay = FIRST_RETRY_MS;
  private retry?: NodeJS.Timeout;
  private lostAt?: number;

  constructor(
    private readonly Client: typeof import('pg').Client,
    private readonly connection: Record<string, unknown>,
    private readonly where: string,
    private readonly feed: ChangeFeed,
    private readonly log?: Logger,
  ) {}

  open(): void {
    if (this.closed) return;
    const client = new this.Client(this.connection);
    this.client = client;
    let failed = false;
    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
      client.end().catch(() => {});
      this.lost(err);
    };
    client.on('error', fail);
    client.on('end', () => fail(new Error('the connection was closed')));
    client.on('notification', () => this.feed.poke());
    client
      .connect()
      .then(() => client.query(`LISTEN ${CHANGES_CHANNEL}`))
      .then(() => {
        this.delay = FIRST_RETRY_MS;
        if (this.lostAt !== undefined) this.log?.info('AUTH', `PostgreSQL at ${this.where} is back after ${((Date.now() - this.lostAt) / 1000).toFixed(1)} s; catching up on changes`);
        this.lostAt = undefined;
        this.feed.poke();
      }, fail);
  }

  private lost(err: Error): void {
    if (this.closed) return;
    if (this.lostAt === undefined) {
      this.lostAt = Date.now();
      this.log?.warn('AUTH', `lost the connection to PostgreSQL at ${this.where} (${describe(err)}); requests that need it get 503 until it is back, retrying`);
    }
    const wait = this.delay * (0.5 + Math.random() * 0.5);
    this.delay = Math.min(this.delay * 2, MAX_RETRY_MS);
    this.retry = setTimeout(() => this.open(), wait);
    this.retry.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    await this.client?.end().catch(() => {});
  }
}

/**
 * Runs fn inside BEGIN/COMMIT on one pooled client; any throw rolls everything
 * back. A connection that dies while the client is out of the pool emits
 * 'error' on the client, not the pool: without a listener that would end the
 * process, so it is heard here and the client is not put back.
 */
async function transaction<R>(pool: Pool, fn: (run: Run) => Promise<R>): Promise<R> {
  const client = await pool.connect();
  let broken = false;
  const onError = () => (broken = true);
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await fn((text, values) => client.query(text, values));
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => (broken = true));
    throw err;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}

/** Where we connect, for messages: `host:port/database` and the password to scrub from driver messages. */
interface Target {
  where: string;
  password?: string;
}

function describeTarget(Client: typeof import('pg').Client, connectionString: string): Target {
  try {
    const c = new Client({ connectionString });
    return { where: `${c.host}:${c.port}/${c.database ?? ''}`, password: typeof c.password === 'string' ? c.password : undefined };
  } catch {
    throw new TshError('CONFIG', 'the PostgreSQL connection string cannot be parsed', {
      hint: 'use the form postgresql://user:password@host:5432/database in teleport.storage.conn_string',
    });
  }
}

function describe(err: unknown): string {
  const e = err as { message?: string; code?: string };
  return e.message || e.code || String(err);
}

/** A driver message with the password (if any) removed: some errors quote what they were given. */
function reasonOf(err: unknown, target: Target): string {
  const reason = describe(err);
  return target.password ? reason.split(target.password).join('***') : reason;
}

/** Why opening failed, as CONFIG with a hint for the usual causes (SQLSTATE class 28 auth, 3D000 no database, 42501 no privilege). */
function openError(err: unknown, target: Target): TshError {
  const code = String((err as { code?: string }).code ?? '');
  const hint = code.startsWith('28')
    ? 'check the user and password in teleport.storage.conn_string'
    : code === '3D000'
      ? 'create the database first (createdb), or name an existing one in the connection string'
      : code === '42501'
        ? 'grant this user CREATE on the database schema, or create the kv table as its owner'
        : 'check that PostgreSQL is running and reachable there, and teleport.storage.conn_string';
  return new TshError('CONFIG', `cannot use PostgreSQL at ${target.where}: ${reasonOf(err, target)}`, { hint, cause: err });
}

/** Socket errors and SQLSTATEs that mean the server is away (down, restarting, out of connections), not that the query was wrong. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', '57P01', '57P02', '57P03', '53300', '57014']);
const UNREACHABLE_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|connection error|Client was closed|the database system is/i;

/** True when a driver error says the server cannot be used right now. */
export function isUnreachable(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return UNREACHABLE_CODES.has(String(e?.code ?? '')) || String(e?.code ?? '').startsWith('08') || UNREACHABLE_MESSAGES.test(String(e?.message ?? ''));
}

/** A failed operation: the server away is UNAVAILABLE (503), a racing create ALREADY_EXISTS, the rest INTERNAL. */
function opError(err: unknown, what: string, target: Target): TshError {
  if (err instanceof TshError) return err;
  if ((err as { code?: string }).code === '23505') return new TshError('ALREADY_EXISTS', `storage: ${what}: the key already exists`, { cause: err });
  if (isUnreachable(err)) {
    return new TshError('UNAVAILABLE', `the cluster's database (PostgreSQL at ${target.where}) is unavailable: ${reasonOf(err, target)}`, {
      hint: 'retry in a moment: the cluster reconnects by itself (its log and /readyz say when it is back)',
      cause: err,
    });
  }
  return new TshError('INTERNAL', `storage: ${what} failed on PostgreSQL at ${target.where}: ${reasonOf(err, target)}`, { cause: err });
}
