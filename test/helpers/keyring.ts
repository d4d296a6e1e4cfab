/**
 * Runs shell scripts against a throwaway Secret Service (or deliberately
 * without one), so keychain tests never touch the developer's own keyring and
 * never depend on whatever bus the test runner happens to inherit.
 *
 * Each run gets a fresh HOME and XDG directories (0700) in a temp dir, a
 * minimal environment (PATH, HOME, XDG_*, plus what the caller passes), the
 * repository root as working directory (so `node --import tsx` resolves), and
 * is cleaned up afterwards, leftover daemons included. Needs Linux,
 * dbus-run-session and gnome-keyring-daemon.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What a run printed and how it ended. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The state of the Secret Service a script meets:
 * - unlocked: a login keyring created and unlocked with a random password (the normal desktop case);
 * - absent: a session bus, but no keyring was ever created (set fails with "no result found");
 * - locked: a login keyring exists from an earlier session but nobody unlocked it (no prompt is possible headless).
 */
export type KeyringState = 'unlocked' | 'absent' | 'locked';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// The password arrives as $1 (never in the environment) and is dropped before the script runs.
const UNLOCK = 'printf %s "$1" | gnome-keyring-daemon --unlock --components=secrets >/dev/null || exit 97';

/** Runs script under `dbus-run-session` with a Secret Service in the given state (default unlocked). */
export async function runInKeyringSession(
  script: string,
  env: Record<string, string>,
  opts: { keyring?: KeyringState } = {},
): Promise<RunResult> {
  const state = opts.keyring ?? 'unlocked';
  const password = randomBytes(12).toString('hex');
  const session = (body: string) => ['dbus-run-session', '--', 'sh', '-c', body, 'sh', password];
  return withSandbox(env, async (baseEnv) => {
    if (state === 'locked') {
      // First session creates the login keyring; the script's session then finds it locked.
      const made = await run(session(`${UNLOCK}\nexit 0`), baseEnv);
      if (made.code !== 0) throw new Error(`could not create a keyring: ${made.stderr}`);
    }
    return run(session(`${state === 'unlocked' ? UNLOCK : ''}\nset --\n${script}`), baseEnv);
  });
}

/** Runs script with no session bus at all (DBUS_SESSION_BUS_ADDRESS unset, empty XDG_RUNTIME_DIR): a headless box. */
export async function runWithoutSessionBus(script: string, env: Record<string, string>): Promise<RunResult> {
  return withSandbox(env, (baseEnv) => run(['sh', '-c', script], baseEnv));
}

async function withSandbox(env: Record<string, string>, fn: (env: Record<string, string>) => Promise<RunResult>) {
  const dir = await mkdtemp(join(tmpdir(), 'tsh-keyring-'));
  try {
    const baseEnv: Record<string, string> = { PATH: `${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin` };
    const dirs = { HOME: 'home', XDG_RUNTIME_DIR: 'run', XDG_DATA_HOME: 'data', XDG_CONFIG_HOME: 'config', XDG_CACHE_HOME: 'cache' };
    for (const [name, sub] of Object.entries(dirs)) {
      baseEnv[name] = join(dir, sub);
      await mkdir(baseEnv[name], { mode: 0o700 });
    }
    return await fn({ ...baseEnv, ...env });
  } finally {
    await endLeftovers(join(dir, 'home'));
    await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  }
}

/**
 * Ends the processes a run left behind, found by the sandbox HOME in their
 * environment, so only ours. A gnome-keyring-daemon that starts less than
 * about a second before its bus closes (a short script, or one D-Bus
 * auto-activated) misses the disconnect and would otherwise live on.
 */
async function endLeftovers(home: string): Promise<void> {
  const marker = Buffer.from(`\0HOME=${home}\0`);
  const pids: number[] = [];
  for (const name of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    const environ = await readFile(`/proc/${name}/environ`).catch(() => undefined);
    if (environ && Buffer.concat([Buffer.from([0]), environ]).includes(marker)) pids.push(Number(name));
  }
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  // Gone, or a zombie waiting for init to reap it.
  const alive = async (pid: number) => {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    return stat !== '' && stat[stat.lastIndexOf(')') + 2] !== 'Z';
  };
  for (let i = 0; i < 40 && (await Promise.all(pids.map(alive))).some(Boolean); i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
}

function run(argv: string[], env: Record<string, string>): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
  });
}
