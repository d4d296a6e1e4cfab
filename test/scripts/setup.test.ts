/**
 * scripts/setup.sh, run for real with stand-ins only for what would change
 * the machine or need a registry (sudo, apt-get, npm) and for what a case
 * needs to differ (node's version, whether packages are installed, the user
 * id). The stand-ins record every call, so each case checks what the script
 * did: stopped with a clear message, installed exactly these packages, or
 * ran neither sudo nor apt-get.
 */
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, runProgram } from '../helpers/binaries.js';

const demoPackages = ['awscli', 'python3-boto3', 'python3', 'make', 'g++'];
let dir: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'setup-test-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

interface Machine {
  /** What `node --version` prints; undefined: no node on PATH. */
  node?: string;
  npm?: boolean;
  /** 'all', 'none', or 'real' (this machine's dpkg-query). */
  installed: 'all' | 'none' | 'real';
  uid: number;
}

/** Runs setup.sh on a PATH of stand-ins; returns its result and the calls they recorded. */
async function setup(m: Machine, args: string[] = []) {
  const bin = mkdtempSync(join(dir, 'bin-'));
  const log = join(bin, 'calls.log');
  const stub = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/bin/bash\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  const record = (name: string) => stub(name, `echo "${name} $*" >> ${log}`);
  if (m.node) stub('node', `echo ${m.node}`);
  if (m.npm !== false) record('npm');
  record('apt-get');
  stub('sudo', `echo "sudo $*" >> ${log}\nexec "$@"`);
  stub('id', `echo ${m.uid}`);
  symlinkSync('/usr/bin/env', join(bin, 'env'));
  if (m.installed === 'real') symlinkSync('/usr/bin/dpkg-query', join(bin, 'dpkg-query'));
  else stub('dpkg-query', m.installed === 'all' ? 'printf "install ok installed"' : 'exit 1');
  const r = await runProgram('/bin/bash', [join(repoRoot, 'scripts', 'setup.sh'), ...args], { env: { PATH: bin, HOME: dir }, timeoutMs: 60_000 });
  const calls = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
  return { ...r, calls };
}

describe('scripts/setup.sh: Node and npm first', () => {
  test("Debian 12's own Node 18: it stops and names what to install, before touching anything", async () => {
    const r = await setup({ node: 'v18.19.0', installed: 'none', uid: 1000 });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^setup: Node\.js v18\.19\.0 is too old\.\nsetup: tsh-aws needs Node\.js 20 or newer, with npm\. Debian 12's own nodejs package is 18/);
    assert.match(r.stderr, /NodeSource/);
    assert.deepEqual(r.calls, []);
  });

  test('no node, or no npm: it says which', async () => {
    const noNode = await setup({ installed: 'all', uid: 1000 });
    assert.equal(noNode.code, 1);
    assert.match(noNode.stderr, /^setup: node is not on PATH\./);
    const noNpm = await setup({ node: 'v20.20.2', npm: false, installed: 'all', uid: 1000 });
    assert.equal(noNpm.code, 1);
    assert.match(noNpm.stderr, /^setup: npm is not on PATH \(Node\.js v20\.20\.2 is\)\./);
    assert.deepEqual([...noNode.calls, ...noNpm.calls], []);
  });
});

describe('scripts/setup.sh: Debian packages', () => {
  test('on this machine, where every package is installed: no sudo, no apt-get, only npm ci (as a user who is not root)', async () => {
    const r = await setup({ node: 'v20.20.2', installed: 'real', uid: 1000 });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.deepEqual(r.calls, ['npm ci --no-audit --no-fund']);
  });

  test('--demo installs only what the demo needs, with sudo when not root', async () => {
    const r = await setup({ node: 'v22.1.0', installed: 'none', uid: 1000 }, ['--demo']);
    assert.equal(r.code, 0, r.stderr);
    const apt = `apt-get install -y -q --no-install-recommends ${demoPackages.join(' ')}`;
    assert.deepEqual(r.calls, [
      'sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q',
      'apt-get update -q',
      `sudo env DEBIAN_FRONTEND=noninteractive ${apt}`,
      apt,
      'npm ci --no-audit --no-fund',
    ]);
    assert.ok(r.stdout.includes(`setup: installing ${demoPackages.join(' ')}\n`));
  });

  test('the default installs what the tests need (HAProxy, Go and its AWS SDK, systemd too), as root without sudo', async () => {
    const r = await setup({ node: 'v20.20.2', installed: 'none', uid: 0 });
    assert.equal(r.code, 0, r.stderr);
    const install = r.calls.find((c) => c.startsWith('apt-get install'))!;
    const listed = install.replace('apt-get install -y -q --no-install-recommends ', '').split(' ');
    for (const p of [...demoPackages, 'haproxy', 'golang-go', 'golang-github-aws-aws-sdk-go-v2-dev', 'systemd', 'gnome-keyring', 'postgresql', 'chromium']) assert.ok(listed.includes(p), `installs ${p}`);
    assert.deepEqual(r.calls, ['apt-get update -q', install, 'npm ci --no-audit --no-fund']);
  });

  test('an unknown option is refused', async () => {
    const r = await setup({ node: 'v20.20.2', installed: 'all', uid: 0 }, ['--everything']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown option "--everything"/);
    assert.deepEqual(r.calls, []);
  });
});
