/**
 * The web UI's refusals and protections, over HTTP with a stock client
 * (undici), against a real cluster, the seed's app service (plus a web app
 * that is not AWS) and the sandbox: what a browser would never let a test
 * provoke, and what it must never see.
 */
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { startCluster, addUser, userEnv, tshLogin, type TestCluster } from '../helpers/cluster.js';
import { caPinOf, sandboxAwsEnv, startAppService, type TestAppService } from '../helpers/appService.js';
import { WebClient, type WebAnswer } from '../helpers/webClient.js';
import { totpCode, totpSequence } from '../../src/shared/totp.js';

const ROLE = 'arn:aws:iam::123456789012:role/ExampleTeleportDynamoDBRole';
const OTHER = 'arn:aws:iam::123456789012:role/AdminRole';
const password = 'correct horse battery staple';
let sandbox: Sandbox;
let cluster: TestCluster;
let agent: TestAppService;
const codes = new Map<string, () => Promise<string>>();
const secrets = new Map<string, string>();

async function user(name: string, roles: string[], awsRoleArns: string[] = []): Promise<void> {
  const { totpSecret } = await addUser(cluster, name, roles, password, { awsRoleArns });
  secrets.set(name, totpSecret!);
  codes.set(name, totpSequence(totpSecret!));
}

/** A client signed in as the user (through the form, as a browser does). */
async function signIn(name: string): Promise<WebClient> {
  const web = new WebClient(cluster.proxyAddr);
  const r = await web.signIn(name, password, await codes.get(name)!());
  assert.equal(r.status, 303, r.text);
  assert.equal(r.location, '/web/apps');
  return web;
}

/** alice's one session, shared by the tests that do not end it (each sign-in spends a one-time code). */
let aliceWeb: Promise<WebClient> | undefined;
const signedIn = (name: string): Promise<WebClient> => (name === 'alice' ? (aliceWeb ??= signIn('alice')) : signIn(name));

const messageOf = (page: WebAnswer) => /id="(?:message|login-error)">([^<]*)</.exec(page.text)?.[1].replace(/&quot;/g, '"').replace(/&#39;/g, "'");
const events = async (type: string) => JSON.parse((await cluster.tctl(['audit', 'events', '--since', '1h', '--type', type, '-f', 'json'])).stdout) as any[];
const signinUrlOf = (page: WebAnswer) => /http-equiv="refresh" content="0;url=([^"]+)"/.exec(page.text)![1].replace(/&amp;/g, '&');

/** Asks for a launch of the role and follows the one-use link; returns that link and the page it gave. */
async function launch(web: WebClient, role: string): Promise<{ link: string; page: WebAnswer }> {
  const picker = await web.get('/web/apps/aws');
  const posted = await web.post('/web/launch', { csrf: WebClient.csrfOf(picker), app: 'aws', role });
  assert.equal(posted.status, 303, posted.text);
  assert.match(posted.location!, /^\/web\/launch\/[A-Za-z0-9_-]{43}$/);
  return { link: posted.location!, page: await web.get(posted.location!) };
}

before(async () => {
  sandbox = await startSandbox({ roles: [{ name: 'ExampleTeleportDynamoDBRole' }, { name: 'AdminRole' }] });
  cluster = await startCluster({ secondFactor: 'otp' });
  agent = await startAppService(cluster, {
    caPin: await caPinOf(cluster),
    env: sandboxAwsEnv(sandbox),
    apps: '  - name: aws\n    uri: https://console.aws.amazon.com/home/home\n  - name: grafana\n    uri: https://grafana.example.com\n    description: Dashboards\n',
  });
  await agent.ready();
  await writeFile(
    join(cluster.dir, 'roles.yaml'),
    'kind: role\nversion: v5\nmetadata: {name: seconds}\nspec:\n  options: {max_session_ttl: 6s}\n---\nkind: role\nversion: v5\nmetadata: {name: minutes}\nspec:\n  options: {max_session_ttl: 10m}\n',
  );
  assert.equal((await cluster.tctl(['create', join(cluster.dir, 'roles.yaml')])).code, 0);
  await user('alice', ['access'], [ROLE]);
  await user('bob', ['access'], [ROLE]);
  await user('carol', ['access'], [ROLE]);
  await user('frank', ['access'], [ROLE]);
  await user('gina', ['access'], [ROLE]);
  await user('hank', ['access'], [ROLE]);
  await user('eve', ['access', 'seconds'], [ROLE]);
  await user('dan', ['access', 'minutes'], [ROLE]);
});

after(async () => {
  await agent?.close();
  await cluster?.close();
  await sandbox?.close();
});

describe('web UI security', () => {
  test('every page and asset carries the strict headers; pages are never cached', async () => {
    const web = await signedIn('alice');
    const apps = await web.get('/web/apps');
    const css = /href="(\/web\/assets\/[0-9a-f]{12}\/app\.css)"/.exec(apps.text)![1];
    const js = /src="(\/web\/assets\/[0-9a-f]{12}\/app\.js)"/.exec(apps.text)![1];
    const anonymous = new WebClient(cluster.proxyAddr);
    const answers: Array<[string, WebAnswer]> = [
      ['/web/login', await anonymous.get('/web/login')],
      ['/web/invite/0123', await anonymous.get('/web/invite/0123')],
      ['/web/apps (signed out)', await anonymous.get('/web/apps')],
      ['/web/apps', apps],
      ['/web/apps/aws', await web.get('/web/apps/aws')],
      ['/web/nothing', await web.get('/web/nothing')],
      [css, await web.get(css)],
      [js, await web.get(js)],
    ];
    for (const [path, r] of answers) {
      const csp = String(r.headers['content-security-policy']);
      assert.match(csp, /(^|; )script-src 'self'(;|$)/, `${path}: scripts from the proxy only`);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, `${path}: no inline script`);
      assert.match(csp, /frame-ancestors 'none'/, path);
      assert.match(csp, /default-src 'none'/, path);
      assert.equal(r.headers['x-content-type-options'], 'nosniff', path);
      assert.equal(r.headers['referrer-policy'], 'no-referrer', path);
      assert.equal(r.headers['x-frame-options'], 'DENY', path);
    }
    for (const [path, r] of answers.slice(0, 6)) assert.equal(r.headers['cache-control'], 'no-store', path);
    assert.equal(answers[5][1].status, 404);
    assert.match(String(answers[6][1].headers['content-type']), /^text\/css/);
    assert.match(String(answers[6][1].headers['cache-control']), /immutable/);
    // No inline script or style anywhere, and nothing loaded from elsewhere.
    for (const [path, r] of answers.slice(0, 6)) {
      assert.doesNotMatch(r.text, /<script(?![^>]*\ssrc=)|<style|\sstyle=|\son[a-z]+=/, `${path}: no inline script or style`);
      assert.doesNotMatch(r.text, /(src|href)="(https?:)?\/\//, `${path}: no third-party asset`);
    }
    const cookie = String((await new WebClient(cluster.proxyAddr).signIn('frank', password, await codes.get('frank')!())).headers['set-cookie']);
    assert.match(cookie, /__Host-tsh_session=[A-Za-z0-9_-]{43}; Path=\/; Expires=[^;]+; HttpOnly; Secure; SameSite=Strict/);
  });

  test('a wrong password and an unknown user get the same message; so does a wrong one-time code', async () => {
    const web = new WebClient(cluster.proxyAddr);
    const wrongPassword = await web.signIn('bob', 'not the password at all', totpCode(secrets.get('bob')!));
    const unknown = await web.signIn('nobody', password, '123456');
    const wrongCode = await web.signIn('bob', password, '000000');
    for (const r of [wrongPassword, unknown, wrongCode]) {
      assert.equal(r.status, 401);
      assert.equal(messageOf(r), 'Invalid user name, password or one-time code. After 5 failed attempts the account is locked for 30 minutes.');
      assert.equal(web.cookies.has('__Host-tsh_session'), false, 'no session');
    }
    assert.match(wrongPassword.text, /value="bob"/, 'the user name stays in the field');
    const failures = (await events('user.login.failure')).filter((e) => e.via === 'web');
    assert.deepEqual(failures.map((e) => e.user), ['bob', 'nobody', 'bob']);
  });

  test('the lockout after five failures is shared with tsh login', async () => {
    // bob failed twice above (password, code); two more here, and the fifth with tsh.
    const web = new WebClient(cluster.proxyAddr);
    for (let i = 0; i < 2; i++) assert.equal((await web.signIn('bob', 'wrong password again', '000000')).status, 401);
    const home = await userEnv();
    try {
      const fifth = await tshLogin(home.env, cluster.proxyAddr, 'bob', 'still the wrong one', { totpSecret: secrets.get('bob') });
      assert.equal(fifth.code, 1);
      assert.match(fifth.stderr, /user "bob" is locked until \d\d:\d\d UTC after 5 failed login attempts/);
      const right = await web.signIn('bob', password, await codes.get('bob')!());
      assert.equal(right.status, 423);
      assert.match(messageOf(right)!, /^User "bob" is locked until \d\d:\d\d UTC after 5 failed login attempts\. Wait 30 minutes, or ask an administrator to run `tctl users reset bob`\.$/);
    } finally {
      await home.cleanup();
    }
  });

  test('a POST without the CSRF token, or with another session\'s, changes nothing', async () => {
    const web = await signedIn('alice');
    const other = await signedIn('gina');
    const otherToken = WebClient.csrfOf(await other.get('/web/apps'));
    const forms: Array<Record<string, string>> = [{ app: 'aws', role: ROLE }, { app: 'aws', role: ROLE, csrf: otherToken }, { app: 'aws', role: ROLE, csrf: '' }];
    for (const form of forms) {
      const r = await web.post('/web/launch', form);
      assert.equal(r.status, 403, JSON.stringify(form));
      assert.match(messageOf(r)!, /missing or wrong CSRF token/);
    }
    const out = await web.post('/web/logout', {});
    assert.equal(out.status, 403);
    assert.equal((await web.get('/web/apps')).status, 200, 'still signed in');
    const login = await new WebClient(cluster.proxyAddr).post('/web/login', { user: 'alice', password, otp: '123456' });
    assert.equal(login.status, 403, 'the sign-in form has its own token');
  });

  test('a cross-origin POST is refused, whatever it carries', async () => {
    const web = await signedIn('alice');
    const csrf = WebClient.csrfOf(await web.get('/web/apps/aws'));
    const tries: Array<[string, { origin?: string | null; fetchSite?: string }]> = [
      ['another site', { origin: 'https://evil.example' }],
      ['the same host over http', { origin: `http://${cluster.proxyAddr}` }],
      ['an opaque origin from another site', { origin: 'null', fetchSite: 'cross-site' }],
      ['no origin at all', { origin: null }],
    ];
    for (const [what, opts] of tries) {
      const r = await web.post('/web/launch', { csrf, app: 'aws', role: ROLE }, opts);
      assert.equal(r.status, 403, what);
      assert.match(messageOf(r)!, /did not come from a page of this proxy/, what);
    }
    // The browser's own post, under our no-referrer policy, is an opaque origin from the same site: accepted.
    const own = await web.post('/web/launch', { csrf, app: 'aws', role: ROLE }, { origin: 'null', fetchSite: 'same-origin' });
    assert.equal(own.status, 303);
  });

  test('a role outside the user\'s set cannot be launched by crafting the request', async () => {
    const web = await signedIn('alice');
    const csrf = WebClient.csrfOf(await web.get('/web/apps/aws'));
    const before = (await events('app.session.start')).length;
    for (const role of [OTHER, 'arn:aws:iam::999999999999:role/ExampleTeleportDynamoDBRole', '']) {
      const r = await web.post('/web/launch', { csrf, app: 'aws', role });
      assert.equal(r.status, 403, role);
      assert.equal(messageOf(r), `IAM role "${role}" is not allowed for you on app "aws"`);
    }
    const noApp = await web.post('/web/launch', { csrf, app: 'secret-app', role: ROLE });
    assert.equal(noApp.status, 404);
    assert.equal((await web.get('/web/apps/%E0%A4%A')).status, 404, 'a malformed app name names no page');
    assert.equal((await events('app.session.start')).length, before, 'no app session was opened');
    assert.equal(sandbox.requests.filter((r) => r.action === 'AssumeRole' && r.callerArn?.includes('AdminRole')).length, 0);
  });

  test('a launch link works once, for the session that asked for it only; the sign-in token too', async () => {
    const web = await signedIn('alice');
    const { link, page } = await launch(web, ROLE);
    assert.equal(page.status, 200, page.text);
    const url = signinUrlOf(page);
    assert.match(url, new RegExp(`^${sandbox.signinEndpoint}/federation\\?Action=login&Issuer=`));
    assert.doesNotMatch(page.text, /ASIA[A-Z2-7]{16}|sessionKey/, 'no AWS key reaches the browser');
    const again = await web.get(link);
    assert.equal(again.status, 404);
    assert.equal(messageOf(again), 'this launch link has already been used or has expired');

    // A link another session asked for is refused (and burnt).
    const other = await signedIn('gina');
    const picker = await web.get('/web/apps/aws');
    const posted = await web.post('/web/launch', { csrf: WebClient.csrfOf(picker), app: 'aws', role: ROLE });
    assert.equal((await other.get(posted.location!)).status, 404);
    assert.equal((await web.get(posted.location!)).status, 404, 'burnt');
    assert.equal((await web.get('/web/launch/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).status, 404);

    // The sign-in token is the federation endpoint's to spend: once.
    const { request } = await import('undici');
    const first = await request(url);
    assert.equal(first.statusCode, 200);
    assert.match(await first.body.text(), /id="signed-in-as">ExampleTeleportDynamoDBRole\/alice</);
    const reused = await request(url);
    assert.equal(reused.statusCode, 400);
    assert.match(await reused.body.text(), /data-code="UsedSigninToken"/);
    // Neither the keys nor the token reach a log.
    await new Promise((r) => setTimeout(r, 100));
    const token = new URL(url).searchParams.get('SigninToken')!;
    for (const log of [cluster.logs(), agent.logs()]) {
      assert.ok(!log.includes(token), 'no sign-in token in the logs');
      assert.doesNotMatch(log, /ASIA[A-Z2-7]{16}/, 'no temporary AWS key in the logs');
    }
    const audit = (await events('aws.console.login')).at(-1)!;
    assert.equal(audit.user, 'alice');
    assert.equal(audit.aws_role_arn, ROLE);
    assert.equal(audit.aws_assumed_role, 'arn:aws:sts::123456789012:assumed-role/ExampleTeleportDynamoDBRole/alice');
    assert.ok(!JSON.stringify(audit).includes(token));
    const start = (await events('app.session.start')).at(-1)!;
    assert.equal(start.via, 'web');
    assert.equal(start.sid, audit.sid, 'the console login names the app session it came from');
  });

  test('a web session ends when the login expires', async () => {
    const web = await signedIn('eve');
    assert.equal((await web.get('/web/apps')).status, 200);
    const deadline = Date.now() + 30_000;
    let r: WebAnswer;
    for (;;) {
      r = await web.get('/web/apps');
      if (r.status !== 200 || Date.now() > deadline) break;
      await new Promise((res) => setTimeout(res, 250));
    }
    assert.equal(r.status, 303);
    assert.equal(r.location, '/web/login?ended=expired');
    assert.equal(web.cookies.has('__Host-tsh_session'), false, 'the cookie is cleared');
    const page = await web.get(r.location!);
    assert.match(page.text, /id="login-notice">Your session expired\. Sign in again\.</);
    assert.ok((await events('web.session.end')).some((e) => e.user === 'eve' && e.reason === 'expired'));
  });

  test('the console needs 15 minutes of login left: a shorter one is refused with the reason', async () => {
    const web = await signedIn('dan');
    const { page } = await launch(web, ROLE);
    assert.equal(page.status, 401, page.text);
    assert.match(messageOf(page)!, /^the shortest AWS console session is 15 minutes, but this login expires in [89] minutes \(log in again with `tsh login`, or sign in to the web UI again, then launch the console\)$/);
    assert.equal(sandbox.requests.filter((r) => r.callerArn?.endsWith('/dan')).length, 0, 'no role was assumed');
  });

  test('a web session ends when the user is removed', async () => {
    const web = await signedIn('carol');
    assert.equal((await cluster.tctl(['users', 'rm', 'carol'])).code, 0);
    const r = await web.get('/web/apps');
    assert.equal(r.status, 303);
    assert.equal(r.location, '/web/login?ended=user%20removed');
    assert.ok((await events('web.session.end')).some((e) => e.user === 'carol' && e.reason === 'user removed'));
  });

  test('a web session ends when the user is locked, and signing in again is refused while the lock lasts', async () => {
    const web = await signedIn('hank');
    const lock = await cluster.tctl(['lock', '--user=hank', '--message=under investigation']);
    assert.equal(lock.code, 0, lock.stderr);
    const r = await web.get('/web/apps');
    assert.equal(r.status, 303);
    assert.equal(r.location, '/web/login?ended=locked');
    assert.match((await web.get(r.location!)).text, /id="login-notice">Your session has ended: an administrator locked your access\./);
    assert.ok((await events('web.session.end')).some((e) => e.user === 'hank' && e.reason === 'locked'));
    const again = await new WebClient(cluster.proxyAddr).signIn('hank', password, await codes.get('hank')!());
    assert.notEqual(again.status, 303, 'no session while the lock lasts');
    assert.match(messageOf(again) ?? '', /under investigation/);
  });

  test('an app that is not an AWS console is refused with a clear page', async () => {
    const web = await signedIn('alice');
    const apps = await web.get('/web/apps');
    assert.match(apps.text, /id="app-grafana"/, 'it is listed');
    const r = await web.get('/web/apps/grafana');
    assert.equal(r.status, 400);
    assert.equal(messageOf(r), '"grafana" is not an AWS console app, so it cannot be launched here (its URI is https://grafana.example.com)');
    const csrf = WebClient.csrfOf(apps);
    assert.equal((await web.post('/web/launch', { csrf, app: 'grafana', role: ROLE })).status, 400);
  });

  test('the Audit page is for users who may read the audit log', async () => {
    const web = await signedIn('alice');
    assert.doesNotMatch((await web.get('/web/apps')).text, /href="\/web\/audit"/);
    const r = await web.get('/web/audit');
    assert.equal(r.status, 403);
    assert.equal(messageOf(r), 'your roles do not allow reading the audit log');
  });

  test('sign-out ends the session on the server', async () => {
    const web = await signedIn('frank');
    const cookie = web.cookies.get('__Host-tsh_session')!;
    const out = await web.post('/web/logout', { csrf: WebClient.csrfOf(await web.get('/web/apps')) });
    assert.equal(out.status, 303);
    assert.equal(out.location, '/web/login?ended=signed%20out');
    const replay = new WebClient(cluster.proxyAddr);
    replay.cookies.set('__Host-tsh_session', cookie);
    assert.equal((await replay.get('/web/apps')).location, '/web/login');
    assert.ok((await events('web.session.end')).some((e) => e.user === 'frank' && e.reason === 'signed out'));
  });
});
