/**
 * One behaviour suite run against both storage backends (SQLite in a temp
 * dir, a throwaway PostgreSQL 15), plus the few things only one of them has:
 * file modes, connection errors, the openBackend switch.
 */
import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Backend } from '../../../src/cluster/storage/backend.js';
import { openBackend } from '../../../src/cluster/storage/openBackend.js';
import { openPostgresBackend } from '../../../src/cluster/storage/postgresBackend.js';
import { openSqliteBackend } from '../../../src/cluster/storage/sqliteBackend.js';
import { isCode, type ErrorCode } from '../../../src/shared/errors.js';
import { startPostgres, type TestPostgres } from '../../helpers/postgres.js';
import { runProgram } from '../../helpers/binaries.js';
import { DEFAULTS } from '../../../src/cluster/config/teleportConfig.js';
import type { Change } from '../../../src/cluster/storage/backend.js';
import { eventually } from '../../helpers/longRunning.js';

const pool = DEFAULTS.postgresPool;

/** Collects what a watcher hears, and when. */
function listen(backend: Backend, prefixes: string[]) {
  const heard: Array<Change & { at: number }> = [];
  let resets = 0;
  const stop = backend.watch(prefixes, { changes: (cs) => heard.push(...cs.map((c) => ({ ...c, at: Date.now() }))), reset: () => resets++ });
  return { heard, resets: () => resets, stop };
}

/** The longest feed delay seen by any test, reported at the end (the bound is 1 s; asserted with room for a busy machine). */
const feedDelays: number[] = [];
after(() => {
  if (feedDelays.length) console.log(`# change feed: ${feedDelays.length} changes heard by a second connection, slowest after ${Math.max(...feedDelays)} ms`);
});

const T0 = Date.parse('2030-01-01T00:00:00Z');

/** A clock tests move by hand. */
function fakeClock() {
  let now = T0;
  return {
    now: () => new Date(now),
    set: (ms: number) => void (now = ms),
    advance: (ms: number) => void (now += ms),
  };
}

function rejectsWith(code: ErrorCode) {
  return (err: unknown) => {
    assert.ok(isCode(err, code), `expected TshError ${code}, got ${String(err)}`);
    return true;
  };
}

/** How the suite gets a backend: `open` may be called again after close() to test a restart. */
interface Fixture {
  setup(): Promise<void>;
  open(clock: () => Date): Promise<Backend>;
  teardown(): Promise<void>;
}

function backendSuite(name: string, fixture: Fixture) {
  describe(name, () => {
    const clock = fakeClock();
    let b: Backend;

    before(async () => {
      await fixture.setup();
      b = await fixture.open(clock.now);
    });
    after(async () => {
      await b?.close();
      await fixture.teardown();
    });
    beforeEach(async () => {
      clock.set(T0);
      await b.deleteRange('');
      await b.sweepExpired(); // nothing left from earlier tests, live or expired
      assert.deepEqual(await b.getRange(''), []);
    });

    test('get of a missing key is undefined; put then get round-trips', async () => {
      assert.equal(await b.get('/users/alice'), undefined);
      const put = await b.put('/users/alice', { name: 'alice', roles: ['access'] });
      assert.equal(put.key, '/users/alice');
      assert.ok(put.revision > 0);
      assert.equal(put.expires, undefined);
      assert.deepEqual(await b.get('/users/alice'), put);
      assert.deepEqual((await b.get('/users/alice'))?.value, { name: 'alice', roles: ['access'] });
    });

    test('revisions increase on every write, across keys', async () => {
      const r1 = (await b.put('/a', 1)).revision;
      const r2 = (await b.put('/b', 2)).revision;
      const r3 = (await b.put('/a', 3)).revision;
      const r4 = (await b.update('/b', 4)).revision;
      // Deleting the newest row must not hand its revision out again.
      await b.delete('/b');
      const r5 = (await b.create('/b', 5)).revision;
      assert.ok(r1 < r2 && r2 < r3 && r3 < r4 && r4 < r5, `not increasing: ${[r1, r2, r3, r4, r5]}`);
      assert.equal((await b.get('/b'))?.revision, r5);
      assert.equal((await b.get('/a'))?.value, 3);
    });

    test('create refuses an existing key and leaves it alone', async () => {
      const first = await b.create('/roles/dev', { v: 1 });
      assert.deepEqual(first.value, { v: 1 });
      await assert.rejects(b.create('/roles/dev', { v: 2 }), rejectsWith('ALREADY_EXISTS'));
      assert.deepEqual(await b.get('/roles/dev'), first);
    });

    test('update needs an existing key', async () => {
      await assert.rejects(b.update('/roles/none', 1), rejectsWith('NOT_FOUND'));
      assert.equal(await b.get('/roles/none'), undefined);
      const before = await b.put('/roles/dev', 'old');
      const after = await b.update('/roles/dev', 'new');
      assert.equal(after.value, 'new');
      assert.ok(after.revision > before.revision);
      assert.deepEqual(await b.get('/roles/dev'), after);
    });

    test('put replaces the value and clears an expiry it does not repeat', async () => {
      await b.put('/k', 1, { expires: new Date(T0 + 60_000) });
      const again = await b.put('/k', 2);
      assert.equal(again.expires, undefined);
      clock.advance(120_000);
      assert.equal((await b.get('/k'))?.value, 2);
    });

    test('compareAndSwap writes only over the expected revision', async () => {
      await assert.rejects(b.compareAndSwap('/cas', 1, 'x'), rejectsWith('NOT_FOUND'));
      const v1 = await b.put('/cas', 'v1');
      const v2 = await b.compareAndSwap('/cas', v1.revision, 'v2');
      assert.equal(v2.value, 'v2');
      assert.ok(v2.revision > v1.revision);
      // A second writer still holding v1's revision loses.
      await assert.rejects(b.compareAndSwap('/cas', v1.revision, 'stale'), rejectsWith('ALREADY_EXISTS'));
      assert.deepEqual(await b.get('/cas'), v2);
    });

    test('increment counts every call, from two connections in parallel, and keeps the first expiry', async () => {
      const other = await fixture.open(clock.now);
      try {
        const expires = new Date(T0 + 60_000);
        const calls = Array.from({ length: 40 }, (_, i) => (i % 2 ? other : b).increment('/attempts/x', { expires }));
        const counts = (await Promise.all(calls)).map((c) => c.value).sort((x, y) => x - y);
        assert.deepEqual(counts, Array.from({ length: 40 }, (_, i) => i + 1), 'no two callers got the same count');
        const next = await b.increment('/attempts/x', { expires: new Date(T0 + 999_000) });
        assert.equal(next.value, 41);
        assert.equal(next.expires?.getTime(), T0 + 60_000, 'a live counter keeps its expiry');
        assert.deepEqual(await b.get('/attempts/x'), next);
      } finally {
        await other.close();
      }
    });

    test('an expired counter starts again at 1 with the new expiry', async () => {
      await b.increment('/attempts/y', { expires: new Date(T0 + 1_000) });
      await b.increment('/attempts/y', { expires: new Date(T0 + 1_000) });
      clock.advance(2_000);
      const fresh = await b.increment('/attempts/y', { expires: new Date(T0 + 90_000) });
      assert.equal(fresh.value, 1);
      assert.equal(fresh.expires?.getTime(), T0 + 90_000);
    });

    test('delete says whether something was removed', async () => {
      await b.put('/d', 1);
      assert.equal(await b.delete('/d'), true);
      assert.equal(await b.get('/d'), undefined);
      assert.equal(await b.delete('/d'), false);
    });

    test('getRange is sorted and exact to the prefix', async () => {
      const keys = ['/users/b', '/users/a/x', '/usersx', '/users/ab', '/users/a', '/users/', '/users/A', '/users/a\u{10FFFF}z', '/users/b/a'];
      for (const k of keys) await b.put(k, k);
      const got = (p: string) => b.getRange(p).then((items) => items.map((i) => i.key));
      assert.deepEqual(await got('/users/a'), ['/users/a', '/users/a/x', '/users/ab', '/users/a\u{10FFFF}z']);
      assert.deepEqual(await got('/users/'), ['/users/', '/users/A', '/users/a', '/users/a/x', '/users/ab', '/users/a\u{10FFFF}z', '/users/b', '/users/b/a']);
      assert.deepEqual(await got('/users/a/'), ['/users/a/x']);
      assert.deepEqual(await got('/nothing'), []);
      const limited = await b.getRange('/users/', { limit: 2 });
      assert.deepEqual(limited.map((i) => i.key), ['/users/', '/users/A']);
      assert.equal(limited[0].value, '/users/');
    });

    test('getRange treats % _ and \\ as plain characters', async () => {
      for (const k of ['/p/100%', '/p/1000', '/p/100%/x', '/p/a_b', '/p/axb', '/p/a\\b', '/p/a\\\\b']) await b.put(k, 1);
      const got = (p: string) => b.getRange(p).then((items) => items.map((i) => i.key));
      assert.deepEqual(await got('/p/100%'), ['/p/100%', '/p/100%/x']);
      assert.deepEqual(await got('/p/a_'), ['/p/a_b']);
      assert.deepEqual(await got('/p/a\\'), ['/p/a\\\\b', '/p/a\\b']);
      assert.deepEqual(await got('/p/%'), []);
      assert.deepEqual(await got('/p/_'), []);
    });

    test('deleteRange removes the prefix only and counts', async () => {
      for (const k of ['/s/1', '/s/2', '/s2', '/t/1']) await b.put(k, 1);
      assert.equal(await b.deleteRange('/s/'), 2);
      assert.deepEqual((await b.getRange('/')).map((i) => i.key), ['/s2', '/t/1']);
      assert.equal(await b.deleteRange('/s/'), 0);
    });

    test('an expired item is invisible to every read and write', async () => {
      const expires = new Date(T0 + 10_000);
      const item = await b.put('/sessions/1', { user: 'alice' }, { expires });
      assert.equal(item.expires?.getTime(), expires.getTime());
      await b.put('/sessions/2', 'forever');
      clock.advance(9_999);
      assert.equal((await b.get('/sessions/1'))?.expires?.getTime(), expires.getTime());
      clock.advance(2);
      assert.equal(await b.get('/sessions/1'), undefined);
      assert.deepEqual((await b.getRange('/sessions/')).map((i) => i.key), ['/sessions/2']);
      await assert.rejects(b.update('/sessions/1', 'x'), rejectsWith('NOT_FOUND'));
      await assert.rejects(b.compareAndSwap('/sessions/1', item.revision, 'x'), rejectsWith('NOT_FOUND'));
      assert.equal(await b.delete('/sessions/1'), false);
      // create over an expired key succeeds and starts fresh (no expiry unless given).
      const fresh = await b.create('/sessions/1', 'new');
      assert.equal(fresh.expires, undefined);
      assert.ok(fresh.revision > item.revision);
      assert.deepEqual(await b.get('/sessions/1'), fresh);
    });

    test('sweepExpired deletes expired rows and only those', async () => {
      await b.put('/x/1', 1, { expires: new Date(T0 + 1_000) });
      await b.put('/x/2', 2, { expires: new Date(T0 + 2_000) });
      await b.put('/x/3', 3, { expires: new Date(T0 + 60_000) });
      await b.put('/x/4', 4);
      clock.advance(5_000);
      // Unswept, an expired row is still stored: moving the clock back shows it again.
      clock.set(T0);
      assert.equal((await b.get('/x/1'))?.value, 1);
      clock.advance(5_000);
      assert.equal(await b.sweepExpired(), 2);
      assert.equal(await b.sweepExpired(), 0);
      clock.set(T0);
      assert.equal(await b.get('/x/1'), undefined, 'swept rows are gone for good');
      assert.deepEqual((await b.getRange('/x/')).map((i) => i.key), ['/x/3', '/x/4']);
    });

    test('batch applies everything or nothing', async () => {
      await b.put('/bt/keep', 'old');
      await b.put('/bt/taken', 'someone');
      await b.put('/bt/gone', 'still here');
      await assert.rejects(
        b.batch([
          { op: 'put', key: '/bt/new', value: 1 },
          { op: 'put', key: '/bt/keep', value: 'changed' },
          { op: 'delete', key: '/bt/gone' },
          { op: 'create', key: '/bt/taken', value: 'me' },
        ]),
        rejectsWith('ALREADY_EXISTS'),
      );
      assert.deepEqual(
        (await b.getRange('/bt/')).map((i) => [i.key, i.value]),
        [['/bt/gone', 'still here'], ['/bt/keep', 'old'], ['/bt/taken', 'someone']],
      );
      await b.batch([
        { op: 'put', key: '/bt/new', value: 1, expires: new Date(T0 + 1_000) },
        { op: 'create', key: '/bt/fresh', value: 2 },
        { op: 'delete', key: '/bt/gone' },
      ]);
      assert.deepEqual(
        (await b.getRange('/bt/')).map((i) => [i.key, i.value]),
        [['/bt/fresh', 2], ['/bt/keep', 'old'], ['/bt/new', 1], ['/bt/taken', 'someone']],
      );
      assert.equal((await b.get('/bt/new'))?.expires?.getTime(), T0 + 1_000);
    });

    test('unicode and nested JSON round-trip', async () => {
      const value = {
        name: 'Zoë 🚀 日本語 \u00e9\u0301',
        quote: 'it\'s "quoted" \\ back\nslash\ttab \u0000 nul',
        nested: { list: [1, -2.5e-10, null, true, { deep: [[], {}, ['x']] }], empty: '' },
        big: Number.MAX_SAFE_INTEGER,
      };
      const key = '/users/zoë🚀/日本';
      await b.put(key, value);
      assert.deepEqual((await b.get(key))?.value, value);
      assert.deepEqual((await b.getRange('/users/zoë🚀/'))[0].value, value);
      for (const v of ['plain', 0, null, [1, 'two'], false]) {
        await b.put('/scalar', v);
        assert.deepEqual((await b.get('/scalar'))?.value, v);
      }
      await assert.rejects(b.put('/bad', undefined), rejectsWith('INTERNAL'));
    });

    test('the change feed tells another connection of puts and deletes under its prefixes, in order, once', async () => {
      const other = await fixture.open(clock.now);
      const w = listen(other, ['/roles/', '/locks/']);
      try {
        const sent = Date.now();
        const r1 = await b.put('/roles/dev', { v: 1 });
        await b.put('/users/alice', 'not watched');
        await b.put(`${'/events/'}000000000000001/x`, 'audit events are not in the feed');
        await b.batch([
          { op: 'put', key: '/locks/l1', value: 1 },
          { op: 'delete', key: '/roles/dev' },
        ]);
        await eventually('the second connection hears three changes', async () => (w.heard.length >= 3 ? true : undefined), 10_000);
        feedDelays.push(w.heard[2].at - sent);
        assert.deepEqual(w.heard.map((c) => [c.op, c.key]), [['put', '/roles/dev'], ['put', '/locks/l1'], ['delete', '/roles/dev']]);
        assert.equal(w.heard[0].revision, r1.revision);
        assert.ok(w.heard[0].revision < w.heard[1].revision && w.heard[1].revision < w.heard[2].revision, 'revision order');
        assert.ok(w.heard[2].at - sent < 5_000, `heard after ${w.heard[2].at - sent} ms (bound 1 s, asserted at 5 s)`);
        await b.put('/roles/ops', 2);
        await eventually('one more', async () => (w.heard.length === 4 ? true : undefined), 10_000);
        await new Promise((r) => setTimeout(r, 300));
        assert.equal(w.heard.length, 4, 'nothing heard twice');
        assert.equal(w.resets(), 0);
      } finally {
        w.stop();
        await other.close();
      }
    });

    test('watchers in the writing process hear its writes too', async () => {
      const w = listen(b, ['/locks/']);
      try {
        await b.put('/locks/mine', 1);
        await eventually('heard here', async () => (w.heard.length === 1 ? true : undefined), 5_000);
        await b.deleteRange('/locks/');
        await eventually('the range delete heard', async () => (w.heard.length === 2 ? true : undefined), 5_000);
        assert.deepEqual(w.heard.map((c) => c.op), ['put', 'delete']);
      } finally {
        w.stop();
      }
    });

    test('data and the revision counter survive a restart', async () => {
      const stored = await b.put('/ca/host', { cert: 'PEM…' }, { expires: new Date(T0 + 3_600_000) });
      await b.put('/ca/user', 'u');
      await b.close();
      b = await fixture.open(clock.now);
      assert.deepEqual(await b.get('/ca/host'), stored);
      assert.deepEqual((await b.getRange('/ca/')).map((i) => i.key), ['/ca/host', '/ca/user']);
      const next = await b.put('/ca/other', 1);
      assert.ok(next.revision > stored.revision + 1, 'revisions continue after a restart');
    });
  });
}

// --- SQLite -----------------------------------------------------------------

let sqliteDir = '';
backendSuite('sqlite backend', {
  setup: async () => void (sqliteDir = await mkdtemp(join(tmpdir(), 'tsh-sqlite-'))),
  open: (clock) => openSqliteBackend({ path: join(sqliteDir, 'cluster.db'), clock }),
  teardown: () => rm(sqliteDir, { recursive: true, force: true }),
});

describe('sqlite specifics', () => {
  let dir = '';
  before(async () => void (dir = await mkdtemp(join(tmpdir(), 'tsh-sqlite-'))));
  after(() => rm(dir, { recursive: true, force: true }));

  test('the file and its WAL are created 0600', async () => {
    const path = join(dir, 'private.db');
    const b = await openSqliteBackend({ path });
    await b.put('/k', 1);
    try {
      assert.equal(statSync(path).mode & 0o777, 0o600);
      assert.ok(existsSync(`${path}-wal`), 'WAL mode');
      assert.equal(statSync(`${path}-wal`).mode & 0o777, 0o600);
    } finally {
      await b.close();
    }
  });

  test('increments from several processes sharing the file all count', async () => {
    const path = join(dir, 'shared.db');
    const module = new URL('../../../src/cluster/storage/sqliteBackend.ts', import.meta.url).href;
    const script = `import { openSqliteBackend } from ${JSON.stringify(module)};
      const b = await openSqliteBackend({ path: ${JSON.stringify(path)} });
      for (let i = 0; i < 50; i++) await b.increment('/attempts/z', { expires: new Date(Date.now() + 600000) });
      await b.close();`;
    const runs = Array.from({ length: 3 }, () => runProgram(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env: process.env }));
    for (const r of await Promise.all(runs)) assert.equal(r.code, 0, r.stderr);
    const b = await openSqliteBackend({ path });
    try {
      assert.equal((await b.get('/attempts/z'))?.value, 150);
    } finally {
      await b.close();
    }
  });

  test('a missing directory is a CONFIG error naming it', async () => {
    const missing = join(dir, 'no', 'such');
    await assert.rejects(openSqliteBackend({ path: join(missing, 'cluster.db') }), (err: unknown) => {
      assert.ok(isCode(err, 'CONFIG'));
      assert.match((err as Error).message, new RegExp(missing));
      return true;
    });
    assert.equal(existsSync(missing), false);
  });

  test('a file that is not a database is a CONFIG error', async () => {
    const path = join(dir, 'junk.db');
    await writeFile(path, 'x'.repeat(4096));
    await assert.rejects(openSqliteBackend({ path }), rejectsWith('CONFIG'));
  });

  test('openBackend defaults to <dataDir>/cluster.db and resolves relative paths from the data dir', async () => {
    const a = await openBackend({ type: 'sqlite', pool }, dir);
    await a.close();
    assert.ok(existsSync(join(dir, 'cluster.db')));
    const c = await openBackend({ type: 'sqlite', path: 'other.db', pool }, dir);
    await c.close();
    assert.ok(existsSync(join(dir, 'other.db')));
    await assert.rejects(openBackend({ type: 'postgres', pool }, dir), rejectsWith('CONFIG'));
  });
});

// --- PostgreSQL -------------------------------------------------------------

let server: TestPostgres | undefined;
backendSuite('postgres backend', {
  setup: async () => void (server = await startPostgres()),
  open: (clock) => openPostgresBackend({ connectionString: server!.connectionString, clock, pool: { ...pool, maxConnections: 3 } }),
  teardown: async () => server?.stop(),
});

describe('postgres specifics', () => {
  test('an unreachable server is a CONFIG error naming host and port, never the password', async () => {
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
    const connectionString = `postgresql://teleport:s3cret-pw@127.0.0.1:${port}/teleport`;
    await assert.rejects(openPostgresBackend({ connectionString, pool: { ...pool, connectTimeoutMs: 2_000 } }), (err: unknown) => {
      assert.ok(isCode(err, 'CONFIG'), String(err));
      const e = err as Error & { hint?: string };
      assert.match(e.message, new RegExp(`127\\.0\\.0\\.1:${port}`));
      assert.ok(e.hint);
      assert.doesNotMatch(`${e.message} ${e.hint}`, /s3cret-pw/);
      return true;
    });
  });
});

describe('postgres: shared by several instances', () => {
  let pg: TestPostgres;
  before(async () => void (pg = await startPostgres()));
  after(() => pg?.stop());

  const open = (connectionString: string, extra: Partial<Parameters<typeof openPostgresBackend>[0]> = {}) => openPostgresBackend({ connectionString, pool: { ...pool, maxConnections: 2 }, ...extra });

  test('ten instances opening an empty database at once apply each migration once', async () => {
    const url = await pg.createDatabase('migrate_race');
    const backends = await Promise.all(Array.from({ length: 10 }, () => open(url)));
    try {
      const client = new (await import('pg')).default.Client({ connectionString: url });
      await client.connect();
      const versions = (await client.query('SELECT version FROM schema_migrations ORDER BY version')).rows.map((r) => r.version);
      await client.end();
      assert.deepEqual(versions, [1, 2]);
      // All ten work on the one schema: a write through one is read and heard through another.
      const w = listen(backends[9], ['/k/']);
      await backends[0].put('/k/1', 'x');
      assert.equal((await backends[5].get('/k/1'))?.value, 'x');
      await eventually('the tenth hears it', async () => (w.heard.length ? true : undefined), 10_000);
      w.stop();
    } finally {
      await Promise.all(backends.map((b) => b.close()));
    }
  });

  test('a database of the first release (kv, no schema_migrations) is taken over with its data', async () => {
    const url = await pg.createDatabase('first_release');
    const client = new (await import('pg')).default.Client({ connectionString: url });
    await client.connect();
    await client.query(`CREATE SEQUENCE kv_revision; CREATE TABLE kv (key TEXT COLLATE "C" PRIMARY KEY, value TEXT NOT NULL, revision BIGINT NOT NULL, expires TIMESTAMPTZ NULL);
      INSERT INTO kv VALUES ('/users/old', '"kept"', nextval('kv_revision'), NULL)`);
    const b = await open(url);
    try {
      assert.equal((await b.get('/users/old'))?.value, 'kept');
      const next = await b.put('/users/new', 1);
      assert.ok(next.revision > 1, 'revisions go on from the old sequence');
    } finally {
      await b.close();
    }
    await client.query('INSERT INTO schema_migrations (version) VALUES (99)');
    await client.end();
    await assert.rejects(open(url), (err: unknown) => {
      assert.ok(isCode(err, 'CONFIG'), String(err));
      assert.match((err as Error).message, /schema is at version 99, newer than this teleport knows \(2\)/);
      return true;
    });
  });

  test('a watcher whose listening connection is killed catches up by revision', async () => {
    const url = await pg.createDatabase('listener_killed');
    const lines: string[] = [];
    const log = { info: (_c: string, m: string) => lines.push(m), warn: (_c: string, m: string) => lines.push(m), error() {}, debug() {} };
    const [writer, watcher] = await Promise.all([open(url), open(url, { log })]);
    const w = listen(watcher, ['/locks/']);
    const admin = new (await import('pg')).default.Client({ connectionString: url });
    await admin.connect();
    try {
      const listening = `FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'`;
      await eventually('both listen', async () => ((await admin.query(`SELECT pid ${listening}`)).rowCount === 2 ? true : undefined), 10_000);
      const killed = await admin.query(`SELECT pg_terminate_backend(pid) ${listening}`);
      assert.equal(killed.rowCount, 2, 'both listeners');
      const sent = Date.now();
      for (let i = 0; i < 5; i++) await writer.put(`/locks/l${i}`, i);
      await eventually('all five heard', async () => (w.heard.length === 5 ? true : undefined), 10_000);
      feedDelays.push(w.heard[4].at - sent);
      assert.deepEqual(w.heard.map((c) => c.key), ['/locks/l0', '/locks/l1', '/locks/l2', '/locks/l3', '/locks/l4']);
      await eventually('the loss and the return are logged', async () => (lines.some((l) => /is back after/.test(l)) ? true : undefined), 10_000);
      assert.match(lines.join('\n'), /lost the connection to PostgreSQL at 127\.0\.0\.1:\d+\/listener_killed \(.+\); requests that need it get 503 until it is back, retrying/);
    } finally {
      w.stop();
      await admin.end();
      await Promise.all([writer.close(), watcher.close()]);
    }
  });

  test('while the server is down every call is UNAVAILABLE (503) naming it; it heals by itself', async () => {
    const url = await pg.createDatabase('goes_down');
    const b = await open(url, { pool: { ...pool, maxConnections: 2, connectTimeoutMs: 2_000 } });
    const w = listen(b, ['/roles/']);
    try {
      await b.put('/roles/before', 1);
      await pg.stopServer();
      const started = Date.now();
      for (const call of [() => b.get('/roles/before'), () => b.put('/roles/during', 1), () => b.batch([{ op: 'put', key: '/roles/x', value: 1 }])]) {
        await assert.rejects(call(), (err: unknown) => {
          assert.ok(isCode(err, 'UNAVAILABLE'), String(err));
          assert.equal((err as { httpStatus: number }).httpStatus, 503);
          assert.match((err as Error).message, /^the cluster's database \(PostgreSQL at 127\.0\.0\.1:\d+\/goes_down\) is unavailable: /);
          return true;
        });
      }
      assert.ok(Date.now() - started < 10_000, 'refused at once, not after a long wait');
      await pg.startServer();
      const back = await eventually('calls work again', async () => b.put('/roles/after', 2), 20_000);
      assert.equal(back.value, 2);
      assert.equal(await b.get('/roles/during'), undefined, 'the write refused while down was not applied');
      await eventually('the feed heard the write after', async () => (w.heard.some((c) => c.key === '/roles/after') ? true : undefined), 10_000);
    } finally {
      w.stop();
      await b.close();
    }
  });
});

describe('postgres: a connection cut in the middle of a transaction', () => {
  let pg: TestPostgres;
  before(async () => void (pg = await startPostgres()));
  after(() => pg?.stop());

  test('the batch fails UNAVAILABLE, nothing of it is written, and the process lives on', async () => {
    const url = await pg.createDatabase('cut');
    const b = await openPostgresBackend({ connectionString: url, pool: { ...pool, maxConnections: 2 } });
    const admin = new (await import('pg')).default.Client({ connectionString: url });
    await admin.connect();
    try {
      const ops = Array.from({ length: 3000 }, (_, i) => ({ op: 'put' as const, key: `/cut/${i}`, value: i }));
      const batch = b.batch(ops);
      // It may fail before the cut below has returned: handled from the start, checked after.
      batch.catch(() => {});
      // Cut every other connection as soon as the batch's transaction has begun.
      await eventually('the batch under way', async () => ((await admin.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL`)).rowCount ? true : undefined), 10_000);
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`);
      await assert.rejects(batch, (err: unknown) => isCode(err, 'UNAVAILABLE'));
      assert.equal((await admin.query(`SELECT count(*)::int AS n FROM kv WHERE key LIKE '/cut/%'`)).rows[0].n, 0, 'all or nothing');
      assert.equal((await eventually('calls work again', async () => b.put('/cut/after', 1), 10_000)).value, 1);
    } finally {
      await admin.end();
      await b.close();
    }
  });
});
