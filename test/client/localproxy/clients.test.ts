/**
 * Real AWS clients through the local proxy, against the fake cluster proxy:
 * the JS SDK v3 in-process (with the proxy agent and CA it needs), the
 * Debian aws CLI and boto3 as children with the environment `tsh proxy aws`
 * prints, in both modes; and `tsh proxy aws` itself as a process (its
 * output formats, exit 130 on Ctrl-C and 0 on SIGTERM).
 */
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { HttpsProxyAgent } from 'hpagent';
import { startFakeAppCluster, makeTestHome, type FakeAppCluster, type TestHome } from '../../helpers/fakeAppCluster.js';
import { startLocalAwsProxy, type LocalAwsProxy } from '../../../src/client/localproxy/localAwsProxy.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

let cluster: FakeAppCluster;
let th: TestHome;
let proxy: LocalAwsProxy;
let endpoint: LocalAwsProxy;
let clientHome: string;
/** The proxies' request log: says which SigV4 check accepted each request. */
const log: string[] = [];

/** The last logged request, once it is logged. */
async function lastLogged(): Promise<string> {
  await new Promise((r) => setTimeout(r, 20));
  return log[log.length - 1] ?? '';
}

before(async () => {
  cluster = await startFakeAppCluster();
  th = await makeTestHome(cluster);
  proxy = await startLocalAwsProxy(th.ce, { log: (l) => log.push(l) });
  endpoint = await startLocalAwsProxy(th.ce, { endpointUrl: true, log: (l) => log.push(l) });
  clientHome = await mkdtemp(join(tmpdir(), 'tsh-client-home-'));
});

after(async () => {
  await proxy?.close();
  await endpoint?.close();
  await cluster?.close();
  await th?.cleanup();
  await rm(clientHome, { recursive: true, force: true });
});

/** The environment of a CLI or boto3 child: nothing from this machine's AWS setup. */
function clientEnv(settings: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: '/usr/bin:/bin',
    HOME: clientHome,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_MAX_ATTEMPTS: '1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_PAGER: '',
    ...settings,
  };
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const BOTO3 = `
import boto3, json, sys
kw = {'endpoint_url': sys.argv[1]} if len(sys.argv) > 1 else {}
print(json.dumps(boto3.client('dynamodb', **kw).list_tables()['TableNames']))
`;

describe('JS SDK v3 (in-process)', () => {
  test('ListTables through HTTPS_PROXY with hpagent and the local CA', async () => {
    const { DynamoDBClient, ListTablesCommand } = await import('@aws-sdk/client-dynamodb');
    const { NodeHttpHandler } = await import('@smithy/node-http-handler');
    const ca = await readFile(proxy.caPath, 'utf8');
    const agent = new HttpsProxyAgent({ proxy: proxy.settings.HTTPS_PROXY, ca: [ca], keepAlive: true });
    const client = new DynamoDBClient({
      region: 'us-east-1',
      credentials: { accessKeyId: proxy.fake.accessKeyId, secretAccessKey: proxy.fake.secretAccessKey },
      requestHandler: new NodeHttpHandler({ httpsAgent: agent }),
      maxAttempts: 1,
    });
    try {
      const before = cluster.requests.length;
      const out = await client.send(new ListTablesCommand({}));
      assert.deepEqual(out.TableNames, []);
      const rec = cluster.requests[before];
      assert.equal(rec.headers.host, 'dynamodb.us-east-1.amazonaws.com');
      assert.equal(rec.headers['x-amz-target'], 'DynamoDB_20120810.ListTables');
      assert.match(await lastLogged(), /-> 200 .*sigv4 quick/, 'the quick SigV4 check accepted the SDK\'s request');
    } finally {
      client.destroy();
      agent.destroy();
    }
  });

  test('with wrong keys the SDK reports our reason', async () => {
    const { DynamoDBClient, ListTablesCommand } = await import('@aws-sdk/client-dynamodb');
    const { NodeHttpHandler } = await import('@smithy/node-http-handler');
    const ca = await readFile(proxy.caPath, 'utf8');
    const agent = new HttpsProxyAgent({ proxy: proxy.url, ca: [ca] });
    const client = new DynamoDBClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'TSHNOTTHEKEYNOTTHEKEY12', secretAccessKey: 'x' },
      requestHandler: new NodeHttpHandler({ httpsAgent: agent }),
      maxAttempts: 1,
    });
    try {
      await assert.rejects(client.send(new ListTablesCommand({})), (err: Error) => err.name === 'InvalidSignatureException' && /not the expected one/.test(err.message));
    } finally {
      client.destroy();
      agent.destroy();
    }
  });
});

describe('aws CLI (Debian)', () => {
  test('dynamodb list-tables with the printed settings (HTTPS_PROXY)', async () => {
    const before = cluster.requests.length;
    const r = await run('/usr/bin/aws', ['dynamodb', 'list-tables', '--output', 'json'], clientEnv(proxy.settings));
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).TableNames, []);
    assert.equal(cluster.requests[before].headers.host, 'dynamodb.us-east-1.amazonaws.com');
    assert.match(await lastLogged(), /-> 200 .*sigv4 quick/);
  });

  test('endpoint-URL mode', async () => {
    const before = cluster.requests.length;
    const r = await run('/usr/bin/aws', ['--endpoint-url', endpoint.url, 'dynamodb', 'list-tables', '--region', 'eu-west-1'], clientEnv(endpoint.settings));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(cluster.requests[before].headers.host, 'dynamodb.eu-west-1.amazonaws.com');
  });

  test('a refusal prints our message and exits 254', async () => {
    const r = await run('/usr/bin/aws', ['dynamodb', 'list-tables'], clientEnv({ ...proxy.settings, AWS_SECRET_ACCESS_KEY: 'wrong' }));
    assert.equal(r.code, 254);
    assert.match(r.stderr, /InvalidSignatureException.*signature does not match/);
  });
});

describe('boto3 (Debian)', () => {
  test('list_tables with the printed settings, in both modes', async () => {
    const before = cluster.requests.length;
    const r = await run('/usr/bin/python3', ['-c', BOTO3], clientEnv(proxy.settings));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), '[]');
    assert.match(await lastLogged(), /-> 200 .*sigv4 quick/);
    const e = await run('/usr/bin/python3', ['-c', BOTO3, endpoint.url], clientEnv(endpoint.settings));
    assert.equal(e.code, 0, e.stderr);
    assert.equal(cluster.requests.length, before + 2);
  });
});

describe('`tsh proxy aws` as a process', () => {
  /** Starts tsh proxy aws and resolves once it printed its settings. */
  function startTshProxy(args: string[]): Promise<{ child: ReturnType<typeof spawn>; stdout: () => string; stderr: () => string; exited: Promise<number | null> }> {
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/cli/tsh/main.ts'), 'proxy', 'aws', ...args], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, HOME: clientHome, TELEPORT_HOME: th.home, NO_COLOR: '1', AWS_REGION: 'us-east-1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout!.on('data', (c) => (out += c));
    child.stderr!.on('data', (c) => (err += c));
    const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`tsh proxy aws printed nothing: ${err}`)), 30_000);
      const check = () => {
        if (/HTTPS_PROXY|AWS_CA_BUNDLE="|"pid"/.test(out) && out.endsWith('\n')) {
          clearTimeout(timer);
          resolve({ child, stdout: () => out, stderr: () => err, exited });
        }
      };
      child.stdout!.on('data', check);
      child.once('close', () => {
        clearTimeout(timer);
        reject(new Error(`tsh proxy aws exited: ${err}`));
      });
    });
  }

  test('-f unix prints the seed\'s lines; boto3 works with them; Ctrl-C (SIGINT) exits 130', async () => {
    const t = await startTshProxy([]);
    try {
      const out = t.stdout();
      assert.match(out, /^Started AWS proxy on http:\/\/127\.0\.0\.1:(\d+)\.\n\[To avoid port randomization, you can choose the listening port using the --port flag\.\]\n\nUse the following credentials and HTTPS proxy setting to connect to the proxy:\n/);
      const vars = Object.fromEntries([...out.matchAll(/^ {2}export (\w+)="([^"]*)"$/gm)].map((m) => [m[1], m[2]]));
      assert.deepEqual(Object.keys(vars), ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_CA_BUNDLE', 'HTTPS_PROXY']);
      const r = await run('/usr/bin/python3', ['-c', BOTO3], clientEnv(vars));
      assert.equal(r.code, 0, r.stderr);
    } finally {
      t.child.kill('SIGINT');
    }
    assert.equal(await t.exited, 130, t.stderr());
  });

  test('-f json with -p carries what a script needs; SIGTERM exits 0', async () => {
    const t = await startTshProxy(['-f', 'json', '-p', '0', '--endpoint-url']);
    try {
      const data = JSON.parse(t.stdout());
      assert.equal(typeof data.port, 'number');
      assert.equal(data.endpoint_url, `https://127.0.0.1:${data.port}`);
      assert.equal(data.app, 'aws');
      assert.equal(data.role, 'arn:aws:iam::123456789012:role/reader');
      assert.equal(data.pid, t.child.pid);
      assert.ok(data.AWS_ACCESS_KEY_ID && data.AWS_SECRET_ACCESS_KEY && data.AWS_CA_BUNDLE);
      assert.equal(data.HTTPS_PROXY, undefined);
      assert.match(t.stderr(), /Started AWS proxy which serves as an AWS endpoint URL at https:\/\/127\.0\.0\.1:\d+\./);
    } finally {
      t.child.kill('SIGTERM');
    }
    assert.equal(await t.exited, 0, t.stderr());
  });
});
