import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AuditBatcher, type PendingEvent } from '../../../src/cluster/app/auditBatcher.js';
import { silentLogger } from '../../../src/cluster/logger.js';

test('events are sent in batches by one sender, none lost, in order', async () => {
  const sent: PendingEvent[][] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const b = new AuditBatcher(async (events) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((r) => setTimeout(r, 5));
    sent.push(events);
    inFlight--;
  }, silentLogger);
  for (let i = 0; i < 5000; i++) b.add('app.session.request', { n: i });
  await b.flush();
  const all = sent.flat();
  assert.equal(all.length, 5000);
  assert.deepEqual(all.map((e) => e.fields.n), Array.from({ length: 5000 }, (_, i) => i));
  assert.ok(sent.length <= 6, `batched: ${sent.length} sends`);
  assert.equal(maxInFlight, 1, 'one send at a time');
});

test('a failed send is retried, nothing lost', async () => {
  let fail = true;
  const got: PendingEvent[] = [];
  const warnings: string[] = [];
  const b = new AuditBatcher(async (events) => {
    if (fail) throw new Error('auth unreachable');
    got.push(...events);
  }, { ...silentLogger, warn: (_c, m) => warnings.push(m) });
  b.add('app.session.request', { n: 1 });
  b.add('app.session.request', { n: 2 });
  await b.flush();
  assert.equal(got.length, 0);
  assert.match(warnings[0], /could not send 2 audit events \(will retry\): auth unreachable/);
  fail = false;
  await b.flush();
  assert.deepEqual(got.map((e) => e.fields.n), [1, 2]);
});
