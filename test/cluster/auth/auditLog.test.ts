import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { AuditLog } from '../../../src/cluster/auth/auditLog.js';
import { openSqliteBackend } from '../../../src/cluster/storage/sqliteBackend.js';

test('events that bring their own uid are stored once however often they arrive, in the backend and in events.jsonl', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tsh-auditlog-test-'));
  const backend = await openSqliteBackend({ path: join(dir, 'cluster.db') });
  try {
    const log = new AuditLog(backend, dir, () => new Date());
    const time = new Date(Date.now() - 60_000).toISOString();
    const batch = Array.from({ length: 50 }, (_, i) => ({ event: 'app.session.dynamodb.request', fields: { uid: randomUUID(), time, n: i, status_code: 200 } }));
    assert.equal((await log.emitMany(batch)).length, 50);
    // The same batch again (its reply was lost), then a batch that overlaps it (sent again after a crash, with new events).
    assert.equal((await log.emitMany(batch)).length, 0);
    const fresh = Array.from({ length: 10 }, (_, i) => ({ event: 'app.session.request', fields: { uid: randomUUID(), time, n: 50 + i } }));
    assert.equal((await log.emitMany([...batch.slice(40), ...fresh])).length, 10);

    const stored = await log.search({ since: new Date(Date.now() - 3_600_000) });
    assert.equal(stored.length, 60);
    assert.equal(new Set(stored.map((e) => e.uid)).size, 60);
    assert.deepEqual(stored.map((e) => e.n).sort((a, b) => Number(a) - Number(b)), Array.from({ length: 60 }, (_, i) => i));
    assert.ok(stored.every((e) => e.time === time), 'the time the request happened, as the app service recorded it');
    const lines = (await readFile(log.path, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, 60, 'no line twice in the file a SIEM tails');

    // Fields cannot pass for the record's own keys; an implausible time or uid is replaced.
    const [odd] = await log.emitMany([{ event: 'app.session.request', fields: { event: 'user.login', code: 'T1000I', uid: '../../x', time: '2999-01-01T00:00:00Z' } }]);
    assert.equal(odd.event, 'app.session.request');
    assert.equal(odd.code, 'T2009I');
    assert.match(odd.uid, /^[0-9a-f-]{36}$/);
    assert.ok(Math.abs(Date.parse(odd.time) - Date.now()) < 60_000);
  } finally {
    await backend.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('while appends to events.jsonl fail, events are stored, the failure is told once, and the file gets every line once it takes them again', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tsh-auditlog-test-'));
  const backend = await openSqliteBackend({ path: join(dir, 'cluster.db') });
  try {
    const told: string[] = [];
    const log = new AuditLog(backend, dir, () => new Date(), (err, file) => told.push(`${file}: ${(err as Error).message}`));
    // A directory where the file should be: every append fails (EISDIR), as on a full or broken disk.
    await mkdir(log.path, { recursive: true });
    await log.emit('app.session.request', { n: 1 });
    await log.emitMany([{ event: 'app.session.request', fields: { n: 2 } }, { event: 'app.session.request', fields: { n: 3 } }]);
    assert.equal(told.length, 1, 'told once, not per batch');
    assert.match(told[0], /events\.jsonl: EISDIR/);
    assert.equal((await log.search({ since: new Date(Date.now() - 60_000) })).length, 3, 'stored in the backend meanwhile');
    await rm(log.path, { recursive: true });
    await log.emit('app.session.request', { n: 4 });
    const lines = (await readFile(log.path, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((l) => l.n), [1, 2, 3, 4], 'the lines held back come first, in order, each once');
  } finally {
    await backend.close();
    await rm(dir, { recursive: true, force: true });
  }
});
