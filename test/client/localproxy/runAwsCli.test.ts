/**
 * `tsh aws`: the child's environment and arguments, its exit code coming
 * back unchanged (0, 252, 254, 255; a signal as 128+N), signals forwarded,
 * a missing program as exit 127, and the real aws CLI through the proxy in
 * both modes, in-process and as the `tsh` program.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { startFakeAppCluster, makeTestHome, type FakeAppCluster, type TestHome } from '../../helpers/fakeAppCluster.js';
import { runAwsCli, type RunAwsCliOptions } from '../../../src/client/aws/runAwsCli.js';
import { exitCodeFor, TshError } from '../../../src/shared/errors.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

let cluster: FakeAppCluster;
let th: TestHome;
let scratch: string;
let exitScript: string;
let envScript: string;

/** The user's environment as tsh sees it: things the child must not inherit, and what it must. */
const userEnv = {
  PATH: '/usr/bin:/bin',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AWS_MAX_ATTEMPTS: '1',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_PAGER: '',
  AWS_PROFILE: 'personal',
  AWS_DEFAULT_PROFILE: 'personal',
  AWS_SESSION_TOKEN: 'real-token',
  AWS_ACCESS_KEY_ID: 'AKIAREALREALREAL',
  AWS_ENDPOINT_URL: 'https://elsewhere.example.com',
  AWS_ENDPOINT_URL_DYNAMODB: 'https://elsewhere.example.com',
  NO_PROXY: '*.amazonaws.com,corp.example.com',
};

before(async () => {
  cluster = await startFakeAppCluster();
  scratch = await mkdtemp(join(tmpdir(), 'tsh-aws-run-'));
  th = await makeTestHome(cluster, { env: { ...userEnv, HOME: scratch } });
  exitScript = join(scratch, 'exit.sh');
  await writeFile(exitScript, '#!/bin/sh\nexit "$1"\n');
  await chmod(exitScript, 0o755);
  envScript = join(scratch, 'env.sh');
  await writeFile(envScript, `#!/bin/sh\nenv > "${join(scratch, 'child.env')}"\nfor a in "$@"; do printf '%s\\n' "$a"; done > "${join(scratch, 'child.args')}"\n`);
  await chmod(envScript, 0o755);
});

after(async () => {
  await cluster?.close();
  await th?.cleanup();
  await rm(scratch, { recursive: true, force: true });
});

/** Runs with stdout/stderr captured in files. */
async function runCaptured(opts: Omit<RunAwsCliOptions, 'stdio'>): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = join(scratch, 'out.txt');
  const err = join(scratch, 'err.txt');
  const o = openSync(out, 'w');
  const e = openSync(err, 'w');
  try {
    const code = await runAwsCli(th.ce, { ...opts, stdio: ['ignore', o, e] });
    return { code, stdout: await readFile(out, 'utf8'), stderr: await readFile(err, 'utf8') };
  } finally {
    closeSync(o);
    closeSync(e);
  }
}

describe('the child', () => {
  test('gets the fake keys, the CA and the proxy, loses what would override them, and every argument unchanged', async () => {
    const args = ['s3', 'ls', '--region', 'x', 'a b', '$HOME', '--', '-e', ''];
    const r = await runCaptured({ exec: envScript, args });
    assert.equal(r.code, 0);
    const env = Object.fromEntries(
      (await readFile(join(scratch, 'child.env'), 'utf8'))
        .split('\n')
        .filter(Boolean)
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    assert.match(env.AWS_ACCESS_KEY_ID, /^TSH[A-Z2-7]{26}$/);
    assert.ok(env.AWS_SECRET_ACCESS_KEY.length >= 40);
    assert.match(env.AWS_CA_BUNDLE, /aws-localca\.pem$/);
    assert.match(env.HTTPS_PROXY, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(env.https_proxy, env.HTTPS_PROXY);
    for (const gone of ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_DYNAMODB']) assert.equal(env[gone], undefined, gone);
    assert.equal(env.AWS_DEFAULT_REGION, 'us-east-1', 'the user\'s region stays');
    assert.equal(env.NO_PROXY, 'corp.example.com,127.0.0.1,localhost,::1');
    assert.deepEqual((await readFile(join(scratch, 'child.args'), 'utf8')).split('\n').slice(0, -1), args);
  });

  test('--exec in endpoint mode gets AWS_ENDPOINT_URL (and no HTTPS_PROXY)', async () => {
    const r = await runCaptured({ exec: envScript, args: [], endpointUrl: true });
    assert.equal(r.code, 0);
    const env = await readFile(join(scratch, 'child.env'), 'utf8');
    assert.match(env, /^AWS_ENDPOINT_URL=https:\/\/127\.0\.0\.1:\d+$/m);
    assert.doesNotMatch(env, /^HTTPS_PROXY=/m);
  });

  test('a command with spaces runs through the shell, arguments still unsplit', async () => {
    const r = await runCaptured({ exec: "printf '%s|'", args: ['a b', 'c'] });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'a b|c|');
  });
});

describe('exit codes', () => {
  for (const code of [0, 252, 254, 255]) {
    test(`${code} comes back unchanged`, async () => {
      assert.equal(await runCaptured({ exec: exitScript, args: [String(code)] }).then((r) => r.code), code);
    });
  }

  test('a child killed by a signal gives 128+N', async () => {
    assert.equal((await runCaptured({ exec: '/bin/sh', args: ['-c', 'kill -TERM $$'] })).code, 143);
  });

  test('SIGTERM to tsh is forwarded to the child', async () => {
    const running = runCaptured({ exec: 'sleep', args: ['30'] });
    await new Promise((r) => setTimeout(r, 500));
    process.kill(process.pid, 'SIGTERM');
    assert.equal((await running).code, 143);
  });

  test('a missing program is MISSING_PROGRAM (exit 127), with how to install the aws CLI', async () => {
    await assert.rejects(runCaptured({ exec: 'no-such-program-for-tsh', args: [] }), (err: unknown) => err instanceof TshError && err.code === 'MISSING_PROGRAM' && exitCodeFor(err) === 127);
    const saved = th.ce.env.PATH;
    th.ce.env.PATH = join(scratch, 'empty-bin');
    try {
      await assert.rejects(runCaptured({ args: ['sts', 'get-caller-identity'] }), (err: unknown) => {
        assert.ok(err instanceof TshError);
        assert.equal(err.code, 'MISSING_PROGRAM');
        assert.match(err.message, /aws CLI was not found/);
        assert.match(String(err.hint), /install the AWS CLI/);
        return true;
      });
    } finally {
      th.ce.env.PATH = saved;
    }
  });
});

describe('a proxy that cannot load', () => {
  test('ends the run with its own error, and the child is stopped', async () => {
    const th2 = await makeTestHome(cluster, { env: { ...userEnv, HOME: scratch } });
    await rm(join(th2.home, 'keys', '127.0.0.1', 'alice-app', 'test', 'aws.key'));
    const started = Date.now();
    try {
      await assert.rejects(runAwsCli(th2.ce, { exec: 'sleep', args: ['20'], stdio: 'ignore' }), (err: unknown) => err instanceof TshError && err.code === 'NOT_LOGGED_IN');
      assert.ok(Date.now() - started < 10_000, 'the child was not left running');
    } finally {
      await th2.cleanup();
    }
  });
});

describe('the real aws CLI', () => {
  test('tsh aws dynamodb list-tables (HTTPS_PROXY mode)', async () => {
    const before = cluster.requests.length;
    const r = await runCaptured({ args: ['dynamodb', 'list-tables', '--output', 'json'] });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).TableNames, []);
    assert.equal(cluster.requests[before].headers.host, 'dynamodb.us-east-1.amazonaws.com');
  });

  test('tsh aws -e dynamodb list-tables --region eu-west-1 (endpoint mode)', async () => {
    const before = cluster.requests.length;
    const r = await runCaptured({ endpointUrl: true, args: ['dynamodb', 'list-tables', '--region', 'eu-west-1'] });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(cluster.requests[before].headers.host, 'dynamodb.eu-west-1.amazonaws.com');
  });

  test('the CLI\'s own error codes come back: 252 (usage), 254 (service error)', async () => {
    assert.equal((await runCaptured({ args: ['dynamodb', 'list-tables', '--no-such-flag'] })).code, 252);
    cluster.respond = (_rec, res) => {
      const body = JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException', message: 'Requested resource not found' });
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0', 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return true;
    };
    try {
      const r = await runCaptured({ args: ['dynamodb', 'describe-table', '--table-name', 'nope'] });
      assert.equal(r.code, 254);
      assert.match(r.stderr, /ResourceNotFoundException/);
    } finally {
      cluster.respond = undefined;
    }
  });

  test('`tsh aws` as a program: arguments pass through and the exit code is the child\'s', async () => {
    const tsh = (args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/cli/tsh/main.ts'), 'aws', ...args], { cwd: repoRoot, env: { ...th.ce.env, NO_COLOR: '1' }, timeout: 60_000 }, (err, stdout, stderr) =>
          resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        );
      });
    const ok = await tsh(['dynamodb', 'list-tables', '--output', 'json', '--region', 'us-east-1']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.deepEqual(JSON.parse(ok.stdout).TableNames, []);
    assert.equal((await tsh(['--exec', exitScript, '254'])).code, 254);
    const missing = await tsh(['--exec', 'no-such-program-for-tsh']);
    assert.equal(missing.code, 127);
    assert.match(missing.stderr, /no-such-program-for-tsh" was not found/);
  });
});
