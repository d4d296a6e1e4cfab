/**
 * The sandbox's sign-in federation endpoint, driven as a custom identity
 * broker drives AWS's: credentials from its STS in, a one-use token out,
 * and a console page for a valid token only.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
let sandbox: Sandbox;
let clockOffsetMs = 0;
const clients: STSClient[] = [];

before(async () => {
  sandbox = await startSandbox({ roles: [{ name: 'ExampleTeleportDynamoDBRole' }, { name: 'Hop' }], clock: () => new Date(Date.now() + clockOffsetMs) });
});
after(async () => {
  for (const c of clients) c.destroy();
  await sandbox.close();
});

async function assume(role: string, session: string, as: Creds = sandbox.baseCredentials): Promise<Creds> {
  const sts = new STSClient({ endpoint: sandbox.stsEndpoint, region: 'us-east-1', credentials: as, maxAttempts: 1 });
  clients.push(sts);
  const c = (await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::123456789012:role/${role}`, RoleSessionName: session }))).Credentials!;
  return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
}

async function federation(params: Record<string, string>): Promise<{ status: number; text: string }> {
  const res = await fetch(`${sandbox.signinEndpoint}/federation?${new URLSearchParams(params)}`);
  return { status: res.status, text: await res.text() };
}

const session = (c: Creds) => JSON.stringify({ sessionId: c.accessKeyId, sessionKey: c.secretAccessKey, sessionToken: c.sessionToken });
/** The error code of a refusal: a page's data-code, or the text's first word. */
const codeOf = (text: string) => /data-code="([^"]+)"/.exec(text)?.[1] ?? /^(\w+):/.exec(text)?.[1];

async function token(c: Creds, extra: Record<string, string> = {}): Promise<string> {
  const r = await federation({ Action: 'getSigninToken', ...extra, Session: session(c) });
  assert.equal(r.status, 200, r.text);
  return JSON.parse(r.text).SigninToken;
}

test('a role session gets a one-use sign-in token; the console page names the federated user and the destination', async () => {
  const creds = await assume('ExampleTeleportDynamoDBRole', 'alice');
  const t = await token(creds, { SessionDuration: '3600' });
  assert.match(t, /^[A-Za-z0-9_-]{64}$/);
  const login = { Action: 'login', Issuer: 'https://proxy.example.com:3080', Destination: 'https://console.aws.amazon.com/home/home', SigninToken: t };
  const page = await federation(login);
  assert.equal(page.status, 200);
  assert.match(page.text, /id="signed-in-as">ExampleTeleportDynamoDBRole\/alice</);
  assert.match(page.text, /id="destination">https:\/\/console\.aws\.amazon\.com\/home\/home</);
  assert.match(page.text, /id="assumed-role-arn">arn:aws:sts::123456789012:assumed-role\/ExampleTeleportDynamoDBRole\/alice</);
  assert.match(page.text, /<a id="issuer" href="https:\/\/proxy\.example\.com:3080">/);
  const again = await federation(login);
  assert.equal(again.status, 400);
  assert.equal(codeOf(again.text), 'UsedSigninToken');
  const logged = sandbox.requests.filter((r) => r.service === 'signin').slice(-3);
  assert.deepEqual(logged.map((r) => [r.action, r.status, r.sessionDuration]), [['getSigninToken', 200, 3600], ['login', 200, undefined], ['login', 400, undefined]]);
});

test('an unknown token, or one past its 15 minutes, is refused', async () => {
  assert.equal(codeOf((await federation({ Action: 'login', SigninToken: 'x'.repeat(64) })).text), 'InvalidSigninToken');
  const t = await token(await assume('ExampleTeleportDynamoDBRole', 'bob'));
  clockOffsetMs = 16 * 60_000;
  try {
    const late = await federation({ Action: 'login', SigninToken: t, Destination: 'https://console.aws.amazon.com/' });
    assert.equal(late.status, 400);
    assert.equal(codeOf(late.text), 'InvalidSigninToken');
  } finally {
    clockOffsetMs = 0;
  }
});

test('only live role sessions of this sandbox get a token: not the operator key, not a wrong secret or token, not an expired session', async () => {
  const creds = await assume('ExampleTeleportDynamoDBRole', 'carol');
  const refused = async (c: Creds, code: string) => {
    const r = await federation({ Action: 'getSigninToken', Session: session(c) });
    assert.equal(r.status, 400, r.text);
    assert.equal(codeOf(r.text), code);
  };
  await refused(sandbox.baseCredentials, 'InvalidCredentials');
  await refused({ ...creds, secretAccessKey: creds.secretAccessKey.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')) }, 'InvalidCredentials');
  await refused({ ...creds, sessionToken: 'forged' }, 'InvalidCredentials');
  await refused({ accessKeyId: 'ASIAUNKNOWNUNKNOWN00', secretAccessKey: 'x', sessionToken: 'y' }, 'InvalidCredentials');
  const bad = await federation({ Action: 'getSigninToken', Session: 'not json' });
  assert.equal(codeOf(bad.text), 'InvalidParameter');
  clockOffsetMs = 2 * 3_600_000;
  try {
    await refused(creds, 'ExpiredCredentials');
  } finally {
    clockOffsetMs = 0;
  }
});

test('SessionDuration must be 900 to 43200 seconds, and is refused for role-chained credentials, as on AWS', async () => {
  const creds = await assume('ExampleTeleportDynamoDBRole', 'dave');
  for (const d of ['899', '43201', 'soon', '1.5']) {
    const r = await federation({ Action: 'getSigninToken', SessionDuration: d, Session: session(creds) });
    assert.equal(r.status, 400, d);
    assert.match(r.text, /SessionDuration must be between 900 and 43200 seconds/);
  }
  await token(creds, { SessionDuration: '43200' });
  const chained = await assume('ExampleTeleportDynamoDBRole', 'dave', await assume('Hop', 'broker'));
  const r = await federation({ Action: 'getSigninToken', SessionDuration: '900', Session: session(chained) });
  assert.equal(r.status, 400);
  assert.match(r.text, /SessionDuration cannot be used with credentials from role chaining/);
  const t = await token(chained);
  const page = await federation({ Action: 'login', SigninToken: t, Destination: 'https://console.aws.amazon.com/' });
  assert.match(page.text, /id="signed-in-as">ExampleTeleportDynamoDBRole\/dave</);
});

test('anything else is refused', async () => {
  assert.equal((await federation({ Action: 'getFederationToken' })).status, 400);
  const res = await fetch(`${sandbox.signinEndpoint}/other`);
  assert.equal(res.status, 404);
});
