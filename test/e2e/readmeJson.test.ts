/**
 * The JSON examples in the README (each after a `<!-- json-shape: COMMAND -->`
 * line) are the shapes scripts are written against: every one is checked here
 * against the program's real output on a real cluster: the same fields at
 * every level, with the same types (values differ). A README example without
 * a check, or a check without its example, fails too.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startCluster, addUser, userEnv, tshLogin, type TestCluster } from '../helpers/cluster.js';
import { repoRoot, runBin, type RunResult } from '../helpers/binaries.js';
import { startLongRunning } from '../helpers/longRunning.js';

let cluster: TestCluster;
let alice: Awaited<ReturnType<typeof userEnv>>;
const tsh = (args: string[]) => runBin('tsh', args, { env: alice.env });

/** How to get each example's live output (one or more outputs that must all have its shape). */
const sources: Record<string, () => Promise<string[]>> = {
  'tsh apps ls -f json': async () => [out(await tsh(['apps', 'ls', '-f', 'json']))],
  'tctl apps ls -f json': async () => [out(await cluster.tctl(['apps', 'ls', '-f', 'json']))],
  'tsh apps config -f json (and tsh apps login -f json)': async () => [out(await tsh(['apps', 'config', '-f', 'json'])), out(await tsh(['apps', 'login', 'aws', '-f', 'json']))],
  'tsh status -f json': async () => [out(await tsh(['status', '-f', 'json']))],
  'tctl status -f json': async () => [out(await cluster.tctl(['status', '-f', 'json']))],
  'tctl proxies ls -f json': async () => [out(await cluster.tctl(['proxies', 'ls', '-f', 'json']))],
  'tsh version -f json (tctl and teleport alike)': async () => Promise.all((['tsh', 'tctl', 'teleport'] as const).map(async (p) => out(await runBin(p, ['version', '-f', 'json'], { env: alice.env })))),
  'tctl users ls -f json': async () => [out(await cluster.tctl(['users', 'ls', '-f', 'json']))],
  'tctl locks ls -f json': async () => {
    const id = /"([0-9a-f-]{36})"/.exec(out(await cluster.tctl(['lock', '--user=mallory', '--message=Suspicious activity.', '--ttl=10h'])))![1];
    try {
      return [out(await cluster.tctl(['locks', 'ls', '-f', 'json']))];
    } finally {
      await cluster.tctl(['rm', `lock/${id}`]);
    }
  },
  'tsh proxy aws -f json': async () => {
    const proxy = startLongRunning('tsh', ['proxy', 'aws', '-f', 'json'], alice.env);
    try {
      await proxy.waitFor(/"pid": \d+\n\}\n/);
      return [proxy.stdout()];
    } finally {
      await proxy.stop();
    }
  },
};

function out(r: RunResult): string {
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

/** The shape of a JSON value: its fields (sorted) and their types, arrays by their first element. */
function shape(v: unknown): unknown {
  if (Array.isArray(v)) return v.length ? [shape(v[0])] : [];
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, shape((v as Record<string, unknown>)[k])]));
  return typeof v;
}

before(async () => {
  cluster = await startCluster({ extraYaml: 'app_service:\n  enabled: yes\n  apps:\n  - name: aws\n    uri: https://console.aws.amazon.com/home/home\n    description: AWS account 123456789012\n    labels:\n      env: dev\n' });
  await addUser(cluster, 'alice', ['access'], 'readme-password-1', { awsRoleArns: ['arn:aws:iam::123456789012:role/ExampleTeleportDynamoDBRole'] });
  alice = await userEnv({ AWS_REGION: 'us-east-1' });
  assert.equal((await tshLogin(alice.env, cluster.proxyAddr, 'alice', 'readme-password-1')).code, 0);
  assert.equal((await tsh(['apps', 'login', 'aws'])).code, 0);
});

after(async () => {
  await cluster?.close();
  await alice?.cleanup();
});

test('every JSON example in the README has the shape of the real output', async () => {
  const readme = await readFile(join(repoRoot, 'README.md'), 'utf8');
  const examples = [...readme.matchAll(/^<!-- json-shape: (.+?) -->\n```json\n([\s\S]*?)\n```$/gm)].map((m) => ({ command: m[1], json: m[2] }));
  assert.deepEqual(examples.map((e) => e.command).sort(), Object.keys(sources).sort(), 'every README example is checked, and every check has its example');
  for (const { command, json } of examples) {
    const expected = shape(JSON.parse(json));
    for (const live of await sources[command]()) assert.deepEqual(shape(JSON.parse(live)), expected, `${command}: the README's example and the output differ in shape\n${live}`);
  }
});
