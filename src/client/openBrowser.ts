/**
 * Opens a URL in the user's default browser: `open` on macOS, the URL
 * handler of Windows (what `start` runs, without cmd.exe, which would take
 * every `&` of the URL for a command separator), `xdg-open` elsewhere.
 * The program is spawned without a shell, the URL as one argument.
 */
import { spawn } from 'node:child_process';
import { TshError } from '../shared/errors.js';

/** The opener for a platform: program and arguments. */
export function browserCommand(url: string, platform: NodeJS.Platform = process.platform): [string, string[]] {
  if (platform === 'darwin') return ['open', [url]];
  if (platform === 'win32') return ['rundll32.exe', ['url.dll,FileProtocolHandler', url]];
  return ['xdg-open', [url]];
}

/** Runs the opener and waits for it; throws MISSING_PROGRAM or INTERNAL with a hint to print the URL instead. */
export function openBrowser(url: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const [program, args] = browserCommand(url);
  const hint = 'run the command again with --print and open the URL yourself';
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: 'inherit', env, shell: false });
    child.on('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'ENOENT' ? new TshError('MISSING_PROGRAM', `cannot open a browser: ${program} is not installed`, { hint }) : new TshError('INTERNAL', `cannot open a browser: ${err.message}`, { hint }));
    });
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new TshError('INTERNAL', `${program} could not open a browser (${signal ?? `exit code ${code}`})`, { hint }));
    });
  });
}
