/**
 * A real cluster for end-to-end tests: `teleport start -c teleport.yaml` as
 * a child process on 127.0.0.1 port 0 (or, with `fixedPort`, a free port
 * picked once, so a restart keeps the address agents and users dial), in a
 * temp data dir, plus the steps an administrator and a user take (tctl
 * users add, the invite API, tsh login). Everything is removed by `close()`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import https from 'node:https';
import net from 'node:net';
import { binPath, cleanEnv, runBin, type RunResult } from './binaries.js';
import { totpCode } from '../../src/shared/totp.js';

export interface TestCluster {
  dir: string;
  dataDir: string;
  configPath: string;
  proxyAddr: string;
  authAddr: string;
  /** Output of the teleport process so far. */
  logs(): string;
  /** The teleport process's id while it runs. */
  pid(): number | undefined;
  tctl(args: string[], input?: string): Promise<RunResult>;
  /** Stops the process (SIGTERM) and waits; its exit code and how long it took. */
  stop(): Promise<{ code: number | null; ms: number } | undefined>;
  /** Kills the process (SIGKILL: no shutdown of any kind) and waits until it is gone. */
  kill(): Promise<void>;
  /** Starts the process on the same data dir (after stop or kill); resolves once it serves. */
  start(): Promise<void>;
  /** Stops and starts it again on the same data dir (new ports, unless fixedPort). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface ClusterOptions {
  secondFactor?: 'off' | 'otp';
  /** Extra lines inside `teleport:` (indented two spaces), e.g. diag_addr. */
  teleportYaml?: string;
  /** Extra YAML appended to the config (e.g. an app_service section). */
  extraYaml?: string;
  /** Extra lines inside proxy_service (indented two spaces), e.g. https_keypairs. */
  proxyYaml?: string;
  clusterName?: string;
  storage?: { type: 'postgresql'; conn_string: string };
  env?: Record<string, string>;
  /** Listen on a free port picked now instead of port 0, so that a restarted cluster keeps its address. */
  fixedPort?: boolean;
}

/** A TCP port that is free right now on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** Starts a cluster (auth + proxy) from a teleport.yaml written for the test. */
export async function startCluster(opts: ClusterOptions = {}): Promise<TestCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'tsh-cluster-'));
  const dataDir = join(dir, 'data');
  const configPath = join(dir, 'teleport.yaml');
  const webPort = opts.fixedPort ? await freePort() : 0;
  const storage = opts.storage ? `  storage:\n    type: postgresql\n    conn_string: "${opts.storage.conn_string}"\n` : '';
  await writeFile(
    configPath,
    `version: v3
teleport:
  data_dir: ${dataDir}
${storage}${opts.teleportYaml ?? ''}auth_service:
  enabled: yes
  cluster_name: ${opts.clusterName ?? 'test.example.com'}
  listen_addr: 127.0.0.1:0
  authentication:
    type: local
    second_factor: ${opts.secondFactor ?? 'off'}
proxy_service:
  enabled: yes
  web_listen_addr: 127.0.0.1:${webPort}
${opts.proxyYaml ?? ''}ssh_service:
  enabled: no
${opts.extraYaml ?? ''}`,
  );
  let child: ChildProcess | undefined;
  let output = '';
  const cluster: TestCluster = {
    dir,
    dataDir,
    configPath,
    proxyAddr: '',
    authAddr: '',
    logs: () => output,
    pid: () => child?.pid,
    tctl: (args, input) => runBin('tctl', ['-c', configPath, ...args], { env: cleanEnv(), input }),
    async stop() {
      if (!child || child.exitCode !== null) return undefined;
      const started = Date.now();
      const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));
      // A process that does not stop within 10 s is killed, so a stuck shutdown cannot hang the suite (the test still sees its logs).
      const killer = setTimeout(() => child!.kill('SIGKILL'), 10_000);
      exited.then(() => clearTimeout(killer));
      child.kill('SIGTERM');
      const code = await exited;
      return { code, ms: Date.now() - started };
    },
    async kill() {
      if (!child || child.exitCode !== null) return;
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    },
    start: () => start(),
    async restart() {
      await cluster.stop();
      await start();
    },
    async close() {
      await cluster.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
  const start = async () => {
    await rm(join(dataDir, 'process.json'), { force: true });
    child = spawn(process.execPath, [binPath('teleport'), 'start', '-c', configPath], { env: cleanEnv(opts.env), stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`teleport exited with ${child.exitCode}:\n${output}`);
      try {
        const info = JSON.parse(await readFile(join(dataDir, 'process.json'), 'utf8'));
        cluster.proxyAddr = info.web_addr;
        cluster.authAddr = info.auth_addr;
        return;
      } catch {
        if (Date.now() > deadline) throw new Error(`teleport did not start:\n${output}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };
  try {
    await start();
  } catch (err) {
    await cluster.close();
    throw err;
  }
  return cluster;
}

/** Calls the proxy's JSON API without a client certificate (the invite flow a browser uses). */
export function webApi(proxyAddr: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const [host, port] = [proxyAddr.slice(0, proxyAddr.lastIndexOf(':')), Number(proxyAddr.slice(proxyAddr.lastIndexOf(':') + 1))];
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = https.request({ host, port, method, path, rejectUnauthorized: false, headers: data ? { 'content-type': 'application/json' } : {} }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => {
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          /* plain text */
        }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
    });
    req.on('error', reject);
    req.end(data);
  });
}

/**
 * Creates a user the way an administrator does (`tctl users add`), then
 * completes the invite as the user would (password, and the one-time code
 * from the enrolled secret when the cluster uses OTP). Returns the TOTP
 * secret, if any.
 */
export async function addUser(cluster: TestCluster, name: string, roles: string[], password: string, opts: { awsRoleArns?: string[] } = {}): Promise<{ totpSecret?: string }> {
  const args = ['users', 'add', name, `--roles=${roles.join(',')}`, '--format', 'json'];
  if (opts.awsRoleArns?.length) args.push(`--aws-role-arns=${opts.awsRoleArns.join(',')}`);
  const r = await cluster.tctl(args);
  if (r.code !== 0) throw new Error(`tctl users add failed: ${r.stderr}`);
  const token = JSON.parse(r.stdout).invite_url.split('/').pop();
  const info = await webApi(cluster.proxyAddr, 'GET', `/v1/webapi/users/password/token/${token}`);
  const secret = info.body.totp?.secret as string | undefined;
  const set = await webApi(cluster.proxyAddr, 'PUT', '/v1/webapi/users/password/token', { token, password, second_factor_token: secret ? totpCode(secret) : undefined });
  if (set.status !== 200) throw new Error(`setting the password failed: ${JSON.stringify(set.body)}`);
  return { totpSecret: secret };
}

/** Environment for a tsh user: their own TELEPORT_HOME, keys in 0600 files (the keychain has its own tests). */
export async function userEnv(extra: Record<string, string> = {}): Promise<{ env: Record<string, string>; home: string; cleanup(): Promise<void> }> {
  const home = await mkdtemp(join(tmpdir(), 'tsh-home-'));
  const env = cleanEnv({ TELEPORT_HOME: join(home, '.tsh'), HOME: home, TSH_SECRET_STORE: 'file', ...extra });
  return { env, home, cleanup: () => rm(home, { recursive: true, force: true }) };
}

/** `tsh login` with the password (and code) on standard input. */
export function tshLogin(env: Record<string, string>, proxyAddr: string, user: string, password: string, opts: { totpSecret?: string; extraArgs?: string[] } = {}): Promise<RunResult> {
  const input = `${password}\n${opts.totpSecret ? totpCode(opts.totpSecret) + '\n' : ''}`;
  return runBin('tsh', ['login', `--proxy=${proxyAddr}`, `--user=${user}`, '--insecure', ...(opts.extraArgs ?? [])], { env, input });
}
