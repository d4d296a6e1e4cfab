/**
 * Everything the bench measures, started as a user and an operator would,
 * all on 127.0.0.1 in one temp dir:
 *
 *   upstream    fake AWS (HTTPS, own CA)                     process  bench/upstream.mjs
 *   sandbox     local STS + DynamoDB (src/sandbox)           in this process
 *   cluster A   teleport: auth + proxy                       process
 *   app A       teleport: app service "aws" -> upstream      process   (joined to A with a token)
 *   app S       teleport: app service "sandbox" -> sandbox   process   (for `tsh aws ... list-tables`)
 *   cluster B   teleport: auth + proxy + app "aws" -> upstream, one process
 *   tsh A / B   `tsh proxy aws --app aws` logged in to A / B
 *   naive, go   the reference chains (bench/lib/anchors.ts), 3 processes each -> upstream
 *
 * Every app service assumes its role at the sandbox's STS with the sandbox's
 * operator key; the upstream's CA reaches them through NODE_EXTRA_CA_CERTS.
 */
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { anchorCerts, anchorsDir, buildGoChain, startAnchor, type AnchorChain } from './anchors.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { ApiClient } from '../../src/shared/http/apiClient.js';
import { seedAppServiceYaml } from '../../test/helpers/appService.js';
import { binPath, repoRoot, runProgram as run } from '../../test/helpers/binaries.js';
import { ProcessSet, type Started } from './processes.js';

export { repoRoot };
export const bin = binPath;
export const ROLE_NAME = 'ExampleTeleportDynamoDBRole';
export const ACCOUNT = '123456789012';
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/${ROLE_NAME}`;
const PASSWORD = 'bench horse battery staple';

export interface TeleportProc {
  proc: Started;
  configPath: string;
  dataDir: string;
  proxyAddr: string;
}

export interface TshProxy {
  proc: Started;
  host: string;
  port: number;
  caFile: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export interface UserHome {
  home: string;
  env: NodeJS.ProcessEnv;
}

export interface World {
  root: string;
  procs: ProcessSet;
  upstream: { proc: Started; port: number; caFile: string; handshakes(): Promise<number[]> };
  naive: AnchorChain;
  /** Undefined when the Go chain cannot be built here (`goSkipped` says why). */
  go?: AnchorChain;
  goSkipped?: string;
  anchorsNote: string;
  sandbox: Sandbox;
  clusterA: TeleportProc;
  appA: Started;
  appSandbox: Started;
  clusterB: TeleportProc;
  homeA: UserHome;
  homeB: UserHome;
  tshA: TshProxy;
  tshB: TshProxy;
  /** Every bench process by label (for CPU accounting and the noise check). */
  pids(): Record<string, number>;
  close(): Promise<void>;
}

/** The environment every child gets: nothing from the caller's AWS or Teleport settings. */
export function baseEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    LANG: 'C.UTF-8',
    NO_COLOR: '1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...extra,
  };
}

/** A CA and a leaf for 127.0.0.1 (RSA-2048, as the anchor used), made with the openssl CLI. */
function makeUpstreamCerts(dir: string): { caFile: string; keyFile: string; certFile: string } {
  const f = (n: string) => join(dir, n);
  const ossl = (args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  ossl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '2', '-subj', '/CN=tsh-aws bench upstream CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  ossl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('leaf.key'), '-out', f('leaf.csr'), '-subj', '/CN=127.0.0.1']);
  execFileSync('sh', ['-c', `printf '%s\\n' 'basicConstraints=CA:FALSE' 'keyUsage=critical,digitalSignature,keyEncipherment' 'extendedKeyUsage=serverAuth' 'subjectAltName=IP:127.0.0.1,DNS:localhost' 'subjectKeyIdentifier=hash' 'authorityKeyIdentifier=keyid' > "${f('leaf.ext')}"`]);
  ossl(['x509', '-req', '-in', f('leaf.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-set_serial', '2', '-out', f('leaf.pem'), '-days', '2', '-extfile', f('leaf.ext')]);
  return { caFile: f('ca.pem'), keyFile: f('leaf.key'), certFile: f('leaf.pem') };
}

function clusterYaml(dataDir: string, name: string, appsYaml?: string): string {
  return `version: v3
teleport:
  data_dir: ${dataDir}
auth_service:
  enabled: yes
  cluster_name: ${name}
  listen_addr: 127.0.0.1:0
  authentication:
    type: local
    second_factor: off
proxy_service:
  enabled: yes
  web_listen_addr: 127.0.0.1:0
ssh_service:
  enabled: no
${appsYaml ? `app_service:\n  enabled: yes\n  apps:\n${appsYaml}` : ''}`;
}

const appYaml = (name: string) => `  - name: ${name}\n    uri: https://console.aws.amazon.com/home/home\n`;

function must(r: { code: number; stdout: string; stderr: string }, what: string): string {
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/**
 * Starts everything; `procs` holds every process started (the caller stops them, also when this fails or is interrupted). `nodeArgs` (e.g. `--cpu-prof --cpu-prof-dir=DIR`) are
 * given to the chain's processes only: the teleport processes and the tsh proxies.
 */
export async function startWorld(log: (line: string) => void, procs: ProcessSet, opts: { nodeArgs?: string[]; anchors?: string; go?: boolean } = {}): Promise<World> {
  const nodeArgs = opts.nodeArgs ?? [];
  const root = await mkdtemp(join(tmpdir(), 'tsh-bench-'));
  const partial: Partial<World> = { root, procs };
  const closeAll = async () => {
    await procs.stopAll();
    await partial.sandbox?.close().catch(() => {});
    await rm(root, { recursive: true, force: true });
  };
  try {
    const opHome = join(root, 'operator');
    await mkdir(opHome, { recursive: true });
    const nothing = join(root, 'no-such-file');

    // Fake AWS upstream, its own process.
    const certDir = join(root, 'upstream');
    await mkdir(certDir);
    const certs = makeUpstreamCerts(certDir);
    const up = procs.start('upstream', process.execPath, [join(repoRoot, 'bench', 'upstream.mjs'), certs.keyFile, certs.certFile], { env: baseEnv(opHome), stdin: 'pipe' });
    const upPort = Number((await up.waitFor(/"port":(\d+)/, 10_000))[1]);
    const upstreamCa = await readFile(certs.caFile);
    partial.upstream = { proc: up, port: upPort, caFile: certs.caFile, handshakes: () => upstreamHandshakes(upPort, upstreamCa) };
    const upstreamUrl = `https://127.0.0.1:${upPort}`;
    log(`upstream on ${upstreamUrl} (pid ${up.pid})`);

    // The reference chains, on the same upstream.
    const anchors = anchorsDir(repoRoot, opts.anchors);
    partial.anchorsNote = anchors.note;
    const anchorCertDir = join(root, 'anchor-certs');
    await anchorCerts(anchors.dir, anchorCertDir);
    const anchorEnv = { ...baseEnv(opHome), NODE_PATH: join(repoRoot, 'node_modules') };
    const upstreamRef = { url: upstreamUrl, caFile: certs.caFile };
    partial.naive = await startAnchor(procs, 'naive', [process.execPath, join(anchors.dir, 'naive.js')], anchorCertDir, upstreamRef, anchorEnv, freePort);
    log(`plain Node chain up: hop1 on ${partial.naive.ports.hop1} (${anchors.note})`);
    const built = opts.go === false ? { skipped: 'left out (--no-go)' } : buildGoChain(anchors.dir, root);
    if (built.bin) {
      partial.go = await startAnchor(procs, 'go', [built.bin], anchorCertDir, upstreamRef, baseEnv(opHome), freePort);
      log(`Go chain up: hop1 on ${partial.go.ports.hop1}`);
    } else {
      partial.goSkipped = built.skipped;
      log(`Go chain SKIPPED: ${built.skipped}`);
    }

    // Local AWS (STS for AssumeRole; DynamoDB for the `tsh aws` start-up check).
    const sandbox = await startSandbox({ roles: [{ name: ROLE_NAME }] });
    partial.sandbox = sandbox;
    const agentEnv = (ddbEndpoint: string) =>
      baseEnv(opHome, {
        AWS_ENDPOINT_URL_DYNAMODB: ddbEndpoint,
        // The large-body runs: S3 downloads and uploads to the same fake upstream.
        AWS_ENDPOINT_URL_S3: upstreamUrl,
        AWS_ENDPOINT_URL_STS: sandbox.stsEndpoint,
        AWS_ACCESS_KEY_ID: sandbox.baseCredentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: sandbox.baseCredentials.secretAccessKey,
        AWS_REGION: 'us-east-1',
        AWS_CONFIG_FILE: nothing,
        AWS_SHARED_CREDENTIALS_FILE: nothing,
        AWS_EC2_METADATA_DISABLED: 'true',
        NODE_EXTRA_CA_CERTS: certs.caFile,
      });

    const startTeleport = async (name: string, yaml: (dataDir: string) => string, env: NodeJS.ProcessEnv, waitTunnel: boolean): Promise<TeleportProc> => {
      const dir = join(root, name);
      const dataDir = join(dir, 'data');
      await mkdir(dir, { recursive: true });
      const configPath = join(dir, 'teleport.yaml');
      await writeFile(configPath, yaml(dataDir));
      const proc = procs.start(name, process.execPath, [...nodeArgs, bin('teleport'), 'start', '-c', configPath], { env });
      const deadline = Date.now() + 60_000;
      let proxyAddr = '';
      for (;;) {
        if (proc.child.exitCode !== null) throw new Error(`${name} exited:\n${proc.logs()}`);
        try {
          proxyAddr = JSON.parse(await readFile(join(dataDir, 'process.json'), 'utf8')).web_addr;
          break;
        } catch {
          if (Date.now() > deadline) throw new Error(`${name} did not start:\n${proc.logs()}`);
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      // One process: the app service takes connections straight from the proxy (no tunnel).
      if (waitTunnel) await proc.waitFor(/tunnel to the proxy at .* is up|in the proxy's process is up/, 30_000);
      return { proc, configPath, dataDir, proxyAddr };
    };

    const tctl = (c: TeleportProc, args: string[]) => run(process.execPath, [bin('tctl'), '-c', c.configPath, ...args], { env: baseEnv(opHome) });

    const startAgent = async (cluster: TeleportProc, name: string, app: string, env: NodeJS.ProcessEnv): Promise<Started> => {
      const tok = JSON.parse(must(await tctl(cluster, ['tokens', 'add', '--type=app', `--app-name=${app}`, '--app-uri=https://console.aws.amazon.com/home/home', '--format', 'json']), 'tctl tokens add'));
      const dir = join(root, name);
      await mkdir(dir, { recursive: true });
      const tokenFile = join(dir, 'token');
      await writeFile(tokenFile, `${tok.token}\n`, { mode: 0o600 });
      const configPath = join(dir, 'teleport.yaml');
      await writeFile(configPath, seedAppServiceYaml({ dataDir: join(dir, 'data'), tokenFile, proxyAddr: cluster.proxyAddr, apps: appYaml(app) }));
      const proc = procs.start(name, process.execPath, [...nodeArgs, bin('teleport'), 'start', '-c', configPath, '--insecure'], { env });
      await proc.waitFor(/tunnel to the proxy at .* is up/, 30_000);
      return proc;
    };

    const addUser = async (c: TeleportProc, user: string) => {
      const out = JSON.parse(must(await tctl(c, ['users', 'add', user, '--roles=access', `--aws-role-arns=${ROLE_ARN}`, '--format', 'json']), 'tctl users add'));
      const token = String(out.invite_url).split('/').pop();
      // As the invite page does (second factor is off on the bench clusters).
      const web = new ApiClient({ addr: c.proxyAddr, insecure: true });
      try {
        await web.put('/v1/webapi/users/password/token', { token, password: PASSWORD });
      } finally {
        web.close();
      }
    };

    const userHome = async (name: string): Promise<UserHome> => {
      const home = join(root, name);
      await mkdir(home, { recursive: true });
      const awsConfig = join(home, 'aws-config');
      await writeFile(awsConfig, '[default]\nregion = us-east-1\n');
      return {
        home,
        env: baseEnv(home, {
          TELEPORT_HOME: join(home, '.tsh'),
          TSH_SECRET_STORE: 'file',
          // The Debian aws CLI first on PATH (another `aws` may come first on this machine).
          PATH: `/usr/bin:/bin:${process.env.PATH ?? ''}`,
          AWS_CONFIG_FILE: awsConfig,
          AWS_SHARED_CREDENTIALS_FILE: join(home, 'aws-credentials'),
          AWS_PAGER: '',
          AWS_MAX_ATTEMPTS: '1',
          AWS_EC2_METADATA_DISABLED: 'true',
        }),
      };
    };

    const tsh = (h: UserHome, args: string[], input?: string) => run(process.execPath, [bin('tsh'), ...args], { env: h.env, input });

    const login = async (h: UserHome, c: TeleportProc, user: string, apps: string[]) => {
      must(await tsh(h, ['login', `--proxy=${c.proxyAddr}`, `--user=${user}`, '--insecure'], `${PASSWORD}\n`), 'tsh login');
      for (const app of apps) must(await tsh(h, ['apps', 'login', '--aws-role', ROLE_NAME, app]), `tsh apps login ${app}`);
    };

    const startTshProxy = async (name: string, h: UserHome): Promise<TshProxy> => {
      const proc = procs.start(name, process.execPath, [...nodeArgs, bin('tsh'), 'proxy', 'aws', '--app', 'aws', '-f', 'json'], { env: h.env });
      await proc.waitFor(/"pid":\s*\d+[\s\S]*\}/, 30_000);
      const text = proc.logs();
      const json = JSON.parse(text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1));
      const u = new URL(json.HTTPS_PROXY);
      if (json.pid !== proc.pid) throw new Error(`${name}: tsh reports pid ${json.pid}, started ${proc.pid}`);
      return { proc, host: u.hostname, port: Number(u.port), caFile: json.AWS_CA_BUNDLE, accessKeyId: json.AWS_ACCESS_KEY_ID, secretAccessKey: json.AWS_SECRET_ACCESS_KEY };
    };

    // Topology (b): auth + proxy in one process, app services in their own.
    const clusterA = await startTeleport('cluster-a', (d) => clusterYaml(d, 'bench-a.example.com'), baseEnv(opHome), false);
    partial.clusterA = clusterA;
    log(`cluster A (auth+proxy) at ${clusterA.proxyAddr} (pid ${clusterA.proc.pid})`);
    const [appA, appSandbox] = await Promise.all([
      startAgent(clusterA, 'app-a', 'aws', agentEnv(upstreamUrl)),
      startAgent(clusterA, 'app-sandbox', 'sandbox', agentEnv(sandbox.dynamodbEndpoint)),
    ]);
    Object.assign(partial, { appA, appSandbox });
    log(`app service "aws" (pid ${appA.pid}) and "sandbox" (pid ${appSandbox.pid}) joined cluster A`);

    // Topology (c): auth + proxy + app service in one process.
    const clusterB = await startTeleport('cluster-b', (d) => clusterYaml(d, 'bench-b.example.com', appYaml('aws')), agentEnv(upstreamUrl), true);
    partial.clusterB = clusterB;
    log(`cluster B (auth+proxy+app) at ${clusterB.proxyAddr} (pid ${clusterB.proc.pid})`);

    await Promise.all([addUser(clusterA, 'alice'), addUser(clusterB, 'alice')]);
    const [homeA, homeB] = await Promise.all([userHome('home-a'), userHome('home-b')]);
    await Promise.all([login(homeA, clusterA, 'alice', ['aws', 'sandbox']), login(homeB, clusterB, 'alice', ['aws'])]);
    Object.assign(partial, { homeA, homeB });
    const [tshA, tshB] = await Promise.all([startTshProxy('tsh-proxy-a', homeA), startTshProxy('tsh-proxy-b', homeB)]);
    Object.assign(partial, { tshA, tshB });
    log(`tsh proxy aws: A on ${tshA.host}:${tshA.port} (pid ${tshA.proc.pid}), B on ${tshB.host}:${tshB.port} (pid ${tshB.proc.pid})`);

    const world: World = {
      ...(partial as World),
      pids: () => {
        const n = partial.naive!;
        const g = partial.go;
        return {
          orchestrator: process.pid,
          upstream: up.pid,
          tshA: tshA.proc.pid,
          clusterA: clusterA.proc.pid,
          appA: appA.pid,
          appSandbox: appSandbox.pid,
          tshB: tshB.proc.pid,
          clusterB: clusterB.proc.pid,
          naive1: n.hop1.pid,
          naive2: n.hop2.pid,
          naive3: n.hop3.pid,
          ...(g ? { go1: g.hop1.pid, go2: g.hop2.pid, go3: g.hop3.pid } : {}),
        };
      },
      close: closeAll,
    };
    return world;
  } catch (err) {
    await closeAll();
    throw err;
  }
}

/** A free port on 127.0.0.1 (for the reference chains, which take a port number). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** When the upstream set up each TLS connection so far (epoch ms; its own answer to this call included). */
function upstreamHandshakes(port: number, ca: Buffer): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const req = https.get({ host: '127.0.0.1', port, path: '/__stats', ca, servername: 'localhost', agent: false }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => {
        try {
          resolve((JSON.parse(text) as { handshakes: number[] }).handshakes);
        } catch (err) {
          reject(err);
        }
      });
    });
    req.on('error', reject);
  });
}
