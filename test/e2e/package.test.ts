/**
 * The npm package as someone installs it: `npm pack` from this checkout,
 * `npm install -g` of the tarball into an empty prefix (native modules built
 * against the local Node headers, packages from the npm cache), then the
 * installed `tsh`, `tctl` and `teleport` run from a directory outside the
 * checkout: versions, a cluster started from the installed copy and a login
 * to it; and the sandbox saying how to add dynalite when it is missing.
 * (Slow: better-sqlite3 compiles from source, about a minute and a half.)
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, runProgram } from '../helpers/binaries.js';
import { webApi } from '../helpers/cluster.js';
import { eventually, startLongRunning, type LongRunning } from '../helpers/longRunning.js';

let work: string;
let prefix: string;
let tarball: string;
let cluster: LongRunning | undefined;
const pkg = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8'));

/** The environment of someone who installed the package: its bin first, nothing of the checkout. */
const userEnv = () => ({ PATH: `${join(prefix, 'bin')}:/usr/bin:/bin`, HOME: join(work, 'home'), LANG: 'C.UTF-8', NO_COLOR: '1', TSH_SECRET_STORE: 'file' });
const installed = (program: string, args: string[], input?: string) => runProgram(join(prefix, 'bin', program), args, { env: userEnv(), cwd: join(work, 'elsewhere'), input });

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'tsh-package-'));
  prefix = join(work, 'prefix');
  await mkdir(join(work, 'elsewhere'));
  await mkdir(join(work, 'home'));
});

after(async () => {
  await cluster?.stop();
  await rm(work, { recursive: true, force: true });
});

test('npm pack: what bin/ needs, and nothing of the tests, benchmarks, CI or sources', async () => {
  // `npm test` built dist/ already; prepack would build it again under the tests running beside this one.
  const r = await runProgram('npm', ['pack', '--ignore-scripts', '--pack-destination', work], { env: { ...process.env }, cwd: repoRoot, timeoutMs: 120_000 });
  assert.equal(r.code, 0, r.stderr);
  tarball = join(work, `${pkg.name}-${pkg.version}.tgz`);
  const list = (await runProgram('tar', ['tzf', tarball], { env: process.env })).stdout.trim().split('\n').map((f) => f.replace(/^package\//, ''));
  for (const f of ['bin/tsh', 'bin/tctl', 'bin/teleport', 'bin/package.json', 'dist/tsh.js', 'dist/tsh-fast.cjs', 'dist/tctl.js', 'dist/teleport.js', 'completions/tsh.bash', 'completions/tsh.ps1', 'README.md', 'package.json']) {
    assert.ok(list.includes(f), `the package has ${f}`);
  }
  const stray = list.filter((f) => /^(test|bench|\.ci|src|scripts|node_modules)\//.test(f) || f.endsWith('.map') || f === 'dist/demo.js');
  assert.deepEqual(stray, []);
  assert.equal(pkg.scripts.prepack, 'npm run build', 'npm pack builds dist/ first');
});

test('npm install -g of the tarball gives working tsh, tctl and teleport, outside the checkout', { timeout: 600_000 }, async () => {
  // With --prefix, npm reads its global config from PREFIX/etc/npmrc: point it at the machine's own (its cafile, its registry), as an install without --prefix would read it.
  const globalconfig = (await runProgram('npm', ['config', 'get', 'globalconfig'], { env: process.env, cwd: join(work, 'elsewhere') })).stdout.trim();
  const npmEnv = { PATH: process.env.PATH, HOME: process.env.HOME, npm_config_nodedir: '/usr', npm_config_update_notifier: 'false', npm_config_globalconfig: globalconfig };
  const r = await runProgram('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball], { env: npmEnv, cwd: join(work, 'elsewhere'), timeoutMs: 540_000 });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const modules = join(prefix, 'lib', 'node_modules', pkg.name, 'node_modules');
  for (const dev of ['typescript', 'esbuild', 'tsx', '@aws-sdk/client-dynamodb', 'commander', 'node-forge']) assert.ok(!existsSync(join(modules, dev)), `${dev} is not installed (dev dependency or bundled)`);

  const version = await installed('tsh', ['version']);
  assert.equal(version.code, 0, version.stderr);
  assert.equal(version.stdout, `tsh-aws tsh v${pkg.version} node/${process.version}\n`);
  const teleportVersion = await installed('teleport', ['version', '-f', 'json']);
  assert.deepEqual(JSON.parse(teleportVersion.stdout), { product: 'tsh-aws', program: 'teleport', version: pkg.version, runtime: `node/${process.version}` });
  assert.equal((await installed('tctl', ['version'])).stdout, `tsh-aws tctl v${pkg.version} node/${process.version}\n`);
});

test('a cluster started from the installed copy, and a login to it with the installed tsh', { timeout: 120_000 }, async () => {
  const dataDir = join(work, 'data');
  const config = join(work, 'teleport.yaml');
  const written = await installed('teleport', ['configure', '--cluster-name', 'pkg.example.com', '--web-listen-addr', '127.0.0.1:0', '--auth-listen-addr', '127.0.0.1:0', '--second-factor', 'off', '--data-dir', dataDir, '--output', config]);
  assert.equal(written.code, 0, written.stderr);
  cluster = startLongRunning('teleport', ['start', '-c', config], userEnv(), { command: join(prefix, 'bin', 'teleport'), cwd: join(work, 'elsewhere') });
  const info = await eventually('the installed teleport starts', async () => JSON.parse(await readFile(join(dataDir, 'process.json'), 'utf8')));
  const added = await installed('tctl', ['-c', config, 'users', 'add', 'alice', '--roles=access', '--format', 'json']);
  assert.equal(added.code, 0, added.stderr);
  const token = JSON.parse(added.stdout).invite_url.split('/').pop();
  const set = await webApi(info.web_addr, 'PUT', '/v1/webapi/users/password/token', { token, password: 'package-password-1' });
  assert.equal(set.status, 200, JSON.stringify(set.body));
  const login = await installed('tsh', ['login', `--proxy=${info.web_addr}`, '--user=alice', '--insecure'], 'package-password-1\n');
  assert.equal(login.code, 0, login.stderr);
  const status = JSON.parse((await installed('tsh', ['status', '-f', 'json'])).stdout);
  assert.equal(status.active.username, 'alice');
  assert.equal(status.active.cluster, 'pkg.example.com');
});

test('without dynalite (an optional dependency), teleport sandbox says how to add it', async () => {
  await rm(join(prefix, 'lib', 'node_modules', pkg.name, 'node_modules', 'dynalite'), { recursive: true, force: true });
  const r = await installed('teleport', ['sandbox']);
  assert.equal(r.code, 127, r.stderr);
  assert.match(r.stderr, /^ERROR: the sandbox's DynamoDB needs the npm package dynalite, which is not installed\nHint: install it next to tsh-aws: `npm install -g dynalite`/);
});
