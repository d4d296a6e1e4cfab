import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditSpool, type SpooledEvent } from '../../../src/cluster/app/auditSpool.js';
import { silentLogger } from '../../../src/cluster/logger.js';

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'tsh-spool-test-'));
  try {
    await fn(join(dir, 'spool'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A stand-in for auth's audit.emit that records what it was sent. */
function sink() {
  const batches: SpooledEvent[][] = [];
  return { batches, all: () => batches.flat(), send: async (events: SpooledEvent[]) => void batches.push(events.map((e) => structuredClone(e))) };
}

async function until(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const fileOf = (dir: string) => join(dir, 'audit.jsonl');

test('an event is on disk before begin resolves; requests arriving together share one sync; the file is 0600 in a 0700 dir', async () => {
  await withDir(async (dir) => {
    const s = sink();
    const spool = await AuditSpool.open(dir, s.send, silentLogger);
    const uid = await spool.begin('app.session.request', { user: 'alice', path: '/' });
    assert.match(await readFile(fileOf(dir), 'utf8'), new RegExp(`"uid":"${uid}"`));
    const uids = await Promise.all(Array.from({ length: 200 }, (_, i) => spool.begin('app.session.dynamodb.request', { user: 'alice', n: i })));
    assert.equal(new Set(uids).size, 200, 'every event has its own uid');
    const text = await readFile(fileOf(dir), 'utf8');
    for (const u of uids) assert.ok(text.includes(u), 'every begun event is in the file');
    assert.ok(spool.stats.syncs < 20, `200 concurrent requests took ${spool.stats.syncs} syncs`);
    assert.equal((await stat(fileOf(dir))).mode & 0o777, 0o600);
    assert.equal((await stat(dir)).mode & 0o777, 0o700);
    for (const u of [uid, ...uids]) spool.complete(u, { status_code: 200 });
    await spool.close();
    assert.equal(s.all().length, 201);
    assert.ok(s.all().every((e) => e.fields.status_code === 200 && typeof e.fields.time === 'string'));
  });
});

test('complete events are shipped in batches, in order, once each; the file is rewritten without them', async () => {
  await withDir(async (dir) => {
    const s = sink();
    const spool = await AuditSpool.open(dir, s.send, silentLogger);
    const pad = 'x'.repeat(400);
    for (let round = 0; round < 6; round++) {
      const uids = await Promise.all(Array.from({ length: 1000 }, (_, i) => spool.begin('app.session.request', { n: round * 1000 + i, pad })));
      uids.forEach((u) => spool.complete(u, { status_code: 200 }));
      await spool.flush();
    }
    spool.record('app.session.request', { n: 6000, status_code: 403, reason: 'access_denied' });
    await spool.flush();
    const all = s.all();
    assert.deepEqual(all.map((e) => e.fields.n), Array.from({ length: 6001 }, (_, i) => i));
    assert.equal(new Set(all.map((e) => e.fields.uid)).size, 6001);
    assert.ok(s.batches.every((b) => b.length <= 1000));
    assert.ok(spool.stats.compactions >= 2, 'rewritten as it grew');
    await spool.close();
    assert.ok((await stat(fileOf(dir))).size < 1.5 * (1 << 20), 'the file stays small once shipped');
    // Reopened: nothing left to send.
    const again = sink();
    const reopened = await AuditSpool.open(dir, again.send, silentLogger);
    await reopened.flush();
    assert.equal(again.all().length, 0);
    await reopened.close();
  });
});

test('after a crash: events never acknowledged are shipped, those without an answer marked completed: false, a torn line skipped', async () => {
  await withDir(async (dir) => {
    await mkdir(dir, { recursive: true });
    const line = (o: unknown) => JSON.stringify(o) + '\n';
    const ev = (uid: string, n: number) => ({ uid, event: 'app.session.dynamodb.request', fields: { uid, time: '2026-01-01T00:00:00.000Z', n, target: 'DynamoDB_20120810.PutItem' }, done: false });
    const ids = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222', '33333333-3333-4333-8333-333333333333', '44444444-4444-4444-8444-444444444444'];
    await writeFile(
      fileOf(dir),
      line(ev(ids[0], 0)) + line(ev(ids[1], 1)) + line({ uid: ids[0], done: true, set: { status_code: 200 } }) + line({ ack: [ids[0]] }) +
        line(ev(ids[2], 2)) + line({ uid: ids[2], done: true, set: { status_code: 400 } }) + line(ev(ids[3], 3)) + '{"uid":"55555555-5555-4555-8555-5555',
      { mode: 0o600 },
    );
    const warnings: string[] = [];
    const s = sink();
    const spool = await AuditSpool.open(dir, s.send, { ...silentLogger, warn: (_c, m) => warnings.push(m) });
    await until(() => s.all().length === 3, 'the leftovers to be shipped');
    const byN = new Map(s.all().map((e) => [e.fields.n, e.fields]));
    assert.equal(byN.has(0), false, 'acknowledged before the crash: not sent again');
    assert.equal(byN.get(1)!.completed, false);
    assert.equal(byN.get(2)!.status_code, 400);
    assert.equal(byN.get(2)!.completed, undefined);
    assert.equal(byN.get(3)!.completed, false);
    assert.equal(byN.get(1)!.uid, ids[1], 'the uid of the first run is kept, so auth can tell a repeat');
    assert.ok(warnings.some((w) => /3 events not yet in the audit log \(2 of requests whose answer was never recorded\)/.test(w)), warnings.join('\n'));
    assert.ok(warnings.some((w) => /skipped 1 unreadable line/.test(w)));
    await spool.close();
  });
});

test('a failed send is retried with the same events, nothing lost; close leaves the rest for the next start', async () => {
  await withDir(async (dir) => {
    let failing = true;
    const got: SpooledEvent[] = [];
    const warnings: string[] = [];
    const spool = await AuditSpool.open(
      dir,
      async (events) => {
        if (failing) throw new Error('auth unreachable');
        got.push(...events);
      },
      { ...silentLogger, warn: (_c, m) => warnings.push(m) },
    );
    const a = await spool.begin('app.session.request', { n: 1 });
    spool.complete(a, { status_code: 200 });
    spool.record('app.session.request', { n: 2, status_code: 503, reason: 'upstream_unreachable' });
    await spool.flush();
    assert.equal(got.length, 0);
    assert.match(warnings[0], /could not send 2 audit events \(kept in the spool, will retry\): auth unreachable/);
    await spool.close();
    failing = false;
    const next = await AuditSpool.open(dir, async (events) => void got.push(...events), silentLogger);
    await until(() => got.length === 2, 'the events kept through the restart');
    assert.deepEqual(got.map((e) => e.fields.n), [1, 2]);
    assert.equal(got[0].fields.uid, a);
    await next.close();
  });
});
