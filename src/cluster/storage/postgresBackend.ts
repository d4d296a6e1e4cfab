/**
 * Cluster storage in PostgreSQL, for several auth/proxy instances sharing one
 * cluster state. The same shape as the SQLite backend: one `kv` table (key in
 * the "C" collation so ranges and ordering are by code point, JSON text,
 * revision, `expires timestamptz`) and a `kv_revision` sequence. Expiry is
 * decided by the injected clock, never by the server's now(), so both
 * backends agree and tests can move time.
 */
import type { Pool, QueryResult } from 'pg';
import { TshError } from '../../shared/errors.js';
import type { Backend, BatchOp, Item } from './backend.js';
import { encodeValue, prefixEnd, toItem } from './sqliteBackend.js';

const SCHEMA = `
CREATE SEQUENCE IF NOT EXISTS kv_revision;
CREATE TABLE IF NOT EXISTS kv (
  key TEXT COLLATE "C" PRIMARY KEY,
  value TEXT NOT NULL,
  revision BIGINT NOT NULL,
  expires TIMESTAMPTZ NULL
);
CREATE INDEX IF NOT EXISTS kv_expires ON kv (expires) WHERE expires IS NOT NULL;
`;
/** Serialises schema creation when several instances start at once (CREATE ... IF NOT EXISTS can still race). */
const SCHEMA_LOCK = 'SELECT pg_advisory_xact_lock(7460239)';

// $1 key, $2 value, $3 expires, $4 now (not in put), $5 the expected revision (compare-and-swap only).
const LIVE = '(expires IS NULL OR expires > $4)';
const UPSERT = `INSERT INTO kv (key, value, revision, expires) VALUES ($1, $2, nextval('kv_revision'), $3)
  ON CONFLICT (key) DO UPDATE SET value = excluded.value, revision = excluded.revision, expires = excluded.expires`;
const SET = `SET value = $2, revision = nextval('kv_revision'), expires = $3`;
const WRITES = {
  put: `${UPSERT} RETURNING revision`,
  create: `${UPSERT} WHERE kv.expires IS NOT NULL AND kv.expires <= $4 RETURNING revision`,
  update: `UPDATE kv ${SET} WHERE key = $1 AND ${LIVE} RETURNING revision`,
  cas: `UPDATE kv ${SET} WHERE key = $1 AND ${LIVE} AND revision = $5 RETURNING revision`,
};
/** One statement, so the row lock makes it atomic: $1 key, $2 expires of a new counter, $3 now. */
const INCREMENT = `INSERT INTO kv (key, value, revision, expires) VALUES ($1, '1', nextval('kv_revision'), $2)
  ON CONFLICT (key) DO UPDATE SET
    value = CASE WHEN kv.expires IS NOT NULL AND kv.expires <= $3 THEN '1' ELSE (kv.value::bigint + 1)::text END,
    revision = excluded.revision,
    expires = CASE WHEN kv.expires IS NOT NULL AND kv.expires <= $3 THEN excluded.expires ELSE kv.expires END
  RETURNING key, value, revision, expires`;
const COLUMNS = 'key, value, revision, expires';

type WriteKind = keyof typeof WRITES;
/** A query runner: the pool, or one client inside a transaction. */
type Run = (text: string, values?: unknown[]) => Promise<QueryResult>;

/**
 * Connects to PostgreSQL and creates the table and sequence when missing.
 * `pg` is imported here so the CLI never loads it unless this backend is
 * configured. A server that cannot be reached or used is a CONFIG error naming
 * host, port and database (never the password).
 */
export async function openPostgresBackend(opts: { connectionString: string; clock?: () => Date; poolSize?: number }): Promise<Backend> {
  const { Pool, Client } = await import('pg');
  const clock = opts.clock ?? (() => new Date());
  const target = describeTarget(Client, opts.connectionString);
  const pool = new Pool({ connectionString: opts.connectionString, max: opts.poolSize ?? 10, connectionTimeoutMillis: 10_000 });
  // An idle connection dropped by the server must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  try {
    await transaction(pool, async (run) => {
      await run(SCHEMA_LOCK);
      await run(SCHEMA);
    });
  } catch (err) {
    await pool.end().catch(() => {});
    throw openError(err, target);
  }

  const query: Run = (text, values) => pool.query(text, values);
  const now = () => clock();

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

  const guard = <R>(what: string, fn: () => Promise<R>) => fn().catch((err: unknown) => Promise.reject(opError(err, what, target)));

  return {
    get: <T>(key: string) =>
      guard(`get ${key}`, async () => {
        const res = await query(`SELECT ${COLUMNS} FROM kv WHERE key = $1 AND (expires IS NULL OR expires > $2)`, [key, now()]);
        const row = res.rows[0];
        return row && toItem<T>(row.key, row.value, row.revision, row.expires);
      }),
    put: (key, value, o) => guard(`put ${key}`, () => write(query, 'put', key, value, o?.expires)),
    create: (key, value, o) => guard(`create ${key}`, () => write(query, 'create', key, value, o?.expires)),
    update: (key, value, o) => guard(`update ${key}`, () => write(query, 'update', key, value, o?.expires)),
    // One conditional UPDATE is atomic on its own; the follow-up read only picks the error code.
    compareAndSwap: (key, revision, value, o) =>
      guard(`compare-and-swap ${key}`, () => write(query, 'cas', key, value, o?.expires, revision)),
    increment: (key, o) =>
      guard(`increment ${key}`, async () => {
        const row = (await query(INCREMENT, [key, o.expires, now()])).rows[0];
        return toItem<number>(row.key, row.value, row.revision, row.expires);
      }),
    delete: (key) => guard(`delete ${key}`, () => remove(query, key)),
    getRange: <T>(prefix: string, o?: { limit?: number }) =>
      guard(`read range ${prefix}`, async () => {
        const { where, params } = rangeWhere(prefix);
        const res = await query(`SELECT ${COLUMNS} FROM kv WHERE ${where} ORDER BY key LIMIT $${params.length + 1}`, [...params, o?.limit ?? null]);
        return res.rows.map((r) => toItem<T>(r.key, r.value, r.revision, r.expires));
      }),
    deleteRange: (prefix) =>
      guard(`delete range ${prefix}`, async () => {
        const { where, params } = rangeWhere(prefix);
        return (await query(`DELETE FROM kv WHERE ${where}`, params)).rowCount ?? 0;
      }),
    batch: (ops) =>
      guard('batch', () =>
        transaction(pool, async (run) => {
          for (const op of ops) await apply(run, op);
        }),
      ),
    sweepExpired: () =>
      guard('sweep expired', async () => (await query('DELETE FROM kv WHERE expires IS NOT NULL AND expires <= $1', [now()])).rowCount ?? 0),
    close: () => guard('close', async () => void (pool.ended || (await pool.end()))),
  };
}

/** Runs fn inside BEGIN/COMMIT on one pooled client; any throw rolls everything back. */
async function transaction<R>(pool: Pool, fn: (run: Run) => Promise<R>): Promise<R> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    const result = await fn((text, values) => client.query(text, values));
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => (broken = true));
    throw err;
  } finally {
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

/** A driver message with the password (if any) removed: some errors quote what they were given. */
function reasonOf(err: unknown, target: Target): string {
  const e = err as { message?: string; code?: string };
  const reason = e.message || e.code || String(err);
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

/** A failed operation: unique violations (a racing create) are ALREADY_EXISTS, the rest INTERNAL. */
function opError(err: unknown, what: string, target: Target): TshError {
  if (err instanceof TshError) return err;
  if ((err as { code?: string }).code === '23505') return new TshError('ALREADY_EXISTS', `storage: ${what}: the key already exists`, { cause: err });
  return new TshError('INTERNAL', `storage: ${what} failed on PostgreSQL at ${target.where}: ${reasonOf(err, target)}`, { cause: err });
}
