/** The services' log lines: text for people, JSON for collectors, from the severity asked for up, never with secrets in URLs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, logWriter } from '../../src/cluster/logger.js';

function capture(opts: Parameters<typeof createLogger>[0]) {
  const lines: string[] = [];
  return { log: createLogger({ ...opts, write: (l) => lines.push(l) }), lines };
}

test('JSON lines carry timestamp, level, component and message, and nothing else', () => {
  const { log, lines } = capture({ format: 'json' });
  log.info('APP', 'tunnel to the proxy at "p:3080" is up');
  log.warn('PROXY', 'careful');
  log.error('AUTH', 'broken\nacross lines');
  assert.equal(lines.length, 3);
  for (const line of lines) {
    assert.ok(line.endsWith('}\n') && line.indexOf('\n') === line.length - 1, 'one line per event');
    const e = JSON.parse(line);
    assert.deepEqual(Object.keys(e), ['timestamp', 'level', 'component', 'message']);
    assert.ok(!Number.isNaN(Date.parse(e.timestamp)));
  }
  assert.deepEqual(lines.map((l) => JSON.parse(l).level), ['info', 'warn', 'error']);
  assert.equal(JSON.parse(lines[0]).message, 'tunnel to the proxy at "p:3080" is up');
});

test('text lines, and debug lines only at debug severity', () => {
  const quiet = capture({});
  quiet.log.debug('APP', 'hidden');
  quiet.log.info('APP', 'shown');
  assert.equal(quiet.lines.length, 1);
  assert.match(quiet.lines[0], /^\d{4}-\d\d-\d\dT\S+Z INFO  \[APP\] shown\n$/);
  const loud = capture({ severity: 'debug' });
  loud.log.debug('APP', 'seen');
  assert.equal(loud.lines.length, 1);
  const errorsOnly = capture({ severity: 'error' });
  errorsOnly.log.warn('APP', 'no');
  errorsOnly.log.error('APP', 'yes');
  assert.equal(errorsOnly.lines.length, 1);
});

test('signatures and tokens in URLs are masked in both formats', () => {
  for (const format of ['text', 'json'] as const) {
    const { log, lines } = capture({ format });
    log.info('PROXY', 'GET /v1/webapi/users/password/token/0123456789abcdef?X-Amz-Signature=deadbeef&X-Amz-Security-Token=SECRET');
    assert.doesNotMatch(lines[0], /0123456789abcdef|deadbeef|SECRET/);
  }
});

test('log output: a file is appended to, 0600; syslog and an unwritable path are refused by name', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'logger-test-'));
  try {
    const file = join(dir, 'teleport.log');
    const write = logWriter(file);
    write('one\n');
    write('two\n');
    const deadline = Date.now() + 10_000;
    while (readFileSync(file, 'utf8') !== 'one\ntwo\n' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(readFileSync(file, 'utf8'), 'one\ntwo\n');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.throws(() => logWriter('syslog'), /teleport\.log\.output "syslog" is not supported/);
    assert.throws(() => logWriter(join(dir, 'missing', 'x.log')), /cannot open the log file .*missing\/x\.log.*ENOENT/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
