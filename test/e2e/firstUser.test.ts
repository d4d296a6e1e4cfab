/**
 * The rough edges a first user hit, each as they hit it: a port that is not a
 * number, a TELEPORT_HOME they cannot write (caught before the cluster counts
 * a login), `tsh logout` when the proxy is down (it says so, keeps
 * everything, and `--force` drops the local state), and an AWS region when
 * they have never configured one.
 */
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmod, mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { startCluster, addUser, userEnv, tshLogin, type TestCluster } from '../helpers/cluster.js';
import { binPath, runBin, type RunResult } from '../helpers/binaries.js';
import { startLongRunning } from '../helpers/longRunning.js';

const ROLE = 'arn:aws:iam::123456789012:role/ExampleTeleportDynamoDBRole';
const PASSWORD = 'first-user-password-1';
let cluster: TestCluster;

before(async () => {
  // An app service in the cluster's own process: app logins without an AWS behind them.
  cluster = await startCluster({ extraYaml: 'app_service:\n  enabled: yes\n  apps:\n  - name: aws\n    uri: https://console.aws.amazon.com/home/home\n' });
  await addUser(cluster, 'alice', ['access'], PASSWORD, { awsRoleArns: [ROLE] });
  await addUser(cluster, 'nora', ['access'], PASSWORD, { awsRoleArns: [ROLE] });
});

after(async () => {
  await cluster?.close();
});

/** Runs a program as another user (root runs tests here, and root may write anywhere). */
function runAs(uid: number, args: string[], env: Record<string, string>, input: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binPath('tsh'), ...args], { env, uid, gid: uid, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('bad input names the flag', () => {
  test('`tsh proxy aws -p notaport`, `tsh login --ttl soon`: usage errors naming the flag, exit 2', async () => {
    const env = (await userEnv()).env;
    for (const [args, flag] of [
      [['proxy', 'aws', '-p', 'notaport'], "option '-p, --port <port>' argument 'notaport' is invalid. The port must be a whole number from 0 to 65535."],
      [['proxy', 'aws', '--port', '70000'], "option '-p, --port <port>' argument '70000' is invalid."],
      [['login', '--ttl', 'soon'], "option '--ttl <minutes>' argument 'soon' is invalid."],
    ] as const) {
      const r = await runBin('tsh', [...args], { env });
      assert.equal(r.code, 2, r.stderr);
      assert.ok(r.stderr.startsWith(`ERROR: ${flag}`), r.stderr);
    }
  });
});

describe('an unwritable TELEPORT_HOME', () => {
  test('is refused before the cluster sees a login, naming the directory', async () => {
    const u = await userEnv();
    try {
      const home = join(u.home, 'readonly-tsh');
      await mkdir(home, { mode: 0o755 });
      const env = { ...u.env, TELEPORT_HOME: home };
      const args = ['login', `--proxy=${cluster.proxyAddr}`, '--user=nora', '--insecure'];
      let r: RunResult;
      if (process.getuid?.() === 0) {
        await chmod(u.home, 0o755); // nobody may reach the directory, not write in it
        r = await runAs(65534, args, { ...env, HOME: '/tmp' }, `${PASSWORD}\n`);
      } else {
        await chmod(home, 0o555);
        r = await runBin('tsh', args, { env, input: `${PASSWORD}\n` });
      }
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`^ERROR: cannot write to TELEPORT_HOME ${home} \\(EACCES\\)\\nHint: .*set TELEPORT_HOME to one you can write`, 'm'));
      assert.doesNotMatch(r.stderr, /password/i, 'it stopped before asking for the password');
      assert.deepEqual(await readdir(home), []);
      const audit = JSON.parse((await cluster.tctl(['audit', 'events', '--since', '10m', '-f', 'json'])).stdout) as any[];
      assert.deepEqual(audit.filter((e) => e.user === 'nora' && e.event.startsWith('user.login')), [], 'no login (and no failed one) reached the cluster');
      // The same user, the same password, a home they can write: the login was not spent.
      const ok = await tshLogin(u.env, cluster.proxyAddr, 'nora', PASSWORD);
      assert.equal(ok.code, 0, ok.stderr);
    } finally {
      await u.cleanup();
    }
  });
});

describe('tsh logout with the proxy unreachable', () => {
  test('says the app sessions could not be ended and keeps everything; --force drops the local state', async () => {
    const u = await userEnv();
    try {
      assert.equal((await tshLogin(u.env, cluster.proxyAddr, 'alice', PASSWORD)).code, 0);
      assert.equal((await runBin('tsh', ['apps', 'login', 'aws'], { env: u.env })).code, 0);
      await cluster.stop();
      const refused = await runBin('tsh', ['logout'], { env: u.env });
      assert.equal(refused.code, 1, refused.stderr);
      assert.match(refused.stderr, /^ERROR: could not end the app sessions of alice@127\.0\.0\.1 \(aws\) on the cluster: /m);
      assert.match(refused.stderr, /^Hint: nothing was removed: run `tsh logout` again when 127\.0\.0\.1:\d+ is reachable, or `tsh logout --force`/m);
      const still = JSON.parse((await runBin('tsh', ['status', '-f', 'json'], { env: u.env })).stdout);
      assert.deepEqual(still.active.apps.map((a: any) => a.name), ['aws'], 'the login and app login are kept');
      const forced = await runBin('tsh', ['logout', '--force'], { env: u.env });
      assert.equal(forced.code, 0, forced.stderr);
      assert.match(forced.stderr, /^WARNING: the app sessions of alice@127\.0\.0\.1 were not ended on the cluster \(.+\); they stay valid until \S+$/m);
      assert.match(forced.stdout, /^Logged out alice from 127\.0\.0\.1:\d+\.$/m);
      const gone = await runBin('tsh', ['status'], { env: u.env });
      assert.match(gone.stderr, /Not logged in/);
      const keys = await readdir(join(u.env.TELEPORT_HOME, 'keys', '127.0.0.1'));
      assert.deepEqual(keys, ['cas'], 'only the cluster CA is left (kept across logouts)');
    } finally {
      await cluster.restart();
      await u.cleanup();
    }
  });
});

describe('no AWS region configured anywhere', () => {
  test('the proxy hands its clients us-east-1, in the printed settings and to `tsh aws`, and says so', async () => {
    const u = await userEnv({ AWS_CONFIG_FILE: '/nonexistent/config' });
    try {
      assert.equal((await tshLogin(u.env, cluster.proxyAddr, 'alice', PASSWORD)).code, 0);
      assert.equal((await runBin('tsh', ['apps', 'login', 'aws'], { env: u.env })).code, 0);
      const proxy = startLongRunning('tsh', ['proxy', 'aws', '-f', 'json'], u.env);
      try {
        await proxy.waitFor(/"pid"/);
        const settings = JSON.parse(proxy.stdout());
        assert.equal(settings.AWS_REGION, 'us-east-1');
        assert.match(proxy.stderr(), /^WARNING: no AWS region is set \(AWS_REGION, or region in ~\/\.aws\/config\): using us-east-1$/m);
      } finally {
        await proxy.stop();
      }
      const region = await runBin('tsh', ['aws', '--exec', 'printenv', 'AWS_REGION'], { env: u.env });
      assert.equal(region.code, 0, region.stderr);
      assert.equal(region.stdout, 'us-east-1\n');
      // A region of their own is left alone, and nothing is said.
      const theirs = await runBin('tsh', ['aws', '--exec', 'printenv', 'AWS_REGION'], { env: { ...u.env, AWS_REGION: 'eu-west-1' } });
      assert.equal(theirs.stdout, 'eu-west-1\n');
      assert.doesNotMatch(theirs.stderr, /region/);
      assert.equal((await stat(u.env.TELEPORT_HOME)).isDirectory(), true);
    } finally {
      await u.cleanup();
    }
  });
});
