/**
 * The proxy asking an app service in its own process for a console sign-in
 * URL (the tunnel path is covered end to end in test/e2e): the app service
 * authorises from the app certificate alone, as for API requests.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '../../../src/sandbox/index.js';
import { startTeleport, type TeleportProcess } from '../../../src/cluster/teleportProcess.js';
import { silentLogger } from '../../../src/cluster/logger.js';
import { addUser, completeResetToken } from '../../../src/cluster/auth/users.js';
import { login } from '../../../src/cluster/auth/login.js';
import { createAppSession } from '../../../src/cluster/auth/apps.js';
import { keys } from '../../../src/cluster/auth/authContext.js';
import { issueCertificate } from '../../../src/cluster/auth/certAuthorities.js';
import { requestConsoleSignin } from '../../../src/cluster/proxy/appConsole.js';
import { generateKeyPair } from '../../../src/shared/pki/generateKeyPair.js';
import { pemToDer } from '../../../src/shared/pki/readCertificate.js';
import { readIdentity } from '../../../src/shared/identity/identity.js';
import type { Role } from '../../../src/shared/resources/types.js';

const ROLE = 'arn:aws:iam::123456789012:role/ExampleTeleportDynamoDBRole';
const READER = 'arn:aws:iam::123456789012:role/ReadOnlyRole';
const password = 'correct horse battery staple';
const saved = { ...process.env };
let sandbox: Sandbox;
let dir: string;
let proc: TeleportProcess;

const readerRole = (arns: string[]): Role => ({ kind: 'role', version: 'v5', metadata: { name: 'reader' }, spec: { allow: { app_labels: { '*': '*' }, aws_role_arns: arns } } });

before(async () => {
  sandbox = await startSandbox({ roles: [{ name: 'ExampleTeleportDynamoDBRole' }, { name: 'ReadOnlyRole' }] });
  Object.assign(process.env, sandbox.endpointEnv(), { AWS_ACCESS_KEY_ID: sandbox.baseCredentials.accessKeyId, AWS_SECRET_ACCESS_KEY: sandbox.baseCredentials.secretAccessKey, AWS_REGION: 'us-east-1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });
  dir = await mkdtemp(join(tmpdir(), 'app-console-'));
  proc = await startTeleport(
    {
      source: 'test',
      dataDir: dir,
      auth: { clusterName: 'console.test', listenAddr: '127.0.0.1:0', secondFactor: 'off' },
      proxy: { webListenAddr: '127.0.0.1:0' },
      app: { enabled: true, apps: [{ name: 'aws', uri: 'https://console.amazonaws-us-gov.com/console/home', labels: {} }, { name: 'grafana', uri: 'https://grafana.example.com', labels: {} }] },
    },
    { log: silentLogger },
  );
  const ctx = proc.auth!.ctx;
  await ctx.backend.put(keys.role('reader'), readerRole([READER]));
  const rt = await addUser(ctx, { name: 'alice', roles: ['access', 'reader'], traits: { aws_role_arns: [ROLE] }, by: 'test' });
  await completeResetToken(ctx, { token: rt.token, password });
});
after(async () => {
  await proc?.close();
  await sandbox?.close();
  await rm(dir, { recursive: true, force: true });
  process.env = saved;
});

/** An app certificate for alice, as `tsh apps login` or a web launch gets one. */
async function appCert(app: string, awsRoleArn?: string): Promise<string> {
  const ctx = proc.auth!.ctx;
  const l = await login(ctx, { user: 'alice', password, publicKey: (await generateKeyPair()).publicKey });
  const caller = await proc.auth!.callerFor(l.identity);
  return (await createAppSession(ctx, caller, { app, awsRoleArn, publicKey: (await generateKeyPair()).publicKey })).cert;
}

test('an app certificate gets a sign-in URL for its role, at the app\'s partition (here GovCloud, pointed at the sandbox)', async () => {
  const url = new URL(await requestConsoleSignin(proc.proxy!.tunnels, 'aws', pemToDer(await appCert('aws', ROLE))));
  assert.equal(`${url.origin}${url.pathname}`, `${sandbox.signinEndpoint}/federation`);
  assert.equal(url.searchParams.get('Destination'), 'https://console.amazonaws-us-gov.com/console/home');
  assert.equal(url.searchParams.get('Issuer'), `https://${proc.proxyAddr}`);
  const page = await (await fetch(url)).text();
  assert.match(page, /id="signed-in-as">ExampleTeleportDynamoDBRole\/alice</);
});

test('the app service refuses what the certificate does not allow', async () => {
  const tunnels = proc.proxy!.tunnels;
  const tokens = () => sandbox.requests.filter((r) => r.action === 'getSigninToken').length;
  const before = tokens();
  // A certificate for another app.
  await assert.rejects(requestConsoleSignin(tunnels, 'aws', pemToDer(await appCert('grafana'))), (e: any) => e.code === 'ACCESS_DENIED' && /the certificate is for app "grafana", not "aws"/.test(e.message));
  // An app that is not an AWS console.
  await assert.rejects(requestConsoleSignin(tunnels, 'grafana', pemToDer(await appCert('grafana'))), (e: any) => e.code === 'BAD_INPUT' && /app "grafana" is not an AWS console app/.test(e.message));
  // A certificate this cluster did not sign.
  const forged = issueCertificate({ type: 'user', cluster: 'console.test', ...(await selfSignedCa()) }, { identity: readIdentity(await appCert('aws', ROLE)), publicKey: (await generateKeyPair()).publicKey, notAfter: new Date(Date.now() + 3_600_000), usage: 'client' });
  await assert.rejects(requestConsoleSignin(tunnels, 'aws', pemToDer(forged)), (e: any) => e.code === 'ACCESS_DENIED' && /not an app certificate of this cluster/.test(e.message));
  assert.equal(tokens(), before, 'no sign-in token was asked for');
});

test('a role the user\'s roles stopped allowing after the certificate was issued is refused (once the app service sees the change)', async () => {
  const cert = pemToDer(await appCert('aws', READER));
  await proc.auth!.ctx.backend.put(keys.role('reader'), readerRole([]));
  // The app service re-reads role definitions every few seconds.
  const deadline = Date.now() + 20_000;
  let refusal: any;
  while (!refusal && Date.now() < deadline) {
    refusal = await requestConsoleSignin(proc.proxy!.tunnels, 'aws', cert).then(() => undefined, (e) => e);
    if (!refusal) await new Promise((r) => setTimeout(r, 250));
  }
  assert.equal(refusal?.code, 'ACCESS_DENIED');
  assert.match(refusal.message, /access to app "aws" with IAM role arn:aws:iam::123456789012:role\/ReadOnlyRole is denied for user "alice"/);
});

test('no app service for the app: unavailable', async () => {
  await assert.rejects(requestConsoleSignin(proc.proxy!.tunnels, 'elsewhere', Buffer.alloc(0)), (e: any) => e.code === 'UNAVAILABLE' && /no app service is serving app "elsewhere"/.test(e.message));
});

async function selfSignedCa(): Promise<{ certPem: string; keyPem: string }> {
  const { createCertificate } = await import('../../../src/shared/pki/createCertificate.js');
  const k = await generateKeyPair();
  const certPem = createCertificate({ commonName: 'console.test', organization: ['user CA'], publicKey: k.publicKey, selfKey: k.privateKey, notBefore: new Date(Date.now() - 60_000), notAfter: new Date(Date.now() + 86_400_000), usage: 'ca' });
  return { certPem, keyPem: k.privateKey };
}
