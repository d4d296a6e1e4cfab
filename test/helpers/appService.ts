/**
 * An app service as its own process, configured from the seed guide's
 * teleport.yaml (step 3) with the token file and proxy address filled in.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binPath, cleanEnv } from './binaries.js';
import type { TestCluster } from './cluster.js';

export interface TestAppService {
  dir: string;
  configPath: string;
  logs(): string;
  /** The process's id while it runs. */
  pid(): number | undefined;
  /** Resolves once the log says the tunnel is up. */
  ready(): Promise<void>;
  stop(): Promise<void>;
  /** SIGKILL (a crash: nothing it holds in memory survives), and waits until the process is gone. */
  kill(): Promise<void>;
  /** True while the process runs. */
  alive(): boolean;
  start(): Promise<void>;
  close(): Promise<void>;
}

/** The seed's app service config, with data_dir, ca_pin and addresses for this test. */
export function seedAppServiceYaml(opts: { tokenFile: string; proxyAddr: string; dataDir: string; caPin?: string; apps?: string }): string {
  return `version: v3
teleport:
  data_dir: ${opts.dataDir}
  join_params:
    token_name: "${opts.tokenFile}"
    method: token
  proxy_server: "${opts.proxyAddr}"
${opts.caPin ? `  ca_pin: "${opts.caPin}"\n` : ''}auth_service:
  enabled: off
proxy_service:
  enabled: off
ssh_service:
  enabled: off
app_service:
  enabled: true
  apps:
${opts.apps ?? `  - name: aws
    uri: https://console.aws.amazon.com/home/home
`}`;
}

/** What an app service needs to reach the sandbox as its AWS: the endpoint variables and the operator's key (or the keys given). */
export function sandboxAwsEnv(sandbox: { endpointEnv(): Record<string, string>; baseCredentials: { accessKeyId: string; secretAccessKey: string } }, keys: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = sandbox.baseCredentials): Record<string, string> {
  const env: Record<string, string> = { ...sandbox.endpointEnv(), AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey, AWS_REGION: 'us-east-1' };
  if (keys.sessionToken) env.AWS_SESSION_TOKEN = keys.sessionToken;
  return env;
}

/** The cluster's CA pin, from `tctl status`, as an operator copies it into ca_pin. */
export async function caPinOf(cluster: TestCluster): Promise<string> {
  return /CA pin\s+(\S+)/.exec((await cluster.tctl(['status'])).stdout)![1];
}

/** Gets a join token from the cluster the way the guide does, and starts the app service with it. */
export async function startAppService(cluster: TestCluster, opts: { env: Record<string, string>; caPin?: string; apps?: string; args?: string[]; proxyAddr?: string }): Promise<TestAppService> {
  const tok = await cluster.tctl(['tokens', 'add', '--type=app', '--app-name=aws', '--app-uri=https://console.aws.amazon.com/console/home', '--format', 'json']);
  if (tok.code !== 0) throw new Error(`tctl tokens add failed: ${tok.stderr}`);
  const dir = await mkdtemp(join(tmpdir(), 'tsh-agent-'));
  const tokenFile = join(dir, 'token');
  await writeFile(tokenFile, JSON.parse(tok.stdout).token + '\n', { mode: 0o600 });
  const configPath = join(dir, 'teleport.yaml');
  await writeFile(configPath, seedAppServiceYaml({ tokenFile, proxyAddr: opts.proxyAddr ?? cluster.proxyAddr, dataDir: join(dir, 'data'), caPin: opts.caPin, apps: opts.apps }));
  let child: ChildProcess | undefined;
  let output = '';
  let readyWaiters: Array<() => void> = [];
  let up = false;
  const svc: TestAppService = {
    dir,
    configPath,
    logs: () => output,
    pid: () => child?.pid,
    ready: () =>
      new Promise<void>((resolve, reject) => {
        if (up) return resolve();
        const timer = setTimeout(() => reject(new Error(`app service not ready:\n${output}`)), 20_000);
        readyWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
    async start() {
      child = spawn(process.execPath, [binPath('teleport'), 'start', '-c', configPath, ...(opts.args ?? [])], { env: cleanEnv(opts.env), stdio: ['ignore', 'pipe', 'pipe'] });
      const onData = (d: Buffer) => {
        output += d;
        if (/tunnel to the proxy at .* is up/.test(String(d))) {
          up = true;
          readyWaiters.splice(0).forEach((w) => w());
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
    },
    async stop() {
      if (!child || child.exitCode !== null) return;
      const exited = new Promise((r) => child!.once('exit', r));
      // A process that does not stop within 10 s is killed, so a stuck shutdown cannot hang the suite (the test still sees its logs).
      const killer = setTimeout(() => child!.kill('SIGKILL'), 10_000);
      exited.then(() => clearTimeout(killer));
      up = false;
      child.kill('SIGTERM');
      await exited;
      readyWaiters = [];
    },
    async kill() {
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child!.once('exit', r));
      up = false;
      child.kill('SIGKILL');
      await exited;
      readyWaiters = [];
    },
    alive: () => Boolean(child && child.exitCode === null && child.signalCode === null),
    async close() {
      await svc.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
  await svc.start();
  return svc;
}
