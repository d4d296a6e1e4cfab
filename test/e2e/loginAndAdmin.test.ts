/**
 * Logging in and administering a cluster with the real binaries, and every
 * error a user meets on the way: wrong credentials, lockout, expiry,
 * unreachable or untrusted proxies, missing rights, bad resource files.
 */
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startCluster, addUser, userEnv, tshLogin, webApi, type TestCluster } from '../helpers/cluster.js';
import { runBin, runShell, cleanEnv } from '../helpers/binaries.js';
import { totpCode } from '../../src/shared/totp.js';
import { generateKeyPair } from '../../src/shared/pki/generateKeyPair.js';

const password = 'correct horse battery staple';
let cluster: TestCluster;
const homes: Array<Awaited<ReturnType<typeof userEnv>>> = [];
const home = async () => {
  const h = await userEnv();
  homes.push(h);
  return h;
};

before(async () => {
  cluster = await startCluster();
  await addUser(cluster, 'admin1', ['access', 'editor', 'auditor'], password);
  await addUser(cluster, 'plain', ['access'], password);
});
after(async () => {
  await cluster?.close();
  for (const h of homes) await h.cleanup();
});

describe('the proxy web API', () => {
  test('ping and the upgrade channel answer as the guide reads them with curl and jq', async () => {
    const r = await runShell(`curl -sk https://${cluster.proxyAddr}/v1/webapi/ping | jq -r '.server_version'; curl -sk https://${cluster.proxyAddr}/v1/webapi/automaticupgrades/channel/default/version | sed 's/v//'`, { env: cleanEnv() });
    const [version, channel] = r.stdout.trim().split('\n');
    assert.match(version, /^\d+\.\d+\.\d+$/);
    assert.equal(channel, version);
    const ping = await webApi(cluster.proxyAddr, 'GET', '/v1/webapi/ping');
    assert.equal(ping.body.cluster_name, 'test.example.com');
    assert.equal(ping.body.auth.second_factor, 'off');
  });
});

describe('tsh login', () => {
  test('success prints the profile; the login lasts 12h by default, less with --ttl', async () => {
    const h = await home();
    const r = await tshLogin(h.env, cluster.proxyAddr, 'plain', password);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Logged in as:\s+plain/);
    assert.match(r.stdout, /valid for 1[12]h/);
    const short = await tshLogin(h.env, cluster.proxyAddr, 'plain', password, { extraArgs: ['--ttl', '30'] });
    assert.equal(short.code, 0, short.stderr);
    const s = JSON.parse((await runBin('tsh', ['status', '-f', 'json'], { env: h.env })).stdout);
    const left = Date.parse(s.active.valid_until) - Date.now();
    assert.ok(left > 28 * 60_000 && left <= 30 * 60_000, `about 30 minutes, got ${left}`);
  });

  test("a role's max_session_ttl caps the login", async () => {
    await writeFile(join(cluster.dir, 'short.yaml'), 'kind: role\nversion: v5\nmetadata: {name: short}\nspec:\n  options: {max_session_ttl: 2h}\n');
    assert.equal((await cluster.tctl(['create', join(cluster.dir, 'short.yaml')])).code, 0);
    await addUser(cluster, 'shorty', ['access', 'short'], password);
    const h = await home();
    assert.equal((await tshLogin(h.env, cluster.proxyAddr, 'shorty', password)).code, 0);
    const s = JSON.parse((await runBin('tsh', ['status', '-f', 'json'], { env: h.env })).stdout);
    const left = Date.parse(s.active.valid_until) - Date.now();
    assert.ok(left > 119 * 60_000 && left <= 120 * 60_000, `capped at 2h, got ${left}`);
  });

  test('a wrong user and a wrong password get the same message', async () => {
    const h = await home();
    const wrongPassword = await tshLogin(h.env, cluster.proxyAddr, 'plain', 'not the password at all');
    const wrongUser = await tshLogin(h.env, cluster.proxyAddr, 'nobody', password);
    assert.equal(wrongPassword.code, 1);
    assert.equal(wrongUser.code, 1);
    assert.match(wrongPassword.stderr, /ERROR: invalid user name, password or one-time code/);
    assert.equal(wrongUser.stderr, wrongPassword.stderr);
  });

  test('five failed logins lock the account for 30 minutes, and the message says so', async () => {
    await addUser(cluster, 'locky', ['access'], password);
    const h = await home();
    for (let i = 0; i < 4; i++) assert.match((await tshLogin(h.env, cluster.proxyAddr, 'locky', 'wrong password!!')).stderr, /invalid user name, password/);
    const fifth = await tshLogin(h.env, cluster.proxyAddr, 'locky', 'wrong password!!');
    assert.match(fifth.stderr, /ERROR: user "locky" is locked until \d\d:\d\d UTC after 5 failed login attempts/);
    const right = await tshLogin(h.env, cluster.proxyAddr, 'locky', password);
    assert.equal(right.code, 1, 'even the right password is refused while locked');
    assert.match(right.stderr, /is locked until/);
    assert.match(right.stderr, /tctl users reset locky/);
    const ls = await cluster.tctl(['users', 'ls']);
    assert.match(ls.stdout, /locky\s+access\s+locked until/);
  });

  test('20 parallel wrong passwords lock the account, and an unknown name gets the same answers', async () => {
    await addUser(cluster, 'swarm', ['access'], password);
    const { publicKey } = await generateKeyPair();
    const attempt = (user: string, pw: string) => webApi(cluster.proxyAddr, 'POST', '/v1/webapi/login', { user, password: pw, public_key: publicKey });
    const burst = async (user: string) => {
      const answers = await Promise.all(Array.from({ length: 20 }, () => attempt(user, 'wrong password!!')));
      const codes = answers.map((a) => a.body.error?.code).sort();
      return { codes, locked: answers.find((a) => a.body.error?.code === 'LOCKED')!.body.error };
    };
    const known = await burst('swarm');
    // Every attempt is counted before its password is checked: four are judged, the fifth locks, the rest are refused.
    assert.deepEqual(known.codes, [...Array(4).fill('BAD_CREDENTIALS'), ...Array(16).fill('LOCKED')]);
    const right = await attempt('swarm', password);
    assert.equal(right.status, 423, 'the right password is refused while locked');
    assert.match(right.body.error.message, /^user "swarm" is locked until \d\d:\d\d UTC after 5 failed login attempts$/);
    assert.match(right.body.error.hint, /tctl users reset swarm/);

    const unknown = await burst('no-such-user');
    assert.deepEqual(unknown.codes, known.codes, 'an unknown name is answered exactly like a user');
    // The two bursts may straddle a minute, so the lock's end time (HH:MM) may differ by one.
    const untilMasked = (m: string) => m.replace(/\d\d:\d\d UTC/, 'HH:MM UTC');
    assert.equal(untilMasked(unknown.locked.message), untilMasked(known.locked.message).replace('swarm', 'no-such-user'));
    assert.equal(unknown.locked.hint, known.locked.hint.replace('swarm', 'no-such-user'));

    const ls = await cluster.tctl(['users', 'ls']);
    assert.match(ls.stdout, /swarm\s+access\s+locked until/);
    assert.equal((await cluster.tctl(['users', 'reset', 'swarm'])).code, 0);
    assert.doesNotMatch((await cluster.tctl(['users', 'ls'])).stdout, /swarm\s+access\s+locked/, 'a reset clears the lockout');
  });

  test('not logged in, and an expired session, say what to do', async () => {
    const h = await home();
    const none = await runBin('tsh', ['apps', 'ls'], { env: h.env });
    assert.equal(none.code, 1);
    assert.match(none.stderr, /ERROR: Not logged in\.\nHint: log in with `tsh login --proxy=HOST:PORT --user=NAME`/);
    assert.equal((await tshLogin(h.env, cluster.proxyAddr, 'plain', password, { extraArgs: ['--ttl', '0.04'] })).code, 0);
    await new Promise((r) => setTimeout(r, 2600));
    const expired = await runBin('tsh', ['apps', 'ls'], { env: h.env });
    assert.equal(expired.code, 1);
    assert.match(expired.stderr, /ERROR: your session for plain@127\.0\.0\.1 expired at /);
    assert.match(expired.stderr, /Hint: log in again with `tsh login --proxy=127\.0\.0\.1:\d+ --user=plain`/);
    const status = await runBin('tsh', ['status'], { env: h.env });
    assert.match(status.stdout, /\[EXPIRED\]/);
    const appsOut = await runBin('tsh', ['apps', 'logout'], { env: h.env });
    assert.equal(appsOut.code, 0, 'logging out of apps still cleans up after the login expired');
    assert.match(appsOut.stderr, /your login has expired, so the cluster was not told/);
  });

  test('an unreachable proxy is named; an untrusted certificate gets a hint', async () => {
    const h = await home();
    const down = await runBin('tsh', ['login', '--proxy=127.0.0.1:9', '--user=plain'], { env: h.env, input: `${password}\n` });
    assert.equal(down.code, 1);
    assert.match(down.stderr, /ERROR: cannot reach the proxy at 127\.0\.0\.1:9: connection refused/);
    const untrusted = await runBin('tsh', ['login', `--proxy=${cluster.proxyAddr}`, '--user=plain'], { env: h.env, input: `${password}\n` });
    assert.equal(untrusted.code, 1);
    assert.match(untrusted.stderr, /ERROR: the certificate of the proxy at 127\.0\.0\.1:\d+ is not trusted/);
    assert.match(untrusted.stderr, /Hint: .*--insecure/);
  });

  test('after a login with --insecure, later commands verify the proxy with the cluster CA', async () => {
    const h = await home();
    assert.equal((await tshLogin(h.env, cluster.proxyAddr, 'plain', password)).code, 0);
    const ls = await runBin('tsh', ['apps', 'ls'], { env: h.env });
    assert.equal(ls.code, 0, ls.stderr);
  });

  test('--debug adds a request log and stack traces on stderr, and no secret', async () => {
    const h = await home();
    const login = await runBin('tsh', ['login', `--proxy=${cluster.proxyAddr}`, '--user=plain', '--insecure', '--debug'], { env: h.env, input: `${password}\n` });
    assert.equal(login.code, 0, login.stderr);
    assert.match(login.stderr, /DEBUG \S+ POST https:\/\/127\.0\.0\.1:\d+\/v1\/webapi\/login -> 200 \(\d+ ms\)/);
    const ls = await runBin('tsh', ['apps', 'ls', '--debug'], { env: h.env });
    assert.match(ls.stderr, /DEBUG \S+ POST https:\/\/127\.0\.0\.1:\d+\/v1\/rpc\/apps\.list -> 200/);
    for (const out of [login.stderr, ls.stderr]) {
      assert.doesNotMatch(out, /PRIVATE KEY|BEGIN CERTIFICATE|correct horse/);
    }
    const fail = await runBin('tsh', ['apps', 'login', 'nope', '--debug'], { env: h.env });
    assert.match(fail.stderr, /ERROR: app "nope" not found\nHint: .*\nTshError: app "nope" not found\n\s+at /);
    const quiet = await runBin('tsh', ['apps', 'login', 'nope'], { env: h.env });
    assert.equal(quiet.stderr, 'ERROR: app "nope" not found\nHint: use `tsh apps ls` to see registered apps\n', 'without --debug: one line and a hint');
  });
});

describe('tctl', () => {
  test('from a workstation, RBAC decides: an access-only user is refused, naming the verb', async () => {
    const h = await home();
    assert.equal((await tshLogin(h.env, cluster.proxyAddr, 'plain', password)).code, 0);
    const get = await runBin('tctl', ['get', 'users'], { env: h.env });
    assert.equal(get.code, 1);
    assert.match(get.stderr, /ERROR: access denied to perform action "list" on "user"/);
    await writeFile(join(h.home, 'r.yaml'), 'kind: role\nversion: v5\nmetadata: {name: mine}\n');
    const create = await runBin('tctl', ['create', join(h.home, 'r.yaml')], { env: h.env });
    assert.match(create.stderr, /access denied to perform action "create" on "role"/);
    const events = await runBin('tctl', ['audit', 'events'], { env: h.env });
    assert.match(events.stderr, /access denied to perform action "list" on "event"/);
  });

  test('an editor manages users; the invite URL points at the public address and expires in 1h', async () => {
    const h = await home();
    assert.equal((await tshLogin(h.env, cluster.proxyAddr, 'admin1', password)).code, 0);
    const add = await runBin('tctl', ['users', 'add', 'zed', '--roles=access', '--aws-role-arns=arn:aws:iam:1:role/typo'], { env: h.env });
    assert.equal(add.code, 0, add.stderr);
    assert.match(add.stdout, new RegExp(`User "zed" has been created but requires a password.*link is valid for 1h:\\nhttps://${cluster.proxyAddr.replace(/\./g, '\\.')}/web/invite/[0-9a-f]{32}\\n`));
    assert.match(add.stderr, /"arn:aws:iam:1:role\/typo" is not a valid IAM role ARN/);
    const again = await runBin('tctl', ['users', 'add', 'zed', '--roles=access'], { env: h.env });
    assert.match(again.stderr, /user "zed" already exists/);
    const badRole = await runBin('tctl', ['users', 'add', 'yan', '--roles=nope'], { env: h.env });
    assert.match(badRole.stderr, /role "nope" does not exist/);
    const upd = await runBin('tctl', ['users', 'update', 'zed', '--set-roles', 'access,auditor', '--set-aws-role-arns', 'arn:aws:iam::123456789012:role/A,arn:aws:iam::123456789012:role/B'], { env: h.env });
    assert.equal(upd.code, 0, upd.stderr);
    const got = JSON.parse((await runBin('tctl', ['get', 'user/zed', '--format', 'json'], { env: h.env })).stdout)[0];
    assert.deepEqual(got.spec.roles, ['access', 'auditor']);
    assert.deepEqual(got.spec.traits.aws_role_arns, ['arn:aws:iam::123456789012:role/A', 'arn:aws:iam::123456789012:role/B']);
    const reset = await runBin('tctl', ['users', 'reset', 'zed'], { env: h.env });
    assert.match(reset.stdout, /User "zed" has been reset.*\nhttps:\/\/.*\/web\/invite\//);
    assert.equal((await runBin('tctl', ['users', 'rm', 'zed'], { env: h.env })).code, 0);
    assert.match((await runBin('tctl', ['get', 'user/zed'], { env: h.env })).stderr, /user "zed" not found/);
  });

  test('join tokens: text shows the token on its own line and how to use it; JSON has token and expires', async () => {
    const text = await cluster.tctl(['tokens', 'add', '--type=app', '--app-name=aws', '--app-uri=https://console.aws.amazon.com/console/home']);
    assert.equal(text.code, 0, text.stderr);
    const token = /^([0-9a-f]{32})$/m.exec(text.stdout)?.[1];
    assert.ok(token, text.stdout);
    assert.match(text.stdout, /This token will expire in 1h/);
    assert.match(text.stdout, new RegExp(`teleport app start \\\\\\n\\s+--token=${token} \\\\\\n\\s+--ca-pin=sha256:[0-9a-f]{64} \\\\\\n\\s+--auth-server=${cluster.proxyAddr.replace(/\./g, '\\.')} \\\\\\n\\s+--name=aws \\\\\\n\\s+--uri=https://console\\.aws\\.amazon\\.com/console/home`));
    const json = JSON.parse((await cluster.tctl(['tokens', 'add', '--type=app', '--ttl', '15m', '--format', 'json'])).stdout);
    assert.match(json.token, /^[0-9a-f]{32}$/);
    const left = Date.parse(json.expires) - Date.now();
    assert.ok(left > 14 * 60_000 && left <= 15 * 60_000);
    const ls = await cluster.tctl(['tokens', 'ls']);
    assert.match(ls.stdout, new RegExp(token!));
    assert.equal((await cluster.tctl(['tokens', 'rm', token!])).code, 0);
    assert.doesNotMatch((await cluster.tctl(['tokens', 'ls'])).stdout, new RegExp(token!));
    const bad = await cluster.tctl(['tokens', 'add', '--type=node']);
    assert.match(bad.stderr, /unsupported token type "node"/);
  });

  test('a file with a bad document writes nothing', async () => {
    await writeFile(join(cluster.dir, 'half.yaml'), 'kind: role\nversion: v5\nmetadata: {name: good-one}\n---\nkind: role\nversion: v5\nmetadata: {name: bad-one}\nspec:\n  allow:\n    aws_role_arns: [not-an-arn]\n');
    const r = await cluster.tctl(['create', join(cluster.dir, 'half.yaml')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /half\.yaml:10: document 2 \(role "bad-one"\): field "spec\.allow\.aws_role_arns\.0": "not-an-arn" is not a valid IAM role ARN/);
    assert.match((await cluster.tctl(['get', 'role/good-one'])).stderr, /role "good-one" not found/);
    const exists = await cluster.tctl(['create', join(cluster.dir, 'short.yaml')]);
    assert.match(exists.stderr, /role "short" already exists/);
    assert.match(exists.stderr, /tctl create -f/);
  });

  test('an oversized file is refused before it is parsed, from a file or standard input, and nothing is created', async () => {
    // Valid documents followed by a YAML error: parsed, it would fail on the error or create "too-big".
    const huge = 'kind: role\nversion: v5\nmetadata: {name: too-big}\n---\n' + '# padding\n'.repeat(500_000) + 'kind: [unclosed\n';
    await writeFile(join(cluster.dir, 'huge.yaml'), huge);
    const file = await cluster.tctl(['create', join(cluster.dir, 'huge.yaml')]);
    assert.equal(file.code, 1);
    assert.match(file.stderr, /ERROR: \S+huge\.yaml is 4\.8 MiB, larger than the 4 MiB limit for a resource file\nHint: split it into several files/);
    const stdin = await cluster.tctl(['create', '-'], huge);
    assert.equal(stdin.code, 1);
    assert.match(stdin.stderr, /ERROR: standard input is larger than the 4 MiB limit for a resource file/);
    assert.match((await cluster.tctl(['get', 'role/too-big'])).stderr, /role "too-big" not found/);
    const small = await cluster.tctl(['create', '-'], 'kind: role\nversion: v5\nmetadata: {name: from-stdin}\n');
    assert.equal(small.code, 0, small.stderr);
    await cluster.tctl(['rm', 'role/from-stdin']);
  });

  test('tctl -c with a config that has no admin identity, and a missing file', async () => {
    const missing = await runBin('tctl', ['-c', '/nonexistent/teleport.yaml', 'status'], { env: cleanEnv() });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /cannot read config file \/nonexistent\/teleport\.yaml: ENOENT/);
  });
});

describe('one-time codes', () => {
  test('a cluster with second_factor: otp asks for a code after the password', async () => {
    const otp = await startCluster({ secondFactor: 'otp' });
    try {
      const { totpSecret } = await addUser(otp, 'olga', ['access'], password);
      assert.ok(totpSecret);
      const h = await home();
      const wrong = await runBin('tsh', ['login', `--proxy=${otp.proxyAddr}`, '--user=olga', '--insecure'], { env: h.env, input: `${password}\n000000\n` });
      assert.match(wrong.stderr, /invalid user name, password or one-time code/);
      // The code used to enrol is spent; the authenticator's next code logs in.
      const ok = await runBin('tsh', ['login', `--proxy=${otp.proxyAddr}`, '--user=olga', '--insecure'], { env: h.env, input: `${password}\n${totpCode(totpSecret!, new Date(Date.now() + 30_000))}\n` });
      assert.equal(ok.code, 0, ok.stderr);
      const noCode = await runBin('tsh', ['login', `--proxy=${otp.proxyAddr}`, '--user=olga', '--insecure'], { env: h.env, input: `${password}\n` });
      assert.match(noCode.stderr, /no answer on standard input for "Enter your OTP token"/);
    } finally {
      await otp.close();
    }
  });
});

describe('restarts', () => {
  test('users, roles, tokens and CAs survive a restart', async () => {
    const pinBefore = /CA pin\s+(\S+)/.exec((await cluster.tctl(['status'])).stdout)![1];
    const token = JSON.parse((await cluster.tctl(['tokens', 'add', '--type=app', '--format', 'json'])).stdout).token;
    await writeFile(join(cluster.dir, 'kept.yaml'), 'kind: role\nversion: v5\nmetadata: {name: kept}\nspec:\n  options: {max_session_ttl: 3h}\n');
    assert.equal((await cluster.tctl(['create', join(cluster.dir, 'kept.yaml')])).code, 0);
    const h = await home();
    assert.equal((await tshLogin(h.env, cluster.proxyAddr, 'admin1', password)).code, 0);
    const stopped = await cluster.stop();
    assert.equal(stopped?.code, 0, 'teleport exits 0 on SIGTERM');
    assert.ok(stopped!.ms < 5_000, `and promptly, even with clients still connected (${stopped!.ms} ms)`);
    await cluster.restart();
    assert.equal(/CA pin\s+(\S+)/.exec((await cluster.tctl(['status'])).stdout)![1], pinBefore);
    assert.match((await cluster.tctl(['tokens', 'ls'])).stdout, new RegExp(token));
    assert.match((await cluster.tctl(['get', 'role/kept'])).stdout, /max_session_ttl: 3h/);
    // The old login is still trusted (same CA); a new one works too.
    const again = await tshLogin(h.env, cluster.proxyAddr, 'admin1', password);
    assert.equal(again.code, 0, again.stderr);
  });
});

describe('a proxy with its own certificate (https_keypairs)', () => {
  test('users trust it through the system store, without --insecure', async () => {
    const { generateKeyPair } = await import('../../src/shared/pki/generateKeyPair.js');
    const { createCertificate } = await import('../../src/shared/pki/createCertificate.js');
    const caKeys = await generateKeyPair();
    const ca = createCertificate({ commonName: 'Corp Root CA', publicKey: caKeys.publicKey, selfKey: caKeys.privateKey, notAfter: new Date(Date.now() + 86400e3), usage: 'ca' });
    const keys = await generateKeyPair();
    const cert = createCertificate({ commonName: '127.0.0.1', publicKey: keys.publicKey, issuer: { certificate: ca, privateKey: caKeys.privateKey }, notAfter: new Date(Date.now() + 86400e3), usage: 'server', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
    const h = await home();
    await writeFile(join(h.home, 'ca.pem'), ca);
    await writeFile(join(h.home, 'tls.key'), keys.privateKey, { mode: 0o600 });
    await writeFile(join(h.home, 'tls.crt'), cert);
    const corp = await startCluster({ proxyYaml: `  https_keypairs:\n  - key_file: ${join(h.home, 'tls.key')}\n    cert_file: ${join(h.home, 'tls.crt')}\n` });
    try {
      assert.doesNotMatch(corp.logs(), /self-signed/, 'no warning with https_keypairs');
      await addUser(corp, 'quinn', ['access'], password);
      const untrusted = await runBin('tsh', ['login', `--proxy=${corp.proxyAddr}`, '--user=quinn'], { env: h.env, input: `${password}\n` });
      assert.match(untrusted.stderr, /is not trusted/);
      const trustedEnv = { ...h.env, NODE_EXTRA_CA_CERTS: join(h.home, 'ca.pem') };
      const login = await runBin('tsh', ['login', `--proxy=${corp.proxyAddr}`, '--user=quinn'], { env: trustedEnv, input: `${password}\n` });
      assert.equal(login.code, 0, login.stderr);
      assert.doesNotMatch(login.stderr, /insecure/);
      const ls = await runBin('tsh', ['apps', 'ls'], { env: trustedEnv });
      assert.equal(ls.code, 0, ls.stderr);
    } finally {
      await corp.close();
    }
  });

  test('TELEPORT_PROXY and TELEPORT_USER stand in for the flags', async () => {
    const h = await home();
    const r = await runBin('tsh', ['login', '--insecure'], { env: { ...h.env, TELEPORT_PROXY: cluster.proxyAddr, TELEPORT_USER: 'plain' }, input: `${password}\n` });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Logged in as:\s+plain/);
    const y = await runBin('tsh', ['status', '-f', 'yaml'], { env: h.env });
    assert.match(y.stdout, /^active:\n\s+profile_url: https:\/\/127\.0\.0\.1:\d+\n\s+username: plain$/m);
  });
});
