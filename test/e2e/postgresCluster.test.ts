/**
 * A cluster whose state lives in PostgreSQL (teleport.storage), as when
 * several auth/proxy instances share one cluster: users and CAs written by
 * one process are there for the next one; and /readyz says when the
 * database has gone away.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPostgres } from '../helpers/postgres.js';
import { startCluster, addUser, userEnv, tshLogin, type TestCluster } from '../helpers/cluster.js';
import { runBin } from '../helpers/binaries.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { eventually } from '../helpers/longRunning.js';

let pg: Awaited<ReturnType<typeof startPostgres>>;
let cluster: TestCluster;
let user: Awaited<ReturnType<typeof userEnv>>;

before(async () => {
  pg = await startPostgres();
  cluster = await startCluster({ storage: { type: 'postgresql', conn_string: pg.connectionString }, teleportYaml: '  diag_addr: 127.0.0.1:0\n' });
  user = await userEnv();
});
after(async () => {
  await cluster?.close();
  await pg?.stop();
  await user?.cleanup();
});

test('state in PostgreSQL survives a restart and serves a second process', async () => {
  await addUser(cluster, 'pat', ['access', 'editor'], 'correct horse battery staple');
  const pin = async () => /^CA pin\s+(\S+)$/m.exec((await cluster.tctl(['status'])).stdout)?.[1];
  const before = await pin();
  await cluster.restart();
  assert.equal(await pin(), before, 'same cluster, same CA');
  const login = await tshLogin(user.env, cluster.proxyAddr, 'pat', 'correct horse battery staple');
  assert.equal(login.code, 0, login.stderr);
  const users = await runBin('tctl', ['users', 'ls', '-f', 'json'], { env: user.env });
  assert.deepEqual(JSON.parse(users.stdout).map((u: { name: string }) => u.name), ['pat']);
});

test('/readyz: ready while PostgreSQL answers, 503 naming the backend once it is gone', async () => {
  const diag = JSON.parse(await readFile(join(cluster.dataDir, 'process.json'), 'utf8')).diag_addr;
  const readyz = async () => {
    const r = await fetch(`http://${diag}/readyz`);
    return { status: r.status, body: (await r.json()) as { status: string } };
  };
  assert.deepEqual(await readyz(), { status: 200, body: { status: 'ok' } });
  await pg.stop();
  const down = await eventually('/readyz reports the backend', async () => {
    const r = await readyz();
    return r.status === 503 ? r : undefined;
  });
  assert.match(down.body.status, /^auth service: the storage backend is unreachable \(.+\)$/);
  assert.equal((await fetch(`http://${diag}/healthz`)).status, 200, 'the process is alive');
  const metrics = await (await fetch(`http://${diag}/metrics`)).text();
  assert.match(metrics, /^tsh_aws_backend_errors_total\{operation="get"\} [1-9]\d*$/m);
});
