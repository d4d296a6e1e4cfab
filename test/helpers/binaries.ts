/**
 * Runs the built programs (bin/tsh, bin/tctl, bin/teleport) as a user would,
 * with a controlled environment. `npm test` builds first.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const binPath = (name: 'tsh' | 'tctl' | 'teleport') => join(repoRoot, 'bin', name);

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * A clean environment for a child: PATH and HOME plus what the test adds; no ambient AWS or Teleport
 * settings (not even the AWS SDK's warning switch: the programs set it themselves at start-up).
 */
export function cleanEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    LANG: 'C.UTF-8',
    NO_COLOR: '1',
  };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  return env;
}

/**
 * Runs any program to completion, feeding `input` on stdin (none: stdin is
 * closed at once), and kills it past `timeoutMs`. A signal's death is 128.
 */
export function runProgram(command: string, args: string[], opts: { env: NodeJS.ProcessEnv; input?: string; cwd?: string; timeoutMs?: number }): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: opts.env, cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} timed out\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, opts.timeoutMs ?? 60_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    // A program that exits before reading its input (at once, on a usage error) closes the pipe: not an error here.
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');
  });
}

/** Runs tsh, tctl or teleport from bin/ (as a user would). */
export function runBin(name: 'tsh' | 'tctl' | 'teleport', args: string[], opts: { env: Record<string, string>; input?: string; cwd?: string; timeoutMs?: number }): Promise<RunResult> {
  return runProgram(process.execPath, [binPath(name), ...args], opts);
}

/** Runs a shell script (bash -c) with the given env; for steps written as the guide writes them. */
export function runShell(script: string, opts: { env: Record<string, string>; cwd?: string; timeoutMs?: number }): Promise<RunResult> {
  return runProgram('bash', ['-c', script], opts);
}
