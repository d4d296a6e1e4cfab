/**
 * The two reference chains the ratio targets are stated against, started
 * beside the product on the same upstream (see bench/anchors/README.md):
 *
 *   naive   node naive.js hop1 -> hop2 -> hop3 -> upstream     (plain Node, undici pools, smithy signer)
 *   go      gochain      hop1 -> hop2 -> hop3 -> upstream     (net/http, the Go SDK's signer)
 *
 * Where they come from: bench/anchors/ holds a copy of the team's reference
 * chains (shared/reference/chains), so that the bench runs from any clean
 * clone; `--anchors DIR` or TSH_BENCH_ANCHORS runs another copy instead (the
 * shared one, say). The Go chain is built at start (offline, from Debian's
 * golang-go and golang-github-aws-aws-sdk-go-v2-dev, as scripts/setup.sh
 * installs them); without them it is skipped and the bench says why.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ProcessSet, Started } from './processes.js';

/** One running reference chain. */
export interface AnchorChain {
  hop1: Started;
  hop2: Started;
  hop3: Started;
  /** hop1's CONNECT proxy port, and hop2's and hop3's listening ports (the chain's legs). */
  ports: { hop1: number; hop2: number; hop3: number };
  /** The CA the client trusts (it signed hop1's leaf for the AWS host). */
  caFile: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

/** The keys naive.js and gochain check client signatures against (fixed in their source). */
const ANCHOR_KEYS = { accessKeyId: 'AKIDNAIVECHAIN000001', secretAccessKey: 'naive-chain-secret' };
const GO_SDK = '/usr/share/gocode/src/github.com/aws/aws-sdk-go-v2/aws/signer/v4';

/** The directory the anchors are run from, and whether it matches the team's shared copy (when that is beside the checkout). */
export function anchorsDir(repoRoot: string, override?: string): { dir: string; note: string } {
  const dir = resolve(override || process.env.TSH_BENCH_ANCHORS || join(repoRoot, 'bench', 'anchors'));
  const shared = resolve(repoRoot, '..', 'shared', 'reference', 'chains');
  let note = `anchors from ${dir}`;
  if (dir !== shared && existsSync(join(shared, 'naive.js'))) {
    const same = ['naive.js', 'naive-certs.sh', join('gochain', 'main.go')].every((f) => existsSync(join(dir, f)) && readFileSync(join(dir, f)).equals(readFileSync(join(shared, f))));
    note += same ? ' (identical to the shared reference copy)' : ` (DIFFERS from ${shared}: figures may not compare with the reference)`;
  }
  return { dir, note };
}

/** Builds the Go chain into `outDir`; returns the binary, or why it cannot be built here. */
export function buildGoChain(dir: string, outDir: string): { bin?: string; skipped?: string } {
  try {
    execFileSync('go', ['version'], { stdio: 'ignore' });
  } catch {
    return { skipped: '`go` is not installed (apt-get install golang-go golang-github-aws-aws-sdk-go-v2-dev, or bash scripts/setup.sh)' };
  }
  if (!existsSync(GO_SDK)) return { skipped: `the Go SDK's signer is not at ${GO_SDK} (apt-get install golang-github-aws-aws-sdk-go-v2-dev)` };
  const bin = join(outDir, 'gochain');
  try {
    execFileSync('go', ['build', '-o', bin, '.'], {
      cwd: join(dir, 'gochain'),
      // A build cache that outlives the run: later runs link in a second instead of compiling the SDK again.
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tmpdir(), GO111MODULE: 'off', GOPATH: '/usr/share/gocode', GOCACHE: join(tmpdir(), 'tsh-bench-gocache'), GOFLAGS: '-mod=mod' },
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 300_000,
    });
  } catch (err) {
    return { skipped: `the Go chain did not build: ${String((err as { stderr?: Buffer }).stderr ?? err).trim().split('\n').slice(0, 3).join(' ')}` };
  }
  return { bin };
}

/** Makes the anchors' certificates (their own script) in `certDir`. */
export async function anchorCerts(dir: string, certDir: string): Promise<void> {
  await mkdir(certDir, { recursive: true });
  execFileSync('bash', [join(dir, 'naive-certs.sh'), certDir], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/**
 * Starts one chain, hop3 first (each hop names the next), on free ports. `argv0`
 * is the command before the hop's arguments (`node naive.js`, or the Go binary).
 */
export async function startAnchor(
  procs: ProcessSet,
  name: string,
  argv0: string[],
  certDir: string,
  upstream: { url: string; caFile: string },
  env: NodeJS.ProcessEnv,
  freePort: () => Promise<number>,
): Promise<AnchorChain> {
  const [p1, p2, p3] = [await freePort(), await freePort(), await freePort()];
  const start = async (hop: string, port: number, next: string, extra: string[] = []) => {
    const p = procs.start(`${name}-${hop}`, argv0[0], [...argv0.slice(1), hop, String(port), certDir, next, ...extra], { env });
    await p.waitFor(/READY/, 20_000);
    return p;
  };
  const hop3 = await start('hop3', p3, upstream.url, [upstream.caFile]);
  const hop2 = await start('hop2', p2, `http://127.0.0.1:${p3}`);
  const hop1 = await start('hop1', p1, `https://127.0.0.1:${p2}`);
  return { hop1, hop2, hop3, ports: { hop1: p1, hop2: p2, hop3: p3 }, caFile: join(certDir, 'ca.crt'), credentials: ANCHOR_KEYS };
}
