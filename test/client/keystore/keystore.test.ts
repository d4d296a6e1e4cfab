/**
 * Where tsh keeps its secrets: the OS keychain under a real (throwaway)
 * gnome-keyring, the fallback to 0600 files when there is no session bus, the
 * TSH_SECRET_STORE switch, and the file store's permissions and atomicity.
 *
 * Keychain cases run a small driver in a child process (`node --import tsx`)
 * inside a sandboxed D-Bus session, so they never touch a real keyring.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { openFileStore } from '../../../src/client/keystore/fileStore.js';
import { openSecretStore } from '../../../src/client/keystore/openSecretStore.js';
import { TshError } from '../../../src/shared/errors.js';
import { runInKeyringSession, runWithoutSessionBus, type RunResult } from '../../helpers/keyring.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const ACCOUNT = 'keys/proxy.example.com/alice';
const APP_ACCOUNT = 'keys/proxy.example.com/alice-app/cluster/aws';

// The real keychain is a required part (scripts/setup.sh installs it): no silent skip when it is missing.
const needsKeyring = {};

let scratch: string;
let driver: string;

before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'tsh-keystore-test-'));
  driver = join(scratch, 'driver.mjs');
  // Runs a JSON list of store operations in a fresh process and prints one "RESULT <json>" line.
  const moduleUrl = pathToFileURL(join(repoRoot, 'src/client/keystore/openSecretStore.ts')).href;
  await writeFile(
    driver,
    `import { openSecretStore } from ${JSON.stringify(moduleUrl)};
const stores = new Map();
const results = [];
for (const op of JSON.parse(process.argv[2])) {
  try {
    if (op.op === 'open') {
      const { store, fallbackReason } = await openSecretStore({ home: op.home, prefer: op.prefer });
      stores.set(op.home, store);
      results.push({ kind: store.kind, description: store.description, fallbackReason: fallbackReason ?? null });
    } else if (op.op === 'set') results.push((await stores.get(op.home).set(op.account, op.secret)) ?? null);
    else if (op.op === 'get') results.push((await stores.get(op.home).get(op.account)) ?? null);
    else if (op.op === 'delete') results.push(await stores.get(op.home).delete(op.account));
    else throw new Error('unknown op ' + op.op);
  } catch (err) {
    results.push({ error: { name: err.name, code: err.code, message: err.message, hint: err.hint ?? null } });
  }
}
console.log('RESULT ' + JSON.stringify(results));
`,
  );
});

after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

type Op =
  | { op: 'open'; home: string; prefer?: string }
  | { op: 'set'; home: string; account: string; secret: string }
  | { op: 'get' | 'delete'; home: string; account: string };

/** The shell line that runs the driver on the ops in env var `name`. */
const runDriver = (name: string) => `node --import tsx "$DRIVER" "$${name}"`;

/** Every RESULT line a run printed, in order; fails with the run's output when there are not `count`. */
function results(run: RunResult, count: number): any[][] {
  const lines = run.stdout.split('\n').filter((l) => l.startsWith('RESULT '));
  assert.equal(lines.length, count, `expected ${count} driver results\nstdout: ${run.stdout}\nstderr: ${run.stderr}`);
  return lines.map((l) => JSON.parse(l.slice('RESULT '.length)));
}

/** A PEM-looking secret with a unique marker to search for. */
function secret(): { value: string; marker: string } {
  const marker = randomBytes(16).toString('hex');
  return { marker, value: `-----BEGIN PRIVATE KEY-----\n${marker}\n-----END PRIVATE KEY-----\n` };
}

/** Files under dir (recursively) whose bytes contain needle. */
async function filesContaining(dir: string, needle: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isFile() && (await readFile(path)).includes(needle)) found.push(path);
  }
  return found;
}

async function freshDir(name: string): Promise<string> {
  return mkdtemp(join(scratch, `${name}-`));
}

const mode = async (path: string) => (await stat(path)).mode & 0o777;

describe('OS keychain (Secret Service) under a throwaway gnome-keyring', needsKeyring, () => {
  test('round-trips, keeps homes apart, is visible to secret-tool and writes nothing under the home', async () => {
    // Two TELEPORT_HOMEs outside the session's HOME, so they survive the session and can be searched.
    const homeA = await freshDir('home-a');
    const homeB = await freshDir('home-b');
    const a = secret();
    const b = secret();
    const first: Op[] = [
      { op: 'open', home: homeA },
      { op: 'set', home: homeA, account: APP_ACCOUNT, secret: a.value },
      { op: 'get', home: homeA, account: APP_ACCOUNT },
      { op: 'open', home: homeB },
      { op: 'get', home: homeB, account: APP_ACCOUNT },
      { op: 'set', home: homeB, account: APP_ACCOUNT, secret: b.value },
      { op: 'get', home: homeA, account: APP_ACCOUNT },
      { op: 'get', home: homeB, account: APP_ACCOUNT },
    ];
    // A second process: the entries persist, and deleting one home's entry leaves the other's.
    const second: Op[] = [
      { op: 'open', home: homeA },
      { op: 'get', home: homeA, account: APP_ACCOUNT },
      { op: 'delete', home: homeA, account: APP_ACCOUNT },
      { op: 'get', home: homeA, account: APP_ACCOUNT },
      { op: 'delete', home: homeA, account: APP_ACCOUNT },
      { op: 'open', home: homeB },
      { op: 'get', home: homeB, account: APP_ACCOUNT },
    ];
    const run = await runInKeyringSession(
      `${runDriver('OPS1')} || exit 1
echo '--- secret-tool ---'
secret-tool search --all service tsh-aws 2>&1
echo '--- end ---'
${runDriver('OPS2')}`,
      { DRIVER: driver, OPS1: JSON.stringify(first), OPS2: JSON.stringify(second) },
    );
    assert.equal(run.code, 0, run.stderr);
    const [r1, r2] = results(run, 2);

    assert.deepEqual(r1[0], { kind: 'keychain', description: 'OS keychain (Secret Service)', fallbackReason: null });
    assert.equal(r1[2], a.value);
    assert.equal(r1[3].kind, 'keychain');
    assert.equal(r1[4], null, "home B must not see home A's entry");
    assert.equal(r1[6], a.value, "home B's write must not replace home A's entry");
    assert.equal(r1[7], b.value);

    const listing = run.stdout.split('--- secret-tool ---')[1].split('--- end ---')[0];
    assert.ok(listing.includes(`attribute.username = ${homeA}|${APP_ACCOUNT}`), listing);
    assert.ok(listing.includes(`attribute.username = ${homeB}|${APP_ACCOUNT}`), listing);
    assert.ok(listing.includes(a.marker) && listing.includes(b.marker), listing);
    assert.ok(!listing.includes('.probe-'), `the usability probe left its canary behind:\n${listing}`);

    assert.equal(r2[0].kind, 'keychain');
    assert.equal(r2[1], a.value, 'entries persist across processes');
    assert.equal(r2[2], true);
    assert.equal(r2[3], null);
    assert.equal(r2[4], false, 'a second delete removes nothing');
    assert.equal(r2[6], b.value, "deleting home A's entry leaves home B's");

    for (const home of [homeA, homeB]) {
      for (const { marker } of [a, b]) assert.deepEqual(await filesContaining(home, marker), [], `secret written under ${home}`);
    }
  });

  for (const keyring of ['absent', 'locked'] as const) {
    test(`a session bus with the keyring ${keyring}: auto falls back to files, keychain is a CONFIG error`, async () => {
      const home = await freshDir(`home-${keyring}`);
      const ops: Op[] = [
        { op: 'open', home },
        { op: 'set', home, account: ACCOUNT, secret: 'x' },
        { op: 'open', home, prefer: 'keychain' },
      ];
      const run = await runInKeyringSession(runDriver('OPS'), { DRIVER: driver, OPS: JSON.stringify(ops) }, { keyring });
      const [r] = results(run, 1);
      assert.equal(r[0].kind, 'file');
      assert.match(r[0].fallbackReason, /^no OS keychain is usable \(Secret Service: \S[^\n]*\); keys are kept in 0600 files under /);
      assert.equal(await readFile(join(home, ACCOUNT), 'utf8'), 'x');
      assert.equal(r[2].error?.code, 'CONFIG', JSON.stringify(r[2]));
    });
  }
});

describe('no session bus (headless, DBUS_SESSION_BUS_ADDRESS unset)', () => {
  test('auto falls back to 0600 files in 0700 directories, with a one-line reason', async () => {
    const home = join(await freshDir('nobus'), '.tsh'); // does not exist yet: the store makes it
    const s = secret();
    const ops: Op[] = [
      { op: 'open', home },
      { op: 'set', home, account: APP_ACCOUNT, secret: s.value },
      { op: 'get', home, account: APP_ACCOUNT },
    ];
    const run = await runWithoutSessionBus(runDriver('OPS'), { DRIVER: driver, OPS: JSON.stringify(ops) });
    const [r] = results(run, 1);
    assert.equal(r[0].kind, 'file');
    assert.equal(r[0].description, `0600 files under ${home}`);
    assert.match(r[0].fallbackReason, /^no OS keychain is usable \(Secret Service: [^\n]*DBUS_SESSION_BUS_ADDRESS[^\n]*\); keys are kept in 0600 files under /);
    assert.ok(r[0].fallbackReason.endsWith(` under ${home}`), r[0].fallbackReason);
    assert.equal(r[2], s.value);

    assert.equal(await readFile(join(home, APP_ACCOUNT), 'utf8'), s.value);
    assert.equal(await mode(join(home, APP_ACCOUNT)), 0o600);
    for (let dir = dirname(join(home, APP_ACCOUNT)); dir.startsWith(home); dir = dirname(dir)) {
      assert.equal(await mode(dir), 0o700, `${dir} should be 0700`);
    }
  });

  test('TSH_SECRET_STORE=keychain is a CONFIG error with a hint', async () => {
    const home = await freshDir('nobus-forced');
    const run = await runWithoutSessionBus(runDriver('OPS'), {
      DRIVER: driver,
      OPS: JSON.stringify([{ op: 'open', home }]),
      TSH_SECRET_STORE: 'keychain',
    });
    const [[r]] = results(run, 1);
    assert.equal(r.error?.code, 'CONFIG', JSON.stringify(r));
    assert.match(r.error.message, /OS keychain is required, but it is not usable \(Secret Service: /);
    assert.match(r.error.hint, /TSH_SECRET_STORE=auto or file/);
    assert.deepEqual(await readdir(home), [], 'nothing may be written when the keychain was required');
  });
});

describe('choosing the store', () => {
  const saved = process.env.TSH_SECRET_STORE;
  after(() => {
    if (saved === undefined) delete process.env.TSH_SECRET_STORE;
    else process.env.TSH_SECRET_STORE = saved;
  });

  test('an invalid TSH_SECRET_STORE is a USAGE error naming the value and the choices', async () => {
    process.env.TSH_SECRET_STORE = 'vault';
    await assert.rejects(openSecretStore({ home: scratch }), (err: unknown) => {
      assert.ok(err instanceof TshError);
      assert.equal(err.code, 'USAGE');
      assert.match(err.message, /"vault"/);
      assert.match(err.message, /auto, keychain, file/);
      return true;
    });
  });

  test('an invalid prefer is a USAGE error too', async () => {
    delete process.env.TSH_SECRET_STORE;
    await assert.rejects(openSecretStore({ home: scratch, prefer: 'disk' as 'file' }), { code: 'USAGE' });
  });

  test('prefer wins over TSH_SECRET_STORE, and file skips the keychain', async () => {
    process.env.TSH_SECRET_STORE = 'vault';
    const { store, fallbackReason } = await openSecretStore({ home: scratch, prefer: 'file' });
    assert.equal(store.kind, 'file');
    assert.equal(fallbackReason, undefined);
    process.env.TSH_SECRET_STORE = 'file';
    assert.equal((await openSecretStore({ home: scratch })).store.kind, 'file');
  });
});

describe('file store', () => {
  test('set, get and delete', async () => {
    const home = await freshDir('file');
    const store = openFileStore({ home });
    assert.equal(store.kind, 'file');
    assert.equal(await store.get(ACCOUNT), undefined);
    await store.set(ACCOUNT, 'one');
    assert.equal(await store.get(ACCOUNT), 'one');
    await store.set(ACCOUNT, 'two');
    assert.equal(await store.get(ACCOUNT), 'two');
    assert.equal(await store.delete(ACCOUNT), true);
    assert.equal(await store.get(ACCOUNT), undefined);
    assert.equal(await store.delete(ACCOUNT), false);
    assert.deepEqual(await readdir(join(home, 'keys/proxy.example.com')), [], 'no temp files left behind');
  });

  test('0600 files and 0700 directories even with umask 000', async () => {
    const home = join(await freshDir('umask'), '.tsh');
    const store = openFileStore({ home });
    const old = process.umask(0);
    try {
      await store.set(APP_ACCOUNT, 'secret');
    } finally {
      process.umask(old);
    }
    assert.equal(await mode(join(home, APP_ACCOUNT)), 0o600);
    for (const dir of [home, join(home, 'keys'), join(home, 'keys/proxy.example.com/alice-app/cluster')]) {
      assert.equal(await mode(dir), 0o700, dir);
    }
  });

  test('writes are atomic and never readable by others, even mid-write', async () => {
    const home = await freshDir('atomic');
    const store = openFileStore({ home });
    const dir = join(home, 'keys/proxy.example.com');
    const [a, b] = ['a', 'b'].map((c) => c.repeat(1 << 20));
    await store.set(ACCOUNT, a);
    const inode = (await stat(join(home, ACCOUNT))).ino;
    await store.set(ACCOUNT, a);
    assert.notEqual((await stat(join(home, ACCOUNT))).ino, inode, 'the secret is replaced by rename, not rewritten in place');

    const old = process.umask(0);
    let writing = true;
    const torn: number[] = [];
    const loose: string[] = [];
    const watch = async () => {
      while (writing) {
        const value = await store.get(ACCOUNT);
        if (value !== a && value !== b) torn.push(value?.length ?? -1);
        for (const name of await readdir(dir)) {
          const m = await mode(join(dir, name)).catch(() => 0); // a temp file may be renamed away meanwhile
          if (m & 0o077) loose.push(`${name} ${m.toString(8)}`);
        }
      }
    };
    try {
      const watcher = watch();
      for (let i = 0; i < 40; i++) await store.set(ACCOUNT, i % 2 ? a : b);
      writing = false;
      await watcher;
    } finally {
      writing = false;
      process.umask(old);
    }
    assert.deepEqual(torn, [], 'a reader saw a partly written secret');
    assert.deepEqual(loose, [], 'a secret file was group/world-accessible');
    assert.deepEqual(await readdir(dir), ['alice']);
  });

  test('a group/world-readable secret file is still read, and fixed to 0600', async () => {
    const home = await freshDir('loose');
    const store = openFileStore({ home });
    await store.set(ACCOUNT, 'pem');
    await chmod(join(home, ACCOUNT), 0o644);
    assert.equal(await store.get(ACCOUNT), 'pem');
    assert.equal(await mode(join(home, ACCOUNT)), 0o600);
  });

  test('existing key directories with loose modes are tightened to 0700 on write', async () => {
    const home = await freshDir('loose-dirs');
    await mkdir(join(home, 'keys/proxy.example.com'), { recursive: true, mode: 0o755 });
    await chmod(join(home, 'keys'), 0o755);
    await chmod(join(home, 'keys/proxy.example.com'), 0o755);
    await openFileStore({ home }).set(ACCOUNT, 'pem');
    assert.equal(await mode(join(home, 'keys')), 0o700);
    assert.equal(await mode(join(home, 'keys/proxy.example.com')), 0o700);
  });

  test('accounts that are not plain relative paths are refused', async () => {
    const home = await freshDir('accounts');
    const store = openFileStore({ home });
    for (const account of ['', '/etc/passwd', '../outside', 'keys/../../outside', 'keys//alice', 'keys/./alice', 'a\\b']) {
      await assert.rejects(store.set(account, 'x'), { code: 'BAD_INPUT' }, JSON.stringify(account));
    }
    assert.deepEqual(await readdir(home), []);
  });
});
