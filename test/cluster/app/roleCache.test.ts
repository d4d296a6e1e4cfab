/**
 * The app service's copies of roles: kept until told of a change, and still
 * used while the cluster says its database is unavailable (nobody can
 * change a role then), but never past a change it was told of.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RoleCache } from '../../../src/cluster/app/roleCache.js';
import { TshError } from '../../../src/shared/errors.js';
import type { Role } from '../../../src/shared/resources/types.js';

const role = (name: string, arn: string): Role => ({ kind: 'role', version: 'v5', metadata: { name }, spec: { allow: { aws_role_arns: [arn] } } });

function cluster() {
  const state = { calls: 0, fail: undefined as TshError | undefined, arn: 'arn:aws:iam::1:role/A', now: 1_000_000 };
  const fetch = async (names: string[]) => {
    state.calls++;
    if (state.fail) throw state.fail;
    return names.map((n) => role(n, state.arn));
  };
  return { state, cache: new RoleCache(fetch, () => state.now) };
}

test('asked once, then kept; a change told about the role makes the next look ask again', async () => {
  const { state, cache } = cluster();
  const first = cache.get(['dev']);
  assert.equal(cache.get(['dev']), first, 'the same copy');
  await first;
  state.arn = 'arn:aws:iam::1:role/B';
  cache.changed(['ops']);
  assert.equal(cache.get(['dev']), first, 'a change to another role keeps it');
  cache.changed(['dev']);
  assert.deepEqual((await cache.get(['dev']))[0].spec.allow?.aws_role_arns, ['arn:aws:iam::1:role/B']);
  assert.equal(state.calls, 2);
});

test('a failed look is not kept; the database unavailable keeps serving the copy held, a change told still drops it', async () => {
  const { state, cache } = cluster();
  state.fail = new TshError('INTERNAL', 'boom');
  await assert.rejects(cache.get(['dev']));
  state.fail = undefined;
  await cache.get(['dev']);
  state.now += 61_000; // past its time, while the database is away
  state.fail = new TshError('UNAVAILABLE', "the cluster's database is unavailable");
  assert.deepEqual((await cache.get(['dev']))[0].metadata.name, 'dev', 'served from the copy');
  state.now += 61_000;
  assert.equal((await cache.get(['dev']))[0].metadata.name, 'dev', 'still, a minute on: the copy the cluster last gave');
  state.now += 200_000;
  await assert.rejects(cache.get(['dev']), (e: unknown) => e instanceof TshError && e.code === 'UNAVAILABLE', 'but not for ever');
  cache.changed(undefined);
  await assert.rejects(cache.get(['dev']), (e: unknown) => e instanceof TshError && e.code === 'UNAVAILABLE', 'told stale: not served');
});
