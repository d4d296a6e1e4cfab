/**
 * Console sign-in's lock check, on its own: the app service refuses a
 * console request of a locked identity before RBAC, STS or the federation
 * endpoint, with the lock's message in AWS's error shape. (The proxy and the
 * web UI stop a locked user first; this is the app service deciding for
 * itself, as it does for API requests.)
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { request } from 'undici';
import { connectionContexts } from '../../../src/cluster/app/awsHandler.js';
import { createConsoleHandler } from '../../../src/cluster/app/consoleSignin.js';
import { AssumeRoleCache } from '../../../src/cluster/app/assumeRole.js';
import type { Lock } from '../../../src/shared/resources/types.js';
import { silentLogger } from '../../../src/cluster/logger.js';
import type { Identity } from '../../../src/shared/identity/identity.js';
import { appIdentity, lockCheckDeps } from '../../helpers/lockedApp.js';

const app = { name: 'aws', uri: 'https://console.aws.amazon.com/home/home', labels: {} } as never;
const identity = (username: string) => appIdentity(username);
const locks: Lock[] = [{ kind: 'lock', version: 'v2', metadata: { name: 'l1' }, spec: { target: { user: 'mallory' }, message: 'Account under review.' } }];
let server: http.Server;
let url = '';
let next: Identity;
const reachedRbac: string[] = [];

before(async () => {
  const handler = createConsoleHandler({
    ...lockCheckDeps(locks, reachedRbac),
    credentials: new AssumeRoleCache(),
    audit: () => {},
    proxyPublicAddr: async () => 'proxy.example.com:3080',
    log: silentLogger,
  });
  server = http.createServer(handler);
  server.on('connection', (socket) => connectionContexts.set(socket, { app, identity: next }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

async function ask(who: Identity) {
  next = who;
  const res = await request(url, { method: 'GET', headers: { connection: 'close' } });
  return { status: res.statusCode, body: (await res.body.json()) as { __type: string; message: string } };
}

test('a locked user asking for the console is refused before RBAC or STS, with the lock message', async () => {
  const r = await ask(identity('mallory'));
  assert.equal(r.status, 403);
  assert.equal(r.body.__type, 'AccessDeniedException');
  assert.match(r.body.message, /Account under review\./);
  assert.deepEqual(reachedRbac, [], 'nothing past the lock check ran');
});

test('a user no lock targets goes on to the role check', async () => {
  const r = await ask(identity('carol'));
  assert.match(r.body.message, /is denied for user "carol"/);
  assert.deepEqual(reachedRbac, ['carol']);
});
