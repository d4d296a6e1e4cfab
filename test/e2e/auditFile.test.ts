/**
 * The audit log's JSON lines file (data_dir/log/events.jsonl, what a SIEM
 * tails) when appends to it fail: logins go on, the events are in the
 * cluster, teleport says what is wrong once, and the file gets the lines
 * it missed as soon as it takes appends again.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { startCluster, addUser, userEnv, tshLogin, type TestCluster } from '../helpers/cluster.js';

const password = 'correct horse battery staple';
let cluster: TestCluster;
let alice: Awaited<ReturnType<typeof userEnv>>;

before(async () => {
  cluster = await startCluster();
  await addUser(cluster, 'alice', ['access'], password);
  alice = await userEnv();
});

after(async () => {
  await cluster?.close();
  await alice?.cleanup();
});

test('while events.jsonl cannot be appended to, logins work and are audited; the file catches up once it can', async () => {
  const file = join(cluster.dataDir, 'log', 'events.jsonl');
  const logins = async () => (await readFile(file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l)).filter((e) => e.event === 'user.login' && e.user === 'alice');
  await rm(file, { force: true });
  await mkdir(file); // appends now fail (EISDIR), as on a broken disk
  for (let i = 0; i < 2; i++) {
    const login = await tshLogin(alice.env, cluster.proxyAddr, 'alice', password);
    assert.equal(login.code, 0, login.stderr);
  }
  const said = cluster.logs().match(/cannot append audit events to \S+events\.jsonl: EISDIR[^\n]*/g) ?? [];
  assert.equal(said.length, 1, `teleport says it once: ${cluster.logs()}`);
  assert.match(said[0], /they are stored in the cluster \(tctl audit events\)/);
  const stored = JSON.parse((await cluster.tctl(['audit', 'events', '--type', 'user.login', '-f', 'json'])).stdout).filter((e: { user: string }) => e.user === 'alice');
  assert.equal(stored.length, 2, 'both logins are in the cluster');

  await rm(file, { recursive: true });
  const third = await tshLogin(alice.env, cluster.proxyAddr, 'alice', password);
  assert.equal(third.code, 0, third.stderr);
  const lines = await logins();
  assert.equal(lines.length, 3, 'the two held back and the new one');
  assert.deepEqual(lines.map((e) => e.uid).slice(0, 2), stored.map((e: { uid: string }) => e.uid), 'in order, each once');
});
