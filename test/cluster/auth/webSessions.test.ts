/**
 * Web sessions against a real auth service (SQLite, a clock the test
 * moves): what the backend holds, when a session may act, and one-use
 * launches.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTeleport, type TeleportProcess } from '../../../src/cluster/teleportProcess.js';
import { silentLogger } from '../../../src/cluster/logger.js';
import { addUser, completeResetToken } from '../../../src/cluster/auth/users.js';
import { checkWebSession, endWebSession, LAUNCH_TTL_MS, recordLaunch, signIn, takeLaunch } from '../../../src/cluster/auth/webSessions.js';
import type { AuthContext } from '../../../src/cluster/auth/authContext.js';

const password = 'correct horse battery staple';
let dir: string;
let proc: TeleportProcess;
let ctx: AuthContext;
let offsetMs = 0;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'web-sessions-'));
  proc = await startTeleport(
    { source: 'test', dataDir: dir, auth: { clusterName: 'web.test', listenAddr: '127.0.0.1:0', secondFactor: 'off' }, proxy: { enabled: false } },
    { log: silentLogger, clock: () => new Date(Date.now() + offsetMs) },
  );
  ctx = proc.auth!.ctx;
  for (const name of ['alice', 'bob', 'carol']) {
    const rt = await addUser(ctx, { name, roles: ['access'], traits: {}, by: 'test' });
    await completeResetToken(ctx, { token: rt.token, password });
  }
});
after(async () => {
  await proc?.close();
  await rm(dir, { recursive: true, force: true });
});

test('the backend keeps a hash of the cookie\'s id, never the id itself', async () => {
  const { id, session } = await signIn(ctx, { user: 'alice', password });
  assert.match(id, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(session.user, 'alice');
  assert.equal(session.identity.kind, 'user');
  assert.equal(session.expires, session.identity.expires, 'the session ends with the login');
  assert.match(session.csrfToken, /^[A-Za-z0-9_-]{43}$/);
  const stored = await ctx.backend.getRange('/websessions/');
  assert.ok(stored.length >= 1);
  assert.ok(stored.every((i) => /^\/websessions\/[0-9a-f]{64}$/.test(i.key)));
  assert.ok(!JSON.stringify(stored).includes(id), 'no stored key or value holds the id');
  assert.equal((await checkWebSession(ctx, id)).session?.user, 'alice');
  for (const bad of ['', 'x', id.slice(0, -1) + (id.endsWith('A') ? 'B' : 'A'), '../../users/alice']) assert.deepEqual(await checkWebSession(ctx, bad), { ended: 'unknown' });
});

test('signing in is the login: a wrong password is BAD_CREDENTIALS, and five failures lock the account for tsh too', async () => {
  for (let i = 0; i < 4; i++) await assert.rejects(signIn(ctx, { user: 'bob', password: 'wrong password here' }), (e: any) => e.code === 'BAD_CREDENTIALS');
  await assert.rejects(signIn(ctx, { user: 'bob', password: 'wrong password here' }), (e: any) => e.code === 'LOCKED');
  await assert.rejects(signIn(ctx, { user: 'bob', password }), (e: any) => e.code === 'LOCKED');
  const events = await ctx.audit.search({ since: new Date(0), event: 'user.login.failure' });
  assert.ok(events.filter((e) => e.user === 'bob').every((e) => e.via === 'web'));
});

test('a session may act until the login expires; then it ends, once, with the reason', async () => {
  const { id, session } = await signIn(ctx, { user: 'alice', password });
  offsetMs = Date.parse(session.expires) - Date.now() + 1000;
  try {
    assert.deepEqual(await checkWebSession(ctx, id), { ended: 'expired' });
    assert.deepEqual(await checkWebSession(ctx, id), { ended: 'unknown' }, 'ended: the record is gone');
  } finally {
    offsetMs = 0;
  }
  const ends = (await ctx.audit.search({ since: new Date(0), event: 'web.session.end' })).filter((e) => e.reason === 'expired');
  assert.equal(ends.length, 1);
});

test('a session of a removed user may not act', async () => {
  const { id } = await signIn(ctx, { user: 'carol', password });
  await ctx.backend.delete('/users/carol');
  assert.deepEqual(await checkWebSession(ctx, id), { ended: 'user removed' });
});

test('sign-out ends the session; ending it again changes nothing', async () => {
  const { id } = await signIn(ctx, { user: 'alice', password });
  const before = (await ctx.audit.search({ since: new Date(0), event: 'web.session.end' })).length;
  await endWebSession(ctx, id, 'signed out');
  await endWebSession(ctx, id, 'signed out');
  assert.deepEqual(await checkWebSession(ctx, id), { ended: 'unknown' });
  assert.equal((await ctx.audit.search({ since: new Date(0), event: 'web.session.end' })).length, before + 1);
});

test('a launch is taken once, by the session that recorded it, within a minute', async () => {
  const a = await signIn(ctx, { user: 'alice', password });
  const b = await signIn(ctx, { user: 'alice', password });
  const launch = { app: 'aws', awsRoleArn: 'arn:aws:iam::123456789012:role/ExampleTeleportDynamoDBRole' };
  const first = await recordLaunch(ctx, a.id, launch);
  assert.deepEqual(await takeLaunch(ctx, a.id, first), launch);
  assert.equal(await takeLaunch(ctx, a.id, first), undefined, 'once');
  const second = await recordLaunch(ctx, a.id, launch);
  assert.equal(await takeLaunch(ctx, b.id, second), undefined, 'not by another session');
  assert.equal(await takeLaunch(ctx, a.id, second), undefined, 'and then by nobody');
  const third = await recordLaunch(ctx, a.id, launch);
  offsetMs = LAUNCH_TTL_MS + 1000;
  try {
    assert.equal(await takeLaunch(ctx, a.id, third), undefined, 'not after a minute');
  } finally {
    offsetMs = 0;
  }
  const racing = await recordLaunch(ctx, a.id, launch);
  const results = await Promise.all([takeLaunch(ctx, a.id, racing), takeLaunch(ctx, a.id, racing), takeLaunch(ctx, a.id, racing)]);
  assert.equal(results.filter(Boolean).length, 1, 'two tabs racing: one launch');
});
