/**
 * completions/ holds the generated scripts, committed: they must be what the
 * current command trees generate (run `npm run completions` after changing a
 * command), and `tsh completion SHELL` / `tctl completion SHELL` must print
 * exactly them.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { completionFiles } from '../../../src/cli/completion/files.js';
import { binDir, completionsDir } from './shellDrivers.js';

const expected = completionFiles();

describe('committed completion scripts', () => {
  it('are the eight scripts, nothing else', () => {
    assert.deepEqual(Object.keys(expected).sort(), ['tctl.bash', 'tctl.fish', 'tctl.ps1', 'tctl.zsh', 'tsh.bash', 'tsh.fish', 'tsh.ps1', 'tsh.zsh']);
    assert.deepEqual(readdirSync(completionsDir).sort(), Object.keys(expected).sort());
  });

  for (const [name, text] of Object.entries(expected)) {
    it(`completions/${name} is up to date (else run: npm run completions)`, () => {
      const committed = readFileSync(join(completionsDir, name), 'utf8');
      // Not deepEqual on 20 KB of text: name the first line that differs.
      const a = committed.split('\n');
      const b = text.split('\n');
      const at = a.findIndex((line, i) => line !== b[i]);
      assert.ok(committed === text, `completions/${name} is stale at line ${at + 1}:\n  committed: ${a[at]}\n  generated: ${b[at]}\nrun: npm run completions`);
    });
  }

  for (const name of Object.keys(expected)) {
    const [program, extension] = name.split('.');
    const shell = extension === 'ps1' ? 'powershell' : extension;
    it(`\`${program} completion ${shell}\` prints completions/${name}`, () => {
      const out = execFileSync(process.execPath, [join(binDir, program), 'completion', shell], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1' } });
      assert.equal(out, expected[name]);
    });
  }
});
