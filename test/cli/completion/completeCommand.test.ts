/**
 * `tsh __complete`, the hidden command the scripts call on TAB: its output
 * format, silence on errors, and its cost. It must load no more than `tsh
 * version` does, apart from its own small module: no keychain, no AWS SDK,
 * no database driver, nothing from node_modules.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { binDir } from './shellDrivers.js';
import { arns, makeTeleportHome } from './teleportHomeFixture.js';

const fixture = makeTeleportHome();
const scratch = mkdtempSync(join(tmpdir(), 'complete-cmd-'));
after(() => {
  fixture.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});
const recordLoads = fileURLToPath(new URL('./recordLoads.mjs', import.meta.url));

function tsh(args: string[], opts: { record?: string; home?: string } = {}) {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: scratch, TELEPORT_HOME: opts.home ?? fixture.home, NO_COLOR: '1' };
  const pre = opts.record ? ['--import', recordLoads] : [];
  if (opts.record) env.RECORD_LOADS = opts.record;
  return spawnSync(process.execPath, [...pre, join(binDir, 'tsh'), ...args], { env, encoding: 'utf8' });
}

describe('tsh __complete', () => {
  it('prints VALUE<TAB>DESCRIPTION lines', () => {
    const r = tsh(['__complete', 'roles', 'aws']);
    assert.equal(r.status, 0);
    assert.equal(r.stderr, '');
    assert.equal(
      r.stdout,
      [
        `ExampleTeleportDynamoDBRole\t${arns.dynamo}`,
        `ReadOnly\t${arns.readOnlyDev}`,
        `${arns.dynamo}\tIAM role ExampleTeleportDynamoDBRole (account 123456789012)`,
        `${arns.readOnlyDev}\tIAM role ReadOnly (account 123456789012)`,
        '',
      ].join('\n'),
    );
  });

  it('prints nothing, and no error, for an unknown source or an empty TELEPORT_HOME', () => {
    const unknown = tsh(['__complete', 'users']);
    assert.deepEqual([unknown.status, unknown.stdout, unknown.stderr], [0, '', '']);
    const empty = tsh(['__complete', 'apps'], { home: join(scratch, 'nothing-here') });
    assert.deepEqual([empty.status, empty.stdout, empty.stderr], [0, '', '']);
  });

  it('leaves out names that would break a line apart', () => {
    const h = makeTeleportHome({ apps: {}, cache: { proxy: 'proxy.example.com', apps: [{ name: 'two words' }, { name: 'tab\there' }, { name: 'fine' }] } });
    try {
      assert.equal(tsh(['__complete', 'apps'], { home: h.home }).stdout, 'fine\n');
    } finally {
      h.cleanup();
    }
  });

  it('is hidden from help', () => {
    assert.doesNotMatch(tsh(['--help']).stdout, /__complete/);
  });

  it('loads nothing heavy: only what `tsh version` loads plus a few KB of its own', (t) => {
    const loads = (args: string[]) => {
      const file = join(scratch, `loads-${args[0]}.txt`);
      const r = tsh(args, { record: file });
      assert.equal(r.status, 0, r.stderr);
      return new Set(readFileSync(file, 'utf8').split('\n').filter(Boolean));
    };
    const version = loads(['version']);
    const complete = loads(['__complete', 'roles', 'aws']);
    const extra = [...complete].filter((u) => !version.has(u));
    t.diagnostic(`tsh __complete loads ${complete.size} modules; beyond tsh version: ${extra.map((u) => u.replace(/^.*\/dist\//, 'dist/')).join(', ')}`);
    for (const u of complete) {
      assert.doesNotMatch(u, /node_modules|keyring|aws-sdk|smithy|better-sqlite3|node-forge|\bpg\b/, `tsh __complete loaded ${u}`);
    }
    // Node built-ins for reading TELEPORT_HOME (tsh version needs none), and its own code and the few
    // small modules it shares (TELEPORT_HOME paths, ARN parsing): a few KB.
    for (const u of extra) assert.match(u, /^((cjs:)?node:|file:.*\/dist\/chunks\/)/, `tsh __complete loaded ${u}`);
    const bytes = extra.filter((u) => u.startsWith('file:')).reduce((n, u) => n + statSync(fileURLToPath(u)).size, 0);
    assert.ok(bytes < 16_000, `tsh __complete loads ${bytes} bytes of code beyond tsh version: ${extra.join(', ')}`);
  });

  it('costs about what `tsh version` costs (measured, not a timed test)', (t) => {
    const time = (args: string[]) => {
      const runs: number[] = [];
      for (let i = 0; i < 7; i++) {
        const start = process.hrtime.bigint();
        tsh(args);
        runs.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
      return runs.sort((a, b) => a - b)[3];
    };
    const complete = time(['__complete', 'roles', 'aws']);
    const version = time(['version']);
    t.diagnostic(`median of 7: tsh __complete roles aws ${complete.toFixed(0)} ms, tsh version ${version.toFixed(0)} ms`);
  });
});
