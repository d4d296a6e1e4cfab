/**
 * The change feed's bookkeeping against a scripted history: what a watcher
 * hears, that reads never overlap, that a failed read loses nothing, and
 * that a history pruned past the feed makes every watcher reload.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChangeFeed } from '../../../src/cluster/storage/changeFeed.js';
import type { Change } from '../../../src/cluster/storage/backend.js';

function history() {
  const changes: Change[] = [];
  let prunedThrough = 0;
  let reads = 0;
  let inFlight = 0;
  let fail = false;
  return {
    add: (op: 'put' | 'delete', key: string) => changes.push({ op, key, revision: (changes.at(-1)?.revision ?? prunedThrough) + 1 }),
    prune(through: number) {
      prunedThrough = through;
      changes.splice(0, changes.filter((c) => c.revision <= through).length);
    },
    failNext: () => void (fail = true),
    reads: () => reads,
    source: {
      async readSince(revision: number, limit: number) {
        reads++;
        assert.equal(inFlight++, 0, 'reads never overlap');
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        if (fail) {
          fail = false;
          throw new Error('database away');
        }
        return { changes: changes.filter((c) => c.revision > revision).slice(0, limit), prunedThrough };
      },
      head: () => changes.at(-1)?.revision ?? prunedThrough,
    },
  };
}

const settle = () => new Promise((r) => setTimeout(r, 60));

test('watchers hear the changes under their prefixes, once, from where the feed started', async () => {
  const h = history();
  h.add('put', '/roles/before-start');
  const feed = new ChangeFeed(h.source);
  await feed.start();
  const roles: string[] = [];
  const locks: string[] = [];
  feed.watch(['/roles/'], { changes: (cs) => roles.push(...cs.map((c) => `${c.op} ${c.key}`)), reset: () => assert.fail('no reset') });
  feed.watch(['/locks/', '/roles/a'], { changes: (cs) => locks.push(...cs.map((c) => c.key)), reset: () => assert.fail('no reset') });
  h.add('put', '/roles/a');
  h.add('put', '/users/x');
  h.add('delete', '/locks/1');
  for (let i = 0; i < 5; i++) feed.poke();
  await settle();
  assert.deepEqual(roles, ['put /roles/a']);
  assert.deepEqual(locks, ['/roles/a', '/locks/1']);
  assert.ok(h.reads() <= 2, `five pokes during one read make one more read at most (${h.reads()})`);
  feed.poke();
  await settle();
  assert.deepEqual(roles, ['put /roles/a'], 'nothing twice');
});

test('a failed read loses nothing: the next poke catches up', async () => {
  const h = history();
  const heard: number[] = [];
  const errors: unknown[] = [];
  const feed2 = new ChangeFeed(h.source, (e) => errors.push(e));
  await feed2.start();
  feed2.watch(['/'], { changes: (cs) => heard.push(...cs.map((c) => c.revision)), reset: () => assert.fail('no reset') });
  h.add('put', '/a');
  h.failNext();
  feed2.poke();
  await settle();
  assert.equal(errors.length, 1);
  assert.deepEqual(heard, []);
  h.add('put', '/b');
  feed2.poke();
  await settle();
  assert.deepEqual(heard, [1, 2]);
});

test('a history pruned past the feed makes every watcher reload, then the feed goes on from there', async () => {
  const h = history();
  const feed = new ChangeFeed(h.source);
  await feed.start();
  let resets = 0;
  const heard: string[] = [];
  feed.watch(['/'], { changes: (cs) => heard.push(...cs.map((c) => c.key)), reset: () => resets++ });
  h.add('put', '/missed-1');
  h.add('put', '/missed-2');
  h.add('put', '/kept');
  h.prune(2);
  feed.poke();
  await settle();
  assert.equal(resets, 1, 'told to reload');
  h.add('put', '/after');
  feed.poke();
  await settle();
  assert.deepEqual(heard, ['/after'], 'what the reload covered is not told again; what came after is');
});
