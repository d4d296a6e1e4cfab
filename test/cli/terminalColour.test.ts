/**
 * Colour only where a person looks at a terminal: a real terminal (tmux)
 * gets colour on stdout and stderr; NO_COLOR, --no-color and pipes get none.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binPath } from '../helpers/binaries.js';

const ESC = '\u001b[';
let dir: string;
let home: string;
const socket = `tsh-colour-${process.pid}`;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsh-colour-'));
  home = join(dir, '.tsh');
  await mkdir(home, { recursive: true });
  // A profile is all `tsh status` reads.
  const profile = {
    name: 'proxy.example.com', webProxyAddr: 'proxy.example.com:3080', username: 'alice', cluster: 'example.com',
    roles: ['access'], traits: {}, awsRoleArns: [], validUntil: new Date(Date.now() + 3600e3).toISOString(),
    secretStore: 'file', apps: {},
  };
  await writeFile(join(home, 'proxy.example.com.json'), JSON.stringify(profile));
  await writeFile(join(home, 'current-profile'), 'proxy.example.com\n');
  // One idle session keeps the tmux server up between the tests' sessions.
  execFileSync('tmux', ['-L', socket, '-f', '/dev/null', 'new-session', '-d', '-s', 'anchor', 'sleep 600']);
});

after(async () => {
  try {
    execFileSync('tmux', ['-L', socket, 'kill-server'], { stdio: 'ignore' });
  } catch {
    /* no server left */
  }
  await rm(dir, { recursive: true, force: true });
});

/** Runs a shell command in a fresh tmux pane (a real pty) and returns the screen with its escape codes. */
function inTerminal(command: string, name: string): string {
  const done = join(dir, `${name}.done`);
  const env = `TELEPORT_HOME=${home} TERM=xterm-256color PATH=${process.env.PATH}`;
  execFileSync('tmux', ['-L', socket, '-f', '/dev/null', 'new-session', '-d', '-s', name, '-x', '160', '-y', '40', `env -u NO_COLOR ${env} sh -c '${command}; touch ${done}; sleep 30'`]);
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    try {
      execFileSync('test', ['-e', done]);
      break;
    } catch {
      execFileSync('sleep', ['0.1']);
    }
  }
  const screen = execFileSync('tmux', ['-L', socket, 'capture-pane', '-p', '-e', '-t', name]).toString();
  execFileSync('tmux', ['-L', socket, 'kill-session', '-t', name]);
  return screen;
}

const tsh = `node ${binPath('tsh')}`;

test('a terminal gets colour on stdout (status) and stderr (errors)', () => {
  const screen = inTerminal(`${tsh} status; TELEPORT_HOME=/nonexistent ${tsh} apps ls`, 'tty');
  assert.match(screen, /Logged in as:\s+alice/);
  assert.ok(screen.includes(ESC), 'escape codes on a terminal');
  assert.match(screen, /\u001b\[3[12]m/, 'green validity or red ERROR');
  assert.match(screen, /\u001b\[31mERROR:/);
});

test('NO_COLOR, --no-color and a pipe turn colour off', () => {
  const noColor = inTerminal(`NO_COLOR=1 ${tsh} status; NO_COLOR=1 TELEPORT_HOME=/nonexistent ${tsh} apps ls`, 'nocolor');
  assert.match(noColor, /Logged in as:\s+alice/);
  assert.match(noColor, /ERROR: Not logged in/);
  assert.ok(!noColor.includes(ESC), 'no escape codes with NO_COLOR');
  const flag = inTerminal(`${tsh} status --no-color; TELEPORT_HOME=/nonexistent ${tsh} apps ls --no-color`, 'flag');
  assert.match(flag, /ERROR: Not logged in/);
  assert.ok(!flag.includes(ESC), 'no escape codes with --no-color');
  const piped = inTerminal(`${tsh} status | cat; TELEPORT_HOME=/nonexistent ${tsh} apps ls 2>&1 | cat`, 'pipe');
  assert.match(piped, /Logged in as:\s+alice/);
  assert.ok(!piped.includes(ESC), 'no escape codes through a pipe');
});
