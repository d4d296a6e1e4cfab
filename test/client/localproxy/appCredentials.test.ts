/**
 * A running local proxy keeps its app certificate and local CA current, and
 * reacts to what other tsh commands do: renewal before expiry (requests keep
 * working past the first certificate's end), an expired login (said once,
 * refused with a `tsh login` message, recovered after a new login without a
 * restart), an app logout and a new app login in another terminal.
 * Certificates here live 2-3 seconds.
 */
import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { randomUUID } from 'node:crypto';
import { startFakeAppCluster, makeTestHome, type FakeAppCluster } from '../../helpers/fakeAppCluster.js';
import { sendSigned } from '../../helpers/awsSigning.js';
import { startLocalAwsProxy } from '../../../src/client/localproxy/localAwsProxy.js';
import { readProfile, writeProfile } from '../../../src/client/profile/profile.js';
import { accounts } from '../../../src/client/profile/paths.js';
import { openFileStore } from '../../../src/client/keystore/fileStore.js';
import { saveKeyPair } from '../../../src/client/keystore/keyPairStore.js';
import { generateKeyPair } from '../../../src/shared/pki/generateKeyPair.js';
import { readCertificate } from '../../../src/shared/pki/readCertificate.js';
import { TshError } from '../../../src/shared/errors.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fast = { pollMs: 100 };

let cluster: FakeAppCluster;
before(async () => {
  cluster = await startFakeAppCluster();
});
after(() => cluster.close());

/** Waits until cond() holds (polling), or fails after timeoutMs. */
async function until(cond: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('renewal', () => {
  test('the app certificate and local CA are renewed before they expire; requests keep working', async () => {
    cluster.capNotAfter = undefined;
    cluster.sessionGone = false;
    const th = await makeTestHome(cluster, { appCertTtlMs: 3000, renewTtlMs: 60_000 });
    const proxy = await startLocalAwsProxy(th.ce, { credentials: fast });
    try {
      const firstCa = await readFile(proxy.caPath, 'utf8');
      const first = await sendSigned({ via: { mode: 'proxy', url: proxy.url }, ca: firstCa, creds: proxy.fake });
      assert.equal(first.status, 200);
      const firstSerial = JSON.parse(first.body).echo.certSerial;
      const rpcsBefore = cluster.rpcs.length;

      await sleep(3500); // past the first certificate's end
      assert.ok(cluster.rpcs.slice(rpcsBefore).some((r) => r.method === 'appSessions.renew'), 'renewed');
      const newCa = await readFile(proxy.caPath, 'utf8');
      assert.notEqual(newCa, firstCa, 'the local CA file was re-issued');
      assert.ok(readCertificate(newCa).notAfter.getTime() > readCertificate(firstCa).notAfter.getTime());
      const later = await sendSigned({ via: { mode: 'proxy', url: proxy.url }, ca: newCa, creds: proxy.fake });
      assert.equal(later.status, 200, later.body);
      assert.notEqual(JSON.parse(later.body).echo.certSerial, firstSerial, 'a new certificate was presented');
      const profile = await readProfile(th.home, th.profile.name);
      assert.ok(Date.parse(profile!.apps.aws.expires) > Date.parse(th.profile.apps.aws.expires), 'the profile records the new expiry');
      assert.deepEqual(th.messages, []);
    } finally {
      await proxy.close();
      await th.cleanup();
    }
  });

  test('an app certificate that expired before the start is renewed at once', async () => {
    cluster.capNotAfter = undefined;
    cluster.sessionGone = false;
    const th = await makeTestHome(cluster, { appCertTtlMs: 1000, renewTtlMs: 60_000 });
    await sleep(1600);
    const rpcsBefore = cluster.rpcs.length;
    const proxy = await startLocalAwsProxy(th.ce, { credentials: fast });
    try {
      assert.equal(cluster.rpcs[rpcsBefore]?.method, 'appSessions.renew');
      const ca = await readFile(proxy.caPath, 'utf8');
      assert.equal((await sendSigned({ via: { mode: 'proxy', url: proxy.url }, ca, creds: proxy.fake })).status, 200);
    } finally {
      await proxy.close();
      await th.cleanup();
    }
  });
});

describe('an expired login', () => {
  test('is said once, refused with a `tsh login` message, and recovered after a new login', async () => {
    cluster.sessionGone = false;
    const th = await makeTestHome(cluster, { appCertTtlMs: 2500 });
    const loginEnd = new Date(Date.now() + 2500);
    await th.setLoginValidUntil(loginEnd);
    cluster.capNotAfter = loginEnd;
    const proxy = await startLocalAwsProxy(th.ce, { credentials: fast });
    try {
      await until(() => th.messages.some((m) => /login to 127\.0\.0\.1 expired; run `tsh login`/.test(m)), 6000, 'the expiry message');
      await sleep(400);
      assert.equal(th.messages.filter((m) => /expired/.test(m)).length, 1, `said once: ${th.messages.join(' | ')}`);

      // The local CA ended with the app certificate; it is re-issued so that clients can still connect
      // and read the refusal (the aws CLI reads AWS_CA_BUNDLE at every run).
      await until(async () => readCertificate(await readFile(proxy.caPath, 'utf8')).notAfter.getTime() > Date.now() + 60_000, 3000, 'a usable CA');
      const before = cluster.requests.length;
      const refused = await sendSigned({ via: { mode: 'proxy', url: proxy.url }, ca: await readFile(proxy.caPath, 'utf8'), creds: proxy.fake });
      assert.equal(refused.status, 401);
      const err = JSON.parse(refused.body);
      assert.equal(err.__type, 'ExpiredTokenException');
      assert.match(err.message, /tsh login/);
      assert.equal(cluster.requests.length, before, 'nothing forwarded');

      // `tsh login` in another terminal: a new validUntil; the expired app entry is dropped, and the
      // old app session ended with the old login.
      cluster.capNotAfter = undefined;
      cluster.sessionGone = true;
      const p = (await readProfile(th.home, th.profile.name))!;
      p.validUntil = new Date(Date.now() + 3_600_000).toISOString();
      delete p.apps.aws;
      await writeProfile(th.home, p);

      await until(() => th.messages.some((m) => /works again/.test(m)), 5000, 'recovery');
      const newCa = await readFile(proxy.caPath, 'utf8');
      const ok = await sendSigned({ via: { mode: 'proxy', url: proxy.url }, ca: newCa, creds: proxy.fake });
      assert.equal(ok.status, 200, ok.body);
      assert.ok(cluster.rpcs.some((r) => r.method === 'appSessions.create' && r.params.app === 'aws' && r.params.awsRoleArn === th.profile.apps.aws.awsRoleArn));
      const after = (await readProfile(th.home, th.profile.name))!;
      assert.ok(after.apps.aws, 'the app login is back in the profile');
      assert.notEqual(after.apps.aws.sessionId, th.profile.apps.aws.sessionId);
    } finally {
      cluster.capNotAfter = undefined;
      cluster.sessionGone = false;
      await proxy.close();
      await th.cleanup();
    }
  });

  test('at start it is an error that says to log in', async () => {
    const th = await makeTestHome(cluster);
    await th.setLoginValidUntil(new Date(Date.now() - 1000));
    try {
      await assert.rejects(startLocalAwsProxy(th.ce), (err: unknown) => err instanceof TshError && err.code === 'SESSION_EXPIRED' && /tsh login/.test(String(err.hint)));
    } finally {
      await th.cleanup();
    }
  });
});

describe('other terminals', () => {
  test('`tsh apps logout` stops requests; a new `tsh apps login` is adopted', async () => {
    cluster.capNotAfter = undefined;
    cluster.sessionGone = false;
    const th = await makeTestHome(cluster);
    const proxy = await startLocalAwsProxy(th.ce, { credentials: fast });
    try {
      const ca = await readFile(proxy.caPath, 'utf8');
      const first = await sendSigned({ via: { mode: 'proxy', url: proxy.url }, ca, creds: proxy.fake });
      const firstSerial = JSON.parse(first.body).echo.certSerial;

      // tsh apps logout aws
      const store = openFileStore({ home: th.home });
      const base = accounts.app(th.profile.name, 'alice', 'test', 'aws');
      await rm(join(th.home, `${base}.key`));
      await rm(join(th.home, `${base}.crt`));
      const p = (await readProfile(th.home, th.profile.name))!;
      delete p.apps.aws;
      await writeProfile(th.home, p);
      await until(() => th.messages.some((m) => /logged out of app "aws"/.test(m)), 3000, 'the logout message');
      const refused = await sendSigned({ via: { mode: 'proxy', url: proxy.url }, ca, creds: proxy.fake });
      assert.equal(refused.status, 401);
      assert.match(JSON.parse(refused.body).message, /tsh apps login/);

      // tsh apps login aws (new key, certificate and session)
      const keys = await generateKeyPair();
      await saveKeyPair(store, base, { key: keys.privateKey, cert: cluster.issueAppCert(keys.publicKey, 3_600_000) });
      p.apps.aws = { ...th.profile.apps.aws, sessionId: randomUUID() };
      await writeProfile(th.home, p);
      await until(() => th.messages.some((m) => /now using the new login/.test(m)), 3000, 'adoption');
      const ok = await sendSigned({ via: { mode: 'proxy', url: proxy.url }, ca: await readFile(proxy.caPath, 'utf8'), creds: proxy.fake });
      assert.equal(ok.status, 200, ok.body);
      assert.notEqual(JSON.parse(ok.body).echo.certSerial, firstSerial);
    } finally {
      await proxy.close();
      await th.cleanup();
    }
  });
});

describe('choosing the app', () => {
  test('--app, the only AWS app, or an error that lists them', async () => {
    const th = await makeTestHome(cluster, { apps: ['aws', 'aws-prod'] });
    try {
      await assert.rejects(startLocalAwsProxy(th.ce), (err: unknown) => err instanceof TshError && err.code === 'USAGE' && /\(aws, aws-prod\)/.test(err.message) && /--app/.test(err.message));
      await assert.rejects(startLocalAwsProxy(th.ce, { app: 'nope' }), (err: unknown) => err instanceof TshError && err.code === 'NOT_FOUND' && /tsh apps login/.test(String(err.hint)));
      const p = await startLocalAwsProxy(th.ce, { app: 'aws-prod' });
      assert.equal(p.app, 'aws-prod');
      assert.match(p.caPath, /aws-prod-localca\.pem$/);
      await p.close();
    } finally {
      await th.cleanup();
    }
    const none = await makeTestHome(cluster, { apps: [] });
    try {
      await assert.rejects(startLocalAwsProxy(none.ce), (err: unknown) => err instanceof TshError && /tsh apps login/.test(err.message));
    } finally {
      await none.cleanup();
    }
  });
});
