/**
 * Where `tsh login` keeps the key and certificate: in a real OS keychain
 * (gnome-keyring on a throwaway D-Bus session) with nothing secret on disk;
 * and, on a machine with no keychain, in 0600 files, saying so.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, addUser, type TestCluster } from '../helpers/cluster.js';
import { binPath } from '../helpers/binaries.js';
import { runInKeyringSession, runWithoutSessionBus } from '../helpers/keyring.js';

let cluster: TestCluster;
const password = 'correct horse battery staple';

before(async () => {
  cluster = await startCluster();
  await addUser(cluster, 'alice', ['access', 'editor'], password);
});
after(async () => cluster?.close());

const loginScript = () => `
export TELEPORT_HOME="$HOME/.tsh"
printf '%s\\n' '${password}' | node ${binPath('tsh')} login --proxy=${cluster.proxyAddr} --user=alice --insecure >/dev/null || exit 10
node ${binPath('tsh')} status || exit 11
echo "--- secrets"
secret-tool search --all service tsh-aws 2>&1 | grep -E '^(attribute.username|label) = ' || true
echo "--- files"
find "$TELEPORT_HOME" -type f -printf '%m %P\\n' | sort
echo "--- private keys on disk"
grep -rl 'PRIVATE KEY' "$TELEPORT_HOME" || echo none
echo "--- certificates on disk"
grep -rl 'BEGIN CERTIFICATE' "$TELEPORT_HOME" | sed "s|$TELEPORT_HOME/||" || true
echo "--- tctl through the keychain"
node ${binPath('tctl')} status | head -1
`;

test('with an OS keychain, the key and certificate live there and nothing secret is on disk', async () => {
  const r = await runInKeyringSession(loginScript(), { NO_COLOR: '1' });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /Keys stored in:\s+OS keychain/);
  const [, secrets, files, keys, certs, tctl] = r.stdout.split(/^--- .*$/m);
  assert.match(secrets, /attribute\.username = .*\|keys\/127\.0\.0\.1\/alice\.key/);
  assert.match(secrets, /attribute\.username = .*\|keys\/127\.0\.0\.1\/alice\.crt/);
  assert.equal(keys.trim(), 'none');
  // Only the cluster's CA certificates (public) are on disk.
  assert.deepEqual(certs.trim().split('\n'), ['keys/127.0.0.1/cas/test.example.com.pem']);
  for (const line of files.trim().split('\n')) assert.match(line, /^600 /, `every file is private: ${line}`);
  assert.match(tctl, /Cluster\s+test\.example\.com/);
});

test('without a keychain, keys fall back to 0600 files and tsh says so', async () => {
  const r = await runWithoutSessionBus(loginScript().replace('>/dev/null', '>/dev/null 2>"$HOME/login.err"; cat "$HOME/login.err" >&2; true'), { NO_COLOR: '1' });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stderr, /WARNING: no OS keychain is usable/);
  assert.match(r.stdout, /Keys stored in:\s+.*files/);
  const [, , files, keys] = r.stdout.split(/^--- .*$/m);
  assert.match(files, /^600 keys\/127\.0\.0\.1\/alice\.key$/m);
  assert.match(files, /^600 keys\/127\.0\.0\.1\/alice\.crt$/m);
  assert.match(keys, /keys\/127\.0\.0\.1\/alice\.key/);
  for (const line of files.trim().split('\n')) assert.match(line, /^600 /, `every file is private: ${line}`);
});
