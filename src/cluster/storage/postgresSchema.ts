/**
 * The PostgreSQL schema, as numbered migrations recorded in
 * `schema_migrations`. Every instance runs {@link migrate} when it opens the
 * database; the first transaction takes an advisory lock, so when ten
 * instances start at once one applies what is missing and the others find
 * it done. A database newer than this program is refused, not touched.
 *
 *   1  kv (key "C" collation, JSON text, revision, expiry) and the kv_revision sequence
 *   2  the change feed: kv_events, its pruning watermark, and the triggers that give every
 *      write its revision in commit order (one advisory lock per writing transaction),
 *      record it, and NOTIFY the listeners (see changeFeed.ts)
 */
import type { PoolClient } from 'pg';
import { TshError } from '../../shared/errors.js';
import { UNWATCHED_PREFIX } from './backend.js';

/** Serialises migrations when several instances start at once. */
const MIGRATION_LOCK = 7460239;
/** Taken by every writing transaction before it draws a revision (released at commit), so revisions follow commit order. */
export const WRITE_LOCK = 7460240;
/** The channel writes are announced on. */
export const CHANGES_CHANNEL = 'tsh_kv_changes';

const unwatched = `left(k, ${UNWATCHED_PREFIX.length}) = '${UNWATCHED_PREFIX}'`;

const MIGRATIONS: string[] = [
  // 1: what the first releases created (IF NOT EXISTS: their databases are taken over as they are).
  `CREATE SEQUENCE IF NOT EXISTS kv_revision;
   CREATE TABLE IF NOT EXISTS kv (
     key TEXT COLLATE "C" PRIMARY KEY,
     value TEXT NOT NULL,
     revision BIGINT NOT NULL,
     expires TIMESTAMPTZ NULL
   );
   CREATE INDEX IF NOT EXISTS kv_expires ON kv (expires) WHERE expires IS NOT NULL;`,
  // 2: the change feed.
  `CREATE TABLE kv_events (
     revision BIGINT PRIMARY KEY,
     key TEXT COLLATE "C" NOT NULL,
     op TEXT NOT NULL,
     at TIMESTAMPTZ NOT NULL DEFAULT now()
   );
   CREATE INDEX kv_events_at ON kv_events (at);
   CREATE TABLE kv_feed (id INT PRIMARY KEY CHECK (id = 1), pruned_through BIGINT NOT NULL);
   INSERT INTO kv_feed (id, pruned_through) VALUES (1, 0);
   CREATE FUNCTION kv_revise() RETURNS trigger LANGUAGE plpgsql AS $$
   DECLARE k TEXT := NEW.key;
   BEGIN
     IF NOT (${unwatched}) THEN PERFORM pg_advisory_xact_lock(${WRITE_LOCK}); END IF;
     NEW.revision := nextval('kv_revision');
     RETURN NEW;
   END $$;
   CREATE FUNCTION kv_record() RETURNS trigger LANGUAGE plpgsql AS $$
   DECLARE k TEXT; r BIGINT;
   BEGIN
     IF TG_OP = 'DELETE' THEN k := OLD.key; ELSE k := NEW.key; END IF;
     IF ${unwatched} THEN RETURN NULL; END IF;
     IF TG_OP = 'DELETE' THEN
       PERFORM pg_advisory_xact_lock(${WRITE_LOCK});
       r := nextval('kv_revision');
     ELSE
       r := NEW.revision;
     END IF;
     INSERT INTO kv_events (revision, key, op) VALUES (r, k, CASE WHEN TG_OP = 'DELETE' THEN 'delete' ELSE 'put' END);
     PERFORM pg_notify('${CHANGES_CHANNEL}', '');
     RETURN NULL;
   END $$;
   CREATE TRIGGER kv_revise BEFORE INSERT OR UPDATE ON kv FOR EACH ROW EXECUTE FUNCTION kv_revise();
   CREATE TRIGGER kv_record AFTER INSERT OR UPDATE OR DELETE ON kv FOR EACH ROW EXECUTE FUNCTION kv_record();`,
];

/** The schema version this program writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** Brings the database to {@link SCHEMA_VERSION}, in one transaction under the migration lock. */
export async function migrate(client: PoolClient): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
    const applied = Number((await client.query('SELECT coalesce(max(version), 0) AS v FROM schema_migrations')).rows[0].v);
    if (applied > SCHEMA_VERSION) {
      throw new TshError('CONFIG', `the database schema is at version ${applied}, newer than this teleport knows (${SCHEMA_VERSION})`, {
        hint: 'run the newer teleport that upgraded it, on every instance sharing this database',
      });
    }
    for (let v = applied + 1; v <= SCHEMA_VERSION; v++) {
      await client.query(MIGRATIONS[v - 1]);
      await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [v]);
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  }
}
