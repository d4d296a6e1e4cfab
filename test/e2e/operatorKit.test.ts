/**
 * The operator's kit, used as an operator would on two hosts (here: two
 * processes): `teleport configure` writes the cluster's teleport.yaml and
 * `teleport start -c` runs it; `tctl tokens add` suggests the `teleport
 * configure --roles=app` line for the app service, which is run as printed;
 * both log JSON lines that parse and hold no secret while a user logs in and
 * calls DynamoDB through them; the cluster's diagnostics listener answers;
 * `teleport install systemd` writes a unit that `systemd-analyze verify`
 * accepts without a warning.
 */
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { addUser, tshLogin, userEnv, type TestCluster } from '../helpers/cluster.js';
import { binPath, cleanEnv, runBin, runProgram, repoRoot } from '../helpers/binaries.js';
import { eventually, startLongRunning, type LongRunning } from '../helpers/longRunning.js';

const ROLE = 'arn:aws:iam::123456789012:role/ExampleTeleportDynamoDBRole';
const PASSWORD = 'operator-kit-password-42';
let sandbox: Sandbox;
let work: string;
let clusterConfig: string;
let cluster: LongRunning;
let agent: LongRunning | undefined;
let agentConfig: string;
let proxyAddr: string;
let diagAddr: string;
let joinToken: string;
const tctl = (args: string[]) => runBin('tctl', ['-c', clusterConfig, ...args], { env: cleanEnv() });

before(async () => {
  sandbox = await startSandbox({ roles: [{ name: 'ExampleTeleportDynamoDBRole' }] });
  work = await mkdtemp(join(tmpdir(), 'tsh-operator-'));
});

after(async () => {
  await agent?.stop();
  await cluster?.stop();
  await sandbox?.close();
  await rm(work, { recursive: true, force: true });
});

describe('teleport configure, then teleport start -c', () => {
  test('the cluster: auth and proxy from a configured teleport.yaml, with JSON logs and a diagnostics listener', async () => {
    clusterConfig = join(work, 'cluster.yaml');
    const dataDir = join(work, 'cluster-data');
    const r = await runBin('teleport', ['configure', '--roles', 'auth,proxy', '--cluster-name', 'kit.example.com', '--web-listen-addr', '127.0.0.1:0', '--auth-listen-addr', '127.0.0.1:0', '--second-factor', 'off', '--data-dir', dataDir, '--diag-addr', '127.0.0.1:0', '--log-format', 'json', '--output', clusterConfig], { env: cleanEnv() });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`Wrote ${clusterConfig}\\. Start teleport with it:\\n\\n  teleport start -c ${clusterConfig}\\n`));
    assert.equal((await stat(clusterConfig)).mode & 0o777, 0o600);
    cluster = startLongRunning('teleport', ['start', '-c', clusterConfig], cleanEnv());
    const info = await eventually('the cluster writes process.json', async () => JSON.parse(await readFile(join(dataDir, 'process.json'), 'utf8')));
    proxyAddr = info.web_addr;
    diagAddr = info.diag_addr;
    const status = JSON.parse((await tctl(['status', '-f', 'json'])).stdout);
    assert.equal(status.cluster, 'kit.example.com');
    const ready = await fetch(`http://${diagAddr}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { status: 'ok' });
    const again = await runBin('teleport', ['configure', '--output', clusterConfig], { env: cleanEnv() });
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already exists/, 'an existing file is never replaced');
  });

  test('the app service: the `teleport configure --roles=app` line `tctl tokens add` prints, run as printed', async () => {
    const tok = await tctl(['tokens', 'add', '--type=app', '--app-name=aws', '--app-uri=https://console.aws.amazon.com/home/home']);
    assert.equal(tok.code, 0, tok.stderr);
    joinToken = /The invite token:\n(\S+)/.exec(tok.stdout)![1];
    const printed = /> (teleport configure[\s\S]+?)\n\n/.exec(tok.stdout)?.[1];
    assert.ok(printed, `tctl tokens add suggests teleport configure:\n${tok.stdout}`);
    const args = printed.replace(/\\\n\s*/g, '').split(/\s+/).slice(1);
    assert.ok(args.includes('--output=/etc/teleport.yaml'));
    agentConfig = join(work, 'agent.yaml');
    const flags = args.map((a) => (a === '--output=/etc/teleport.yaml' ? `--output=${agentConfig}` : a));
    const r = await runBin('teleport', [...flags, `--data-dir=${join(work, 'agent-data')}`], { env: cleanEnv() });
    assert.equal(r.code, 0, r.stderr);
    assert.match(await readFile(agentConfig, 'utf8'), /join_params:\n {4}token_name: "[0-9a-f]+"\n {4}method: token\n {2}proxy_server: "127\.0\.0\.1:\d+"\n {2}ca_pin: "sha256:[0-9a-f]{64}"/);
    const aws = { ...sandbox.endpointEnv(), AWS_ACCESS_KEY_ID: sandbox.baseCredentials.accessKeyId, AWS_SECRET_ACCESS_KEY: sandbox.baseCredentials.secretAccessKey, AWS_REGION: 'us-east-1' };
    agent = startLongRunning('teleport', ['start', '-c', agentConfig, '--log-format', 'json', '--debug'], cleanEnv(aws));
    await agent.waitFor(/tunnel to the proxy at \S+ is up/);
    const servers = JSON.parse((await tctl(['apps', 'ls', '-f', 'json'])).stdout);
    assert.deepEqual(servers.map((s: any) => s.spec.app.metadata.name), ['aws']);
  });

  test('a user reaches DynamoDB through them; every log line of both is JSON with its four fields, and no secret is in them', async () => {
    const alice = await userEnv({ PATH: `/usr/bin:/bin:${process.env.PATH}`, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_PAGER: '' });
    try {
      await addUser({ proxyAddr, tctl } as unknown as TestCluster, 'alice', ['access'], PASSWORD, { awsRoleArns: [ROLE] });
      assert.equal((await tshLogin(alice.env, proxyAddr, 'alice', PASSWORD)).code, 0);
      assert.equal((await runBin('tsh', ['apps', 'login', 'aws'], { env: alice.env })).code, 0);
      const ls = await runBin('tsh', ['aws', 'dynamodb', 'list-tables'], { env: alice.env });
      assert.equal(ls.code, 0, ls.stderr);
      assert.match(ls.stdout, /"TableNames"/);
    } finally {
      await alice.cleanup();
    }
    const secrets = [PASSWORD, joinToken, sandbox.baseCredentials.secretAccessKey, 'BEGIN', 'AWS4-HMAC-SHA256', 'Signature='];
    for (const [name, p] of [['cluster', cluster], ['app service', agent!]] as const) {
      const lines = (p.stdout() + p.stderr()).split('\n').filter(Boolean);
      assert.ok(lines.length >= 3, `${name} logged`);
      for (const line of lines) {
        const e = JSON.parse(line);
        assert.deepEqual(Object.keys(e), ['timestamp', 'level', 'component', 'message'], line);
        for (const s of secrets) assert.ok(!line.includes(s), `${name} logged a secret (${s.slice(0, 4)}...): ${line}`);
      }
      assert.ok(!lines.some((l) => /NodeVersionSupportWarning/.test(l)), "the AWS SDK's Node version warning is not printed");
    }
  });

  test("the cluster's /metrics counts the app connections its proxy relayed", async () => {
    const text = await (await fetch(`http://${diagAddr}/metrics`)).text();
    const relayed = Number(/^tsh_aws_proxy_app_connections_total\{result="relayed"\} (\d+)$/m.exec(text)?.[1] ?? 0);
    assert.ok(relayed >= 1, text);
    assert.match(text, /^tsh_aws_proxy_relay_setup_seconds_bucket\{le="0\.005",result="relayed"\} \d+$/m);
    assert.match(text, /^process_resident_memory_bytes \d+/m);
  });
});

describe('teleport install systemd', () => {
  test('the unit for the app service\'s config passes systemd-analyze verify without a warning', async () => {
    const unitPath = join(work, 'teleport.service');
    const r = await runBin('teleport', ['install', 'systemd', '--config', agentConfig, '--output', unitPath], { env: cleanEnv() });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /systemctl enable --now teleport\n {2}systemctl status teleport\n {2}journalctl -u teleport -f/);
    const unit = await readFile(unitPath, 'utf8');
    const lines = unit.split('\n');
    for (const want of [
      `ExecStart=${process.execPath} ${binPath('teleport')} start --config ${agentConfig}`,
      'Restart=on-failure',
      'EnvironmentFile=-/etc/default/teleport',
      `ReadWritePaths=${join(work, 'agent-data')}`,
      'NoNewPrivileges=yes',
      'ProtectSystem=strict',
      `ProtectHome=${/^\/(home|root)\//.test(repoRoot) || /^\/(home|root)\//.test(work) ? 'read-only' : 'yes'}`,
      'PrivateTmp=yes',
      'WantedBy=multi-user.target',
    ]) {
      assert.ok(lines.includes(want), `the unit has ${want}:\n${unit}`);
    }
    const verify = await runProgram('systemd-analyze', ['verify', unitPath], { env: cleanEnv() });
    assert.equal(verify.code, 0, verify.stderr);
    assert.equal(verify.stderr.trim(), '', 'no warning either');
    // The check can fail: a misspelt key is a warning, a missing program an error.
    await writeFile(join(work, 'bad.service'), unit.replace('NoNewPrivileges', 'NoNewPrivilegs'));
    assert.match((await runProgram('systemd-analyze', ['verify', join(work, 'bad.service')], { env: cleanEnv() })).stderr, /Unknown key/);
  });

  test('a config that would not start is refused now, not at boot', async () => {
    const broken = join(work, 'broken.yaml');
    await writeFile(broken, 'version: v3\nteleport:\n  data_dri: /var/lib/teleport\n');
    const r = await runBin('teleport', ['install', 'systemd', '--config', broken], { env: cleanEnv() });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /broken\.yaml:3: unknown key "data_dri" in "teleport"/);
    assert.equal(r.stdout, '');
  });
});

describe('teleport configure refusals', () => {
  test('a missing or wrong flag is named, exit 2, nothing printed', async () => {
    for (const [args, message] of [
      [['--roles', 'app', '--proxy', 'p:3080', '--app-name', 'aws', '--app-uri', 'https://console.aws.amazon.com/'], /--token is required/],
      [['--roles', 'proxy'], /--roles proxy needs auth too/],
      [['--roles', 'ssh'], /unknown role "ssh"/],
      [['--labels', 'novalue'], /option '--labels <k=v,...>' argument 'novalue' is invalid/],
    ] as const) {
      const r = await runBin('teleport', ['configure', ...args], { env: cleanEnv() });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
    }
  });
});
