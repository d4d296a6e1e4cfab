/**
 * The documented HA deployment, with real processes: PostgreSQL, HAProxy on
 * loopback with the README's haproxy.cfg, two auth+proxy instances sharing
 * the database, two app services serving `aws` (each with a tunnel to both
 * proxies, found through HAProxy). A user logs in and into the app through
 * the load balancer once; a running `tsh proxy aws` then keeps serving
 * while proxy A is SIGKILLed, one app service is SIGKILLed, and PostgreSQL
 * is restarted. Writes carry unique ids and are counted in the sandbox at
 * the end. Recovery times are measured and printed as diagnostics; the
 * assertions use generous deadlines so a busy machine cannot break them.
 */
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DynamoDBClient, PutItemCommand, ScanCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import type { TestPostgres } from '../helpers/postgres.js';
import { addUser, userEnv, tshLogin, webApi, type TestCluster } from '../helpers/cluster.js';
import type { TestAppService } from '../helpers/appService.js';
import type { TestHaproxy } from '../helpers/haproxy.js';
import { startHaCluster, tunnelsToBoth, hostId, type HaCluster } from '../helpers/haCluster.js';
import { appCertAgent, readAppCredentials } from '../helpers/appClient.js';
import { repoRoot, runBin, type RunResult } from '../helpers/binaries.js';
import { startTshProxy, dynamoDbThrough, type TshProxy } from '../helpers/tshProxy.js';
import { eventually } from '../helpers/eventually.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const ROLE = 'arn:aws:iam::123456789012:role/ExampleTeleportDynamoDBRole';
const TABLE = 'ha-writes';
const password = 'correct horse battery staple';

let sandbox: Sandbox;
let ha: HaCluster;
let pg: TestPostgres;
let a: TestCluster;
let b: TestCluster;
let lb: TestHaproxy;
let agents: TestAppService[] = [];
let alice: Awaited<ReturnType<typeof userEnv>>;
let env: Record<string, string>;
let proxy: TshProxy;
/** Every write acknowledged to a client, and every write a client gave up on. */
const acknowledged = new Set<string>();
const givenUp = new Set<string>();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ok = (r: RunResult) => {
  assert.equal(r.code, 0, `exit ${r.code}: ${r.stderr}`);
  return r.stdout;
};
const json = (r: RunResult) => JSON.parse(ok(r));
const diagAddr = async (c: TestCluster) => JSON.parse(await readFile(join(c.dataDir, 'process.json'), 'utf8')).diag_addr as string;

/**
 * Clients writing unique ids through `tsh proxy aws` until stopped, each
 * with an SDK that retries as SDKs do; what they saw is kept for the
 * recovery figures (the end time of every acknowledged write).
 */
function writers(prefix: string, count = 4) {
  let stop = false;
  const done: Array<{ started: number; ended: number }> = [];
  const failures: string[] = [];
  const run = async (n: number) => {
    const ddb = await dynamoDbThrough(proxy, { maxAttempts: 8 });
    for (let i = 0; !stop; i++) {
      const id = `${prefix}-${n}-${i}`;
      const started = Date.now();
      try {
        await ddb.send(new PutItemCommand({ TableName: TABLE, Item: { id: { S: id } } }));
        acknowledged.add(id);
        done.push({ started, ended: Date.now() });
      } catch (err) {
        givenUp.add(id);
        failures.push(`${id}: ${(err as Error).name}: ${(err as Error).message}`);
        await sleep(100);
      }
    }
    ddb.destroy();
  };
  const loops = Array.from({ length: count }, (_, n) => run(n));
  return {
    done,
    failures,
    /** Waits until `n` more writes were acknowledged. */
    more: async (n: number, timeoutMs = 60_000) => {
      const target = done.length + n;
      await eventually(`${n} more acknowledged writes`, () => done.length >= target, { timeoutMs });
    },
    /** ms from `at` until the first write started after it was acknowledged. */
    servedAgainAfter: (at: number) => Math.min(...done.filter((d) => d.started >= at).map((d) => d.ended)) - at,
    /** The longest time without an acknowledged write, from `at` on. */
    longestGapAfter: (at: number) => {
      const ends = [at, ...done.map((d) => d.ended).filter((t) => t >= at).sort((x, y) => x - y)];
      return Math.max(...ends.slice(1).map((t, i) => t - ends[i]));
    },
    stop: async () => {
      stop = true;
      await Promise.all(loops);
    },
  };
}

/** Audit events of AWS requests, as `tctl audit events` reads them from every instance. */
async function requestEvents(): Promise<Array<{ server_id: string; proxy_id: string; sid: string; target: string }>> {
  return json(await a.tctl(['audit', 'events', '--since', '1h', '--type', 'app.session.dynamodb.request', '-f', 'json']));
}

before(async () => {
  sandbox = await startSandbox({ roles: [{ name: 'ExampleTeleportDynamoDBRole' }], tables: [{ name: TABLE }] });
  ha = await startHaCluster({ sandbox, agents: 2, clusterName: 'ha.example.com' });
  ({ pg, a, b, lb, agents } = ha);
  await addUser(a, 'alice', ['access'], password, { awsRoleArns: [ROLE] });
  alice = await userEnv();
  env = alice.env;
  ok(await tshLogin(env, lb.addr, 'alice', password));
  ok(await runBin('tsh', ['apps', 'login', '--aws-role', 'ExampleTeleportDynamoDBRole', 'aws'], { env }));
  proxy = await startTshProxy(env);
});

after(async () => {
  // Every process's log, for whoever reads a failure (test-output/ is not committed).
  const out = join(repoRoot, 'test-output', 'high-availability');
  await mkdir(out, { recursive: true });
  const logs: Array<[string, string | undefined]> = [['proxy-a', a?.logs()], ['proxy-b', b?.logs()], ['haproxy', lb?.logs()], ['tsh-proxy-aws', proxy?.stderr()], ...agents.map((x, i): [string, string] => [`app-service-${i + 1}`, x.logs()])];
  for (const [name, text] of logs) if (text !== undefined) await writeFile(join(out, `${name}.log`), text);
  await proxy?.stop();
  await ha?.close();
  await sandbox?.close();
  await alice?.cleanup();
});

describe('two auth+proxy instances on PostgreSQL behind HAProxy, two app services', () => {
  test('both instances share the CAs and list both proxies; each proxy is ready and says so on its web port', async () => {
    const cas = await Promise.all([a, b].map(async (c) => (await webApi(c.proxyAddr, 'GET', '/v1/webapi/cas')).body));
    assert.deepEqual(cas[0], cas[1], 'one set of CAs');
    const listed = json(await b.tctl(['proxies', 'ls', '-f', 'json'])) as Array<{ id: string; addr: string; public_addr: string }>;
    assert.deepEqual(listed.map((p) => p.id).sort(), [await hostId(a), await hostId(b)].sort());
    assert.deepEqual([...new Set(listed.map((p) => p.public_addr))], [lb.addr], 'both advertise the load balancer');
    assert.deepEqual(listed.map((p) => p.addr).sort(), [a.proxyAddr, b.proxyAddr].sort(), 'and their own addresses');
    assert.match(ok(await a.tctl(['status'])), /^Proxies  \S+ 127\.0\.0\.1:\d+ \([0-9a-f-]{36}\)\n {9}\S+ 127\.0\.0\.1:\d+ \([0-9a-f-]{36}\)\n$/m);
    for (const c of [a, b]) assert.deepEqual(await webApi(c.proxyAddr, 'GET', '/readyz'), { status: 200, body: { status: 'ok' } });
    const apps = json(await b.tctl(['apps', 'ls', '-f', 'json'])) as Array<{ spec: { host_id: string } }>;
    assert.equal(apps.length, 2, 'two app services serve aws');
  });

  test('a user created through A logs in through B at once', async () => {
    const r = ok(await a.tctl(['users', 'add', 'bob', '--roles=access', '--format', 'json']));
    const token = JSON.parse(r).invite_url.split('/').pop();
    const set = await webApi(b.proxyAddr, 'PUT', '/v1/webapi/users/password/token', { token, password });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    const bob = await userEnv();
    try {
      ok(await tshLogin(bob.env, b.proxyAddr, 'bob', password));
      assert.equal(json(await runBin('tsh', ['status', '-f', 'json'], { env: bob.env })).active.username, 'bob');
    } finally {
      await bob.cleanup();
    }
  });

  test('1,000 requests spread over both app services and both proxies', async (t) => {
    const before = (await requestEvents()).length;
    const clients = await Promise.all(Array.from({ length: 16 }, () => dynamoDbThrough(proxy, { maxAttempts: 3 })));
    let next = 0;
    await Promise.all(
      clients.map(async (ddb) => {
        while (next < 1000) {
          next++;
          await ddb.send(new ListTablesCommand({}));
        }
        ddb.destroy();
      }),
    );
    const events = (await eventually('the 1,000 requests in the audit log', async () => {
      const all = await requestEvents();
      return all.length - before >= 1000 ? all.slice(before) : undefined;
    }, { timeoutMs: 60_000 })).filter((e) => e.target === 'DynamoDB_20120810.ListTables');
    const share = (key: 'server_id' | 'proxy_id') => {
      const counts = new Map<string, number>();
      for (const e of events) counts.set(e[key], (counts.get(e[key]) ?? 0) + 1);
      return [...counts.values()].map((n) => n / events.length);
    };
    const byAgent = share('server_id');
    const byProxy = share('proxy_id');
    t.diagnostic(`requests by app service: ${byAgent.map((s) => `${(s * 100).toFixed(1)}%`).join(' / ')}; by proxy: ${byProxy.map((s) => `${(s * 100).toFixed(1)}%`).join(' / ')}`);
    assert.equal(byAgent.length, 2, 'both app services served');
    assert.equal(byProxy.length, 2, 'both proxies relayed');
    for (const s of [...byAgent, ...byProxy]) assert.ok(s >= 0.35, `no side under 35% (${(s * 100).toFixed(1)}%)`);
  });

  test('proxy A SIGKILLed under writes: served again through B with the same login; A rejoins when restarted', async (t) => {
    const w = writers('proxy-kill');
    try {
      await w.more(40);
      const marks = agents.map((agent) => agent.logs().length);
      const killed = Date.now();
      await a.kill();
      await w.more(40);
      const served = w.servedAgainAfter(killed);
      const gap = w.longestGapAfter(killed);
      t.diagnostic(`proxy A killed: the first write started after the kill was acknowledged ${served} ms after it; the longest time without an acknowledged write was ${gap} ms`);
      assert.ok(served < 10_000, `served again within 2 s (measured ${served} ms; asserted under 10 s)`);
      assert.deepEqual(w.failures, [], 'no write given up');
      await a.start();
      await Promise.all(agents.map((agent, i) => tunnelsToBoth(agent, marks[i])));
      await w.more(40);
    } finally {
      await w.stop();
    }
  });

  test('one app service SIGKILLed under writes: the other takes the requests', async (t) => {
    const w = writers('agent-kill');
    try {
      await w.more(40);
      const killed = Date.now();
      await agents[0].kill();
      await w.more(60);
      const served = w.servedAgainAfter(killed);
      t.diagnostic(`app service killed: the first write started after the kill was acknowledged ${served} ms after it; longest gap ${w.longestGapAfter(killed)} ms`);
      assert.ok(served < 10_000, `served by the other app service (measured ${served} ms; asserted under 10 s)`);
      assert.deepEqual(w.failures, [], 'no write given up');
      await eventually('the dead app service to leave the listing', async () => (json(await b.tctl(['apps', 'ls', '-f', 'json'])) as unknown[]).length === 1, { timeoutMs: 30_000 });
    } finally {
      await w.stop();
    }
    const mark = agents[0].logs().length;
    await agents[0].start();
    await tunnelsToBoth(agents[0], mark);
  });

  test('PostgreSQL restarted under writes: new connections get 503s meanwhile, then service resumes by itself', async (t) => {
    const w = writers('pg-restart');
    const creds = await readAppCredentials(env.TELEPORT_HOME, '127.0.0.1', 'alice', 'ha.example.com', 'aws');
    /** A new connection per request, through the load balancer: what a client that was not connected meets. */
    const probe = async () => {
      const ddb = new DynamoDBClient({
        region: 'us-east-1',
        credentials: { accessKeyId: 'ANYKEY', secretAccessKey: 'any' },
        requestHandler: new NodeHttpHandler({ httpsAgent: appCertAgent({ proxyAddr: lb.addr, ...creds }), requestTimeout: 10_000 }),
        maxAttempts: 1,
      });
      try {
        await ddb.send(new ListTablesCommand({}));
        return 200;
      } catch (err) {
        return (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0;
      } finally {
        ddb.destroy();
      }
    };
    try {
      await w.more(40);
      assert.equal(await probe(), 200);
      await pg.stopServer();
      const down = Date.now();
      const refusal = await eventually('a new connection refused while the database is down', async () => {
        const status = await probe();
        return status !== 200 ? status : undefined;
      }, { timeoutMs: 30_000 });
      t.diagnostic(`while PostgreSQL was down a new connection got HTTP ${refusal || 'a closed connection'}`);
      assert.ok(refusal === 503 || refusal === 0, `503 (or the load balancer refusing: every proxy unready), not ${refusal}`);
      const tctl = await b.tctl(['users', 'ls']);
      assert.notEqual(tctl.code, 0);
      assert.match(tctl.stderr, /the cluster's database \(PostgreSQL at 127\.0\.0\.1:\d+\/tshtest\) is unavailable/);
      const diag = await diagAddr(b);
      assert.equal((await fetch(`http://${diag}/readyz`)).status, 503);
      await sleep(Math.max(0, 1_500 - (Date.now() - down)));
      await pg.startServer();
      const up = Date.now();
      await eventually('a new connection served again', async () => (await probe()) === 200, { timeoutMs: 60_000 });
      t.diagnostic(`PostgreSQL back: new connections served again ${Date.now() - up} ms later`);
      await w.more(40);
      t.diagnostic(`writes through the running tsh proxy aws given up after the SDK's retries while the database was away: ${w.failures.length}`);
      for (const f of w.failures) assert.match(f, /ServiceUnavailableException: the cluster's database \(PostgreSQL at .*\) is unavailable/, 'a write given up met a 503 naming the database');
      assert.equal((await fetch(`http://${diag}/readyz`)).status, 200);
      assert.match(b.logs(), /lost the connection to PostgreSQL at 127\.0\.0\.1:\d+\/tshtest .*retrying/);
      await eventually('the return logged', () => /PostgreSQL at 127\.0\.0\.1:\d+\/tshtest is back after \d+\.\d s/.test(b.logs()));
    } finally {
      await w.stop();
    }
  });

  test('no acknowledged write is lost, and the items stored are exactly the acknowledged writes', async (t) => {
    const ddb = await dynamoDbThrough(proxy, { maxAttempts: 3 });
    const stored: string[] = [];
    let start: Record<string, { S: string }> | undefined;
    do {
      const page = await ddb.send(new ScanCommand({ TableName: TABLE, ExclusiveStartKey: start }));
      stored.push(...(page.Items ?? []).map((i) => i.id.S!));
      start = page.LastEvaluatedKey as typeof start;
    } while (start);
    ddb.destroy();
    assert.ok(acknowledged.size >= 300, `writes were made (${acknowledged.size})`);
    const carriedOut = stored.filter((id) => !acknowledged.has(id));
    t.diagnostic(`${acknowledged.size} writes acknowledged, ${givenUp.size} given up, ${stored.length} items stored`);
    assert.deepEqual([...acknowledged].filter((id) => !stored.includes(id)), [], 'every acknowledged write is stored');
    assert.deepEqual(carriedOut.filter((id) => !givenUp.has(id)), [], 'every item is a write a client made');
    assert.equal(stored.length, acknowledged.size + carriedOut.length, 'one item per write: the acknowledged ones, and any given up after it was carried out');
  });

  test('tsh apps logout through proxy B stops the same certificate at proxy A within a second', async (t) => {
    // A second login of alice's, made and logged out through B only, whose app certificate is used at A directly.
    const other = await userEnv();
    try {
      ok(await tshLogin(other.env, b.proxyAddr, 'alice', password));
      ok(await runBin('tsh', ['apps', 'login', '--aws-role', 'ExampleTeleportDynamoDBRole', 'aws'], { env: other.env }));
      const creds = await readAppCredentials(other.env.TELEPORT_HOME, '127.0.0.1', 'alice', 'ha.example.com', 'aws');
      const atA = new DynamoDBClient({
        region: 'us-east-1',
        credentials: { accessKeyId: 'ANYKEY', secretAccessKey: 'any' },
        requestHandler: new NodeHttpHandler({ httpsAgent: appCertAgent({ proxyAddr: a.proxyAddr, ...creds }), requestTimeout: 10_000 }),
        maxAttempts: 1,
      });
      try {
        await atA.send(new ListTablesCommand({}));
        ok(await runBin('tsh', ['apps', 'logout', 'aws'], { env: other.env }));
        const loggedOut = Date.now();
        const refused = await eventually('proxy A to refuse the certificate', async () => {
          try {
            await atA.send(new ListTablesCommand({}));
            return undefined;
          } catch (err) {
            return err as Error & { $metadata?: { httpStatusCode?: number } };
          }
        }, { timeoutMs: 10_000, everyMs: 20 });
        const ms = Date.now() - loggedOut;
        t.diagnostic(`apps logout through B: refused at A ${ms} ms after the logout returned`);
        assert.match(refused.message, /the app session for "aws" has ended/);
        assert.ok(ms < 3_000, `within 1 s (measured ${ms} ms; asserted under 3 s)`);
      } finally {
        atA.destroy();
      }
    } finally {
      await other.cleanup();
    }
  });
});
