/**
 * The README's main command: `npm run demo` runs the guide end to end, the
 * AWS console through the web UI in headless Chromium included; with
 * --keep-running (here also --no-browser: `tsh aws console --print`) it
 * stays up with the commands to try and the web UI's address, and Ctrl-C
 * stops everything it started. A missing prerequisite is a clear error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { Agent, request } from 'undici';
import { repoRoot } from '../helpers/binaries.js';
import { totpCode } from '../../src/shared/totp.js';

const demo = join(repoRoot, 'dist', 'demo.js');
// The Debian aws CLI and boto3 first on PATH, as on a machine set up by scripts/setup.sh.
const env = { PATH: `/usr/bin:/bin:${process.env.PATH}`, HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1', LANG: 'C.UTF-8' };

function runDemo(args: string[], opts: { env?: Record<string, string>; onOutput?: (all: string, child: ReturnType<typeof spawn>) => void } = {}): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [demo, ...args], { env: opts.env ?? env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const onData = (d: Buffer) => {
      out += d;
      opts.onOutput?.(out, child);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('close', (code) => resolve({ code, out }));
  });
}

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });

test('the demo walks the guide, every step succeeding', async () => {
  const { code, out } = await runDemo([]);
  assert.equal(code, 0, out);
  for (const step of [
    /\$ tctl status\nCluster\s+demo\.tsh-aws\.local/,
    /\$ tsh apps login --aws-role ExampleTeleportDynamoDBRole aws\nLogged into AWS app aws\./,
    /\$ tsh aws dynamodb list-tables\n\{\n\s+"TableNames": \[\n\s+"my-dynamodb-table"/,
    /"Arn": "arn:aws:sts::123456789012:assumed-role\/ExampleTeleportDynamoDBRole\/alice"/,
    /Started AWS proxy on http:\/\/127\.0\.0\.1:\d+\./,
    /\{'TableNames': \['my-dynamodb-table'\]/,
    // The console, through the web UI in Chromium.
    /\(headless Chromium signs in to https:\/\/127\.0\.0\.1:\d+\/web as alice, opens Applications, clicks Launch on aws and picks ExampleTeleportDynamoDBRole\)\n/,
    /The console says: signed in through federated login as ExampleTeleportDynamoDBRole\/alice \(destination https:\/\/console\.aws\.amazon\.com\/home\/home\)/,
    /app\.session\.start\s+alice\s+app aws role arn:aws:iam::123456789012:role\/ExampleTeleportDynamoDBRole via web\n[^]*aws\.console\.login\s+alice\s+AWS console for app aws as arn:aws:sts::123456789012:assumed-role\/ExampleTeleportDynamoDBRole\/alice/,
    // Two ListTables: `tsh aws` and boto3 through `tsh proxy aws`.
    /app\.session\.dynamodb\.request\s+alice\s+dynamodb ListTables POST \/ -> 200[^]*app\.session\.dynamodb\.request\s+alice\s+dynamodb ListTables POST \/ -> 200/,
    /\$ tsh apps logout aws\nLogged out of app "aws"/,
  ]) {
    assert.match(out, step);
  }
});

test('--keep-running stays up until Ctrl-C, with the web UI\'s address, then stops everything it started', async () => {
  let port = 0;
  let probed: Promise<boolean> | undefined;
  let signIn: Promise<number> | undefined;
  const { code, out } = await runDemo(['--keep-running', '--no-browser'], {
    onOutput(all, child) {
      if (!probed && all.includes('Press Ctrl-C to stop everything.')) {
        port = Number(/the proxy is still up on port (\d+)/.exec(all)![1]);
        const web = /Web UI: (https:\/\/127\.0\.0\.1:\d+\/web) /.exec(all)![1];
        signIn = request(`${web}/login`, { dispatcher: new Agent({ connect: { rejectUnauthorized: false } }) }).then(async (r) => (await r.body.text(), r.statusCode));
        probed = Promise.all([listening(port), signIn]).then(([up]) => {
          child.kill('SIGINT');
          return up;
        });
      }
    },
  });
  assert.equal(await probed, true, 'the proxy was up while the demo ran');
  assert.equal(await signIn, 200, 'the web UI\'s sign-in page answered');
  assert.match(out, /\$ tsh aws console --print\nhttp:\/\/127\.0\.0\.1:\d+\/federation\?Action=login&Issuer=https%3A%2F%2F127\.0\.0\.1%3A\d+&Destination=https%3A%2F%2Fconsole\.aws\.amazon\.com%2Fhome%2Fhome&SigninToken=\S+\nThe console says: signed in through federated login as ExampleTeleportDynamoDBRole\/alice/);
  assert.match(out, /Web UI: https:\/\/127\.0\.0\.1:\d+\/web {2}\(user alice, password "demo-password-correct-horse", one-time code: node \S+demo\.js --otp [A-Z2-7]{32}\)/);
  const secret = /--otp ([A-Z2-7]{32})/.exec(out)![1];
  const codeBefore = totpCode(secret);
  const otp = await new Promise<string>((resolve) => {
    const child = spawn(process.execPath, [demo, '--otp', secret], { env });
    let text = '';
    child.stdout.on('data', (d) => (text += d));
    child.on('close', () => resolve(text));
  });
  assert.ok([codeBefore, totpCode(secret)].map((c) => `${c}\n`).includes(otp), '--otp prints the current code');
  const bad = await runDemo(['--otp']);
  assert.equal(bad.code, 2);
  assert.match(bad.out, /ERROR: --otp needs the authenticator secret that `--keep-running` printed/);
  assert.equal(code, 130, out);
  assert.match(out, /export TELEPORT_HOME=/);
  assert.match(out, /tsh aws dynamodb scan --table-name my-dynamodb-table/);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(await listening(port), false, 'nothing left listening');
  const workDir = /Work dir \(removed at the end\): (\S+)/.exec(out)![1];
  await assert.rejects(import('node:fs/promises').then((fs) => fs.stat(workDir)), 'the work dir is gone');
});

test('a missing prerequisite is named, with how to install it', async () => {
  const empty = await mkdtemp(join(tmpdir(), 'no-tools-'));
  try {
    const { code, out } = await runDemo([], { env: { ...env, PATH: empty } });
    assert.equal(code, 1);
    assert.match(out, /ERROR: the demo needs the aws CLI and python3 with boto3\./);
    assert.match(out, /install the aws CLI: sudo apt-get install -y awscli/);
    assert.match(out, /bash scripts\/setup\.sh/);
  } finally {
    await rm(empty, { recursive: true, force: true });
  }
});
