/**
 * Drives real shells (Debian's bash, zsh and fish) through the committed
 * completion scripts and returns what each offers for a line, as the words it
 * would put on the line. The line is completed at its end, as after a TAB.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout: the scripts under test are its committed completions/, the programs its bin/. */
export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
/** Put first on the shells' PATH: the scripts run `tsh __complete` by name. */
export const binDir = join(repoRoot, 'bin');
/** The committed scripts (what users install), not a fresh rendering. */
export const completionsDir = join(repoRoot, 'completions');
const captureZsh = fileURLToPath(new URL('./capture.zsh', import.meta.url));

/** Where a real shell binary is expected (the Debian packages). */
export const shellPaths = { bash: '/usr/bin/bash', zsh: '/usr/bin/zsh', fish: '/usr/bin/fish' } as const;
/** A shell the tests drive. */
export type ShellName = keyof typeof shellPaths;

/** What the test controls: TELEPORT_HOME, the directory files complete in, setup code for another program's completion. */
export interface DriveOptions {
  teleportHome: string;
  cwd: string;
  /** Shell code run after our script is loaded (e.g. the aws CLI's completion). */
  setup?: string;
  /** zsh: leave $fpath alone and install as documented for .zshrc, `source <(PROGRAM completion zsh)`. */
  zshSourced?: boolean;
}

function run(cmd: string, args: string[], opts: { env: NodeJS.ProcessEnv; cwd: string }): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: opts.env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr });
    });
  });
}

/** The environment of the shells: bin/ first on PATH, an empty HOME, no user configuration. */
export function shellEnv(o: DriveOptions, home: string): NodeJS.ProcessEnv {
  return {
    PATH: `${binDir}:/usr/bin:/bin`,
    HOME: home,
    TELEPORT_HOME: o.teleportHome,
    LANG: 'C.UTF-8',
    TERM: 'xterm',
    NO_COLOR: '1',
  };
}

const lines = (s: string) => s.split('\n').filter((l) => l !== '');

/**
 * bash: sources the script and calls the completion function as readline
 * does (COMP_LINE, COMP_POINT, COMP_WORDS, COMP_CWORD). bash replaces only the
 * text after the last COMP_WORDBREAKS character (`:` in an ARN, `=` in
 * `--format=`), so each reply gets that text back, as it appears on screen.
 */
async function bash(program: string, line: string, o: DriveOptions, home: string): Promise<string[]> {
  const script = `
source "$1" || exit 9
${o.setup ?? ''}
COMP_LINE=$2
COMP_POINT=\${#COMP_LINE}
COMP_WORDS=()
read -ra COMP_WORDS <<<"$COMP_LINE"
[[ $COMP_LINE == *' ' ]] && COMP_WORDS+=('')
COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 ))
spec=$(complete -p "\${COMP_WORDS[0]}") || exit 8
fn=\${spec#*-F }
fn=\${fn%% *}
"$fn" "\${COMP_WORDS[0]}" "\${COMP_WORDS[COMP_CWORD]}" "\${COMP_WORDS[COMP_CWORD-1]}"
cur=\${COMP_WORDS[COMP_CWORD]}
keep=\${cur%"\${cur##*[:=]}"}
for r in "\${COMPREPLY[@]}"; do printf '%s\\n' "$keep$r"; done
`;
  const r = await run(shellPaths.bash, ['--norc', '--noprofile', '-c', script, 'bash', join(completionsDir, `${program}.bash`), line], { env: shellEnv(o, home), cwd: o.cwd });
  if (r.code !== 0) throw new Error(`bash exited ${r.code}: ${r.stderr}`);
  return lines(r.stdout);
}

/** zsh: an interactive zsh in a zpty runs compinit with our _PROGRAM on $fpath (autoloaded); see capture.zsh. */
async function zsh(program: string, line: string, o: DriveOptions, home: string): Promise<string[]> {
  const fpathDir = join(home, 'zfunc');
  mkdirSync(fpathDir, { recursive: true });
  if (!o.zshSourced) copyFileSync(join(completionsDir, `${program}.zsh`), join(fpathDir, `_${program}`));
  const setup = [o.zshSourced ? `source <(${program} completion zsh)` : '', o.setup ?? ''].join('\n');
  const r = await run(shellPaths.zsh, ['-f', captureZsh, fpathDir, line, setup], { env: shellEnv(o, home), cwd: o.cwd });
  if (r.code !== 0) throw new Error(`zsh exited ${r.code}: ${r.stderr}`);
  return lines(r.stdout);
}

/** fish: sources the script and asks fish's completion engine (`complete -C LINE`); drops descriptions. */
async function fish(program: string, line: string, o: DriveOptions, home: string): Promise<string[]> {
  const script = `source $argv[1]; or exit 9\n${o.setup ?? ''}\ncomplete -C $argv[2]`;
  const r = await run(shellPaths.fish, ['--no-config', '-c', script, join(completionsDir, `${program}.fish`), line], { env: shellEnv(o, home), cwd: o.cwd });
  if (r.code !== 0) throw new Error(`fish exited ${r.code}: ${r.stderr}`);
  return lines(r.stdout).map((l) => l.split('\t')[0]);
}

/** What `shell` offers for `line` (e.g. `tsh apps lo`), with `program`'s committed script loaded. */
export async function complete(shell: ShellName, line: string, o: DriveOptions): Promise<string[]> {
  const program = line.split(' ')[0];
  const home = mkdtempSync(join(tmpdir(), `complete-${shell}-`));
  try {
    const drive = { bash, zsh, fish }[shell];
    return await drive(program, line, o, home);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** The aws CLI's completer from Debian's awscli, when installed. */
export const awsCompleter = '/usr/libexec/aws_completer';

/** Shell code registering the aws CLI's completion the way its documentation sets it up. */
export const awsCompletionSetup: Record<ShellName, string> = {
  bash: `complete -C ${awsCompleter} aws`,
  zsh: `autoload -U +X bashcompinit && bashcompinit && complete -C ${awsCompleter} aws`,
  fish: `complete -c aws -f -a '(begin; set -lx COMP_SHELL fish; set -lx COMP_LINE (commandline); ${awsCompleter} | string replace -r " \\$" ""; end)'`,
};

/** Shell code removing any completion for aws (Debian's awscli installs one for zsh: vendor-completions/_aws). */
export const noAwsCompletionSetup: Record<ShellName, string> = {
  bash: 'complete -r aws 2>/dev/null',
  zsh: 'compdef -d aws',
  fish: 'complete -c aws -e',
};

/** Writes a file, creating its directory. */
export function writeFileIn(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}
