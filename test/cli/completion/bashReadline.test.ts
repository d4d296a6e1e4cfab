/**
 * bash as a user has it: an interactive bash in a tmux pane sources
 * completions/tsh.bash, keys are typed with TAB, and the test reads the
 * screen. This is readline itself splitting words (ARNs hold ':', which bash
 * treats as a word break) and inserting what the script returns.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { arns, makeTeleportHome, type FixtureHome } from './teleportHomeFixture.js';
import { binDir, completionsDir, shellPaths } from './shellDrivers.js';

const tmuxPath = '/usr/bin/tmux';
const missing = !existsSync(tmuxPath) ? `${tmuxPath} is not installed` : !existsSync(shellPaths.bash) ? `${shellPaths.bash} is not installed` : false;

describe('bash readline in a terminal (tmux)', { skip: missing }, () => {
  let dir: string;
  let socket: string;
  let fixture: FixtureHome;
  const tmux = (...args: string[]) => execFileSync(tmuxPath, ['-S', socket, ...args], { encoding: 'utf8' });
  const screen = () => tmux('capture-pane', '-p', '-t', 'main').split('\n').filter((l) => l.trim() !== '');
  const lastLine = () => screen().at(-1) ?? '';

  /** Waits until the screen satisfies `ok`, or fails showing the screen. */
  async function waitFor(ok: () => boolean, what: string): Promise<void> {
    for (let i = 0; i < 200; i++) {
      if (ok()) return;
      await sleep(50);
    }
    assert.fail(`timed out waiting for ${what}; the screen:\n${screen().join('\n')}`);
  }

  /** Clears the line, types `keys` then TAB, and waits for the line to read `expectLast`. */
  async function typeAndTab(keys: string, expectLast: string): Promise<void> {
    tmux('send-keys', '-t', 'main', 'C-u');
    tmux('send-keys', '-t', 'main', '-l', keys);
    tmux('send-keys', '-t', 'main', 'Tab');
    await waitFor(() => lastLine() === expectLast, JSON.stringify(expectLast));
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'completion-tmux-'));
    socket = join(dir, 'tmux.sock');
    fixture = makeTeleportHome();
    const env = [`PATH=${binDir}:/usr/bin:/bin`, `HOME=${dir}`, `TELEPORT_HOME=${fixture.home}`, 'NO_COLOR=1', 'LANG=C.UTF-8', 'TERM=screen'];
    // The environment goes on the shell's command line: tmux gives a new session the server's PATH, whatever -e says.
    execFileSync(tmuxPath, ['-S', socket, '-f', '/dev/null', 'new-session', '-d', '-s', 'main', '-x', '200', '-y', '40', `env -i ${env.join(' ')} ${shellPaths.bash} --norc --noprofile`], {
      env: { PATH: '/usr/bin:/bin', HOME: dir, TERM: 'xterm' },
    });
    tmux('send-keys', '-t', 'main', '-l', `PS1='$ '; source ${join(completionsDir, 'tsh.bash')}; clear`);
    tmux('send-keys', '-t', 'main', 'Enter');
    await waitFor(() => lastLine() === '$', 'the prompt');
  });
  after(() => {
    try {
      tmux('kill-server');
    } catch {
      // already gone
    }
    fixture.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('tsh ap<TAB> completes to `tsh apps`', async () => {
    await typeAndTab('tsh ap', '$ tsh apps');
  });

  it('tsh apps lo<TAB> completes `log`, <TAB><TAB> lists login and logout', async () => {
    await typeAndTab('tsh apps lo', '$ tsh apps log');
    // Readline lists on a TAB after a TAB that changed nothing.
    tmux('send-keys', '-t', 'main', 'Tab', 'Tab');
    await waitFor(() => screen().some((l) => /^login\s+logout$/.test(l.trim())), 'the list of login and logout');
  });

  it('an IAM role ARN completes through its colons', async () => {
    // Both roles of app aws are in account 123456789012: TAB completes the common part, then the name.
    await typeAndTab('tsh apps login aws --aws-role arn:aws:iam::1', '$ tsh apps login aws --aws-role arn:aws:iam::123456789012:role/');
    tmux('send-keys', '-t', 'main', '-l', 'E');
    tmux('send-keys', '-t', 'main', 'Tab');
    await waitFor(() => lastLine() === `$ tsh apps login aws --aws-role ${arns.dynamo}`, 'the whole ARN');
  });

  it('--format=<TAB> completes the value after the =', async () => {
    await typeAndTab('tsh status --format=y', '$ tsh status --format=yaml');
  });
});
