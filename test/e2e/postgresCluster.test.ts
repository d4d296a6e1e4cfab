/**
 * A cluster whose state lives in PostgreSQL (teleport.storage), as when
 * several auth/proxy instances share one cluster: users and CAs written by
 * one process are there for the next one.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPostgres } from '../helpers/postgres.js';
import { startCluster, addUser, userEnv, tshLogin, type TestCluster } from '../helpers/cluster.js';
import { runBin } from '../helpers/binaries.js';

let pg: Awaited<ReturnType<typeof startPostgres>>;
let cluster: TestCluster;
let user: Awaited<ReturnType<typeof userEnv>>;

before(async () => {
  pg = await startPostgres();
  cluster = await startCluster({ storage: { type: 'postgresql', conn_string: pg.connectionString } });
  user = await userEnv();
});
after(async () => {
  await cluster?.close();
  await pg?.stop();
  await user?.cleanup();
});

test('state in PostgreSQL survives a restart and serves a second process', async () => {
  await addUser(cluster, 'pat', ['access', 'editor'], 'correct horse battery staple');
  const pin = (await cluster.tctl(['status'])).stdout;
  await cluster.restart();
  assert.equal((await cluster.tctl(['status'])).stdout, pin, 'same cluster, same CA');
  const login = await tshLogin(user.env, cluster.proxyAddr, 'pat', 'correct horse battery staple');
  assert.equal(login.code, 0, login.stderr);
  const users = await runBin('tctl', ['users', 'ls', '-f', 'json'], { env: user.env });
  assert.deepEqual(JSON.parse(users.stdout).map((u: { name: string }) => u.name), ['pat']);
});
