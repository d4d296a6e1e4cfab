/**
 * The guide's last step in a real browser (headless Chromium): alice signs
 * in to the web UI with her password and one-time code, opens
 * Applications, launches `aws`, picks ExampleTeleportDynamoDBRole and lands
 * on the (sandbox's) AWS console, signed in as
 * ExampleTeleportDynamoDBRole/alice. Once with the mouse on a desktop in the
 * light scheme, once with the keyboard alone on a 360 px phone in the dark
 * scheme. Against a real cluster, the seed's app service in its own
 * process, and the local AWS sandbox. The browser trusts the proxy's
 * certificate as a user's browser would, so its cache is in play (the back
 * button after sign-out). Screenshots of every step are kept in
 * test-output/web-console-*.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { startCluster, addUser, type TestCluster } from '../helpers/cluster.js';
import { caPinOf, sandboxAwsEnv, startAppService, type TestAppService } from '../helpers/appService.js';
import { chromium, screenshots } from '../helpers/browser.js';
import { totpSequence } from '../../src/shared/totp.js';
import { WebClient } from '../helpers/webClient.js';

// The page's globals, for the bodies of page.evaluate() (they run in the browser, this file in Node).
declare const document: any, window: any, navigator: any, getComputedStyle: (el: unknown) => any;

const ROLE = 'arn:aws:iam::123456789012:role/ExampleTeleportDynamoDBRole';
const READER = 'arn:aws:iam::123456789012:role/ReadOnlyRole';
const password = 'correct horse battery staple';
let sandbox: Sandbox;
let cluster: TestCluster;
let agent: TestAppService;
let browser: Browser;
let aliceCode: () => Promise<string>;
let auditorCode: () => Promise<string>;

before(async () => {
  sandbox = await startSandbox({ roles: [{ name: 'ExampleTeleportDynamoDBRole' }, { name: 'ReadOnlyRole', allowedActions: ['dynamodb:List*'] }] });
  cluster = await startCluster({ secondFactor: 'otp' });
  agent = await startAppService(cluster, {
    caPin: await caPinOf(cluster),
    env: sandboxAwsEnv(sandbox),
  });
  await agent.ready();
  aliceCode = totpSequence((await addUser(cluster, 'alice', ['access'], password, { awsRoleArns: [ROLE, READER] })).totpSecret!);
  auditorCode = totpSequence((await addUser(cluster, 'audrey', ['auditor'], password)).totpSecret!);
  browser = await chromium({ trust: cluster.proxyAddr });
});

after(async () => {
  await browser?.close();
  await agent?.close();
  await cluster?.close();
  await sandbox?.close();
});

/** The page does not scroll sideways: everything fits the viewport's width. */
async function fitsWidth(page: Page): Promise<void> {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  assert.ok(scroll <= width, `the page is ${scroll} px wide in a ${width} px viewport (${page.url()})`);
}

/** The console page the sandbox shows after a sign-in URL was followed. */
async function assertConsole(page: Page): Promise<void> {
  await page.locator('#signed-in-as').waitFor();
  assert.equal(await page.locator('#signed-in-as').textContent(), 'ExampleTeleportDynamoDBRole/alice');
  assert.equal(await page.locator('#destination').textContent(), 'https://console.aws.amazon.com/home/home');
  assert.equal(await page.locator('#issuer').textContent(), `https://${cluster.proxyAddr}`);
  assert.equal(new URL(page.url()).origin, sandbox.signinEndpoint, 'the browser went to the federation endpoint');
  assert.match(page.url(), /[?&]Action=login&/);
}

let desktop: BrowserContext;

test('alice signs in, opens Applications, launches aws and picks ExampleTeleportDynamoDBRole: the console shows her as ExampleTeleportDynamoDBRole/alice', async () => {
  const shot = await screenshots('web-console-mouse');
  desktop = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
  const page = await desktop.newPage();
  const failed: string[] = [];
  page.on('requestfailed', (r) => failed.push(r.url()));
  page.on('response', (r) => {
    if (r.url().startsWith(`https://${cluster.proxyAddr}`) && r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
  });

  await page.goto(`https://${cluster.proxyAddr}/`);
  assert.equal(new URL(page.url()).pathname, '/web/login', 'the proxy\'s address leads to the sign-in page');
  await page.getByLabel('User name').fill('alice');
  await page.getByLabel('Password').fill(password);
  await page.getByLabel('One-time code').fill(await aliceCode());
  await shot(page, 'sign-in');
  await page.getByRole('button', { name: 'Sign in' }).click();

  await page.getByRole('heading', { name: 'Applications' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/web/apps');
  assert.equal(await page.locator('#user-name').textContent(), 'alice');
  assert.deepEqual(await page.locator('#user-roles li').allTextContents(), ['access']);
  assert.equal(await page.getByRole('link', { name: 'Audit' }).count(), 0, 'alice is no auditor');
  const card = page.locator('#app-aws');
  assert.match((await card.textContent())!, new RegExp(`aws\\.127\\.0\\.0\\.1`));
  // The search box filters as one types.
  await page.getByLabel('Search applications').fill('nothing-like-this');
  assert.equal(await card.isVisible(), false);
  assert.equal(await page.locator('#app-count').textContent(), '0 apps');
  await page.getByLabel('Search applications').fill('aws');
  assert.equal(await card.isVisible(), true);
  await shot(page, 'applications');

  await page.getByRole('link', { name: 'Launch aws' }).click();
  await page.getByRole('heading', { name: /choose an IAM role/ }).waitFor();
  const picks = page.locator('button.pick');
  assert.deepEqual(await picks.locator('.role-name').allTextContents(), ['ExampleTeleportDynamoDBRole', 'ReadOnlyRole']);
  assert.deepEqual(await picks.locator('.account').allTextContents(), ['account 123456789012', 'account 123456789012']);
  // The full ARN shows on hover, and is the button's description for screen readers.
  const reader = picks.nth(1);
  await reader.hover();
  assert.equal(await reader.locator('.arn').isVisible(), true);
  assert.equal(await reader.getAttribute('title'), READER);
  assert.equal(await page.locator('#cli-0').textContent(), 'tsh apps login --aws-role ExampleTeleportDynamoDBRole aws');
  assert.equal(await page.locator('#cli-1').textContent(), 'tsh apps login --aws-role ReadOnlyRole aws');
  await desktop.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByRole('button', { name: 'Copy the command for ExampleTeleportDynamoDBRole' }).click();
  await page.locator('#copied-0').getByText('Copied').waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), 'tsh apps login --aws-role ExampleTeleportDynamoDBRole aws');
  await shot(page, 'role-picker');

  await page.getByRole('button', { name: /^ExampleTeleportDynamoDBRole/ }).click();
  await assertConsole(page);
  await shot(page, 'console');
  assert.deepEqual(failed, [], 'every page and asset loaded');

  // What the sandbox saw: one sign-in token for alice's role session (with a console session length), used once.
  const signins = sandbox.requests.filter((r) => r.service === 'signin');
  assert.deepEqual(signins.map((r) => [r.action, r.status, r.callerArn]), [
    ['getSigninToken', 200, 'arn:aws:sts::123456789012:assumed-role/ExampleTeleportDynamoDBRole/alice'],
    ['login', 200, 'arn:aws:sts::123456789012:assumed-role/ExampleTeleportDynamoDBRole/alice'],
  ]);
  assert.ok(signins[0].sessionDuration! > 11 * 3600 && signins[0].sessionDuration! <= 12 * 3600, `SessionDuration ${signins[0].sessionDuration}`);
});

test('the sign-in link works once: following it again is refused by the federation endpoint', async () => {
  const page = (desktop.pages())[0];
  const url = page.url();
  await page.goto(url);
  await page.locator('#error').waitFor();
  assert.equal(await page.locator('#error').getAttribute('data-code'), 'UsedSigninToken');
});

test('sign out, then the back button: the signed-in pages are gone, the sign-in page shows', async () => {
  const page = (desktop.pages())[0];
  await page.goto(`https://${cluster.proxyAddr}/web/apps`);
  await page.getByRole('heading', { name: 'Applications' }).waitFor();
  const cookie = (await desktop.cookies()).find((c) => c.name === '__Host-tsh_session')!;
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.secure, true);
  assert.equal(cookie.sameSite, 'Strict');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.locator('#login-notice').getByText('You have signed out.').waitFor();
  assert.equal((await desktop.cookies()).some((c) => c.name === '__Host-tsh_session'), false, 'the cookie is gone');
  await page.goBack();
  await page.getByRole('heading', { name: /Sign in to/ }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/web/login');
  assert.equal(await page.getByRole('heading', { name: 'Applications' }).count(), 0);
  // The session itself ended on the server: its cookie value no longer works anywhere.
  const replay = new WebClient(cluster.proxyAddr);
  replay.cookies.set('__Host-tsh_session', cookie.value);
  const apps = await replay.get('/web/apps');
  assert.equal(apps.status, 303);
  assert.equal(apps.location, '/web/login');
  await desktop.close();
});

test('the same with the keyboard alone, on a 360 px phone in the dark scheme', async () => {
  const shot = await screenshots('web-console-keyboard');
  const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, colorScheme: 'dark', hasTouch: true });
  const page = await phone.newPage();
  const focused = () => page.evaluate(() => {
    const el = document.activeElement;
    const s = getComputedStyle(el);
    return { id: el.id, tag: el.tagName, label: el.getAttribute('aria-label') ?? el.textContent?.trim() ?? '', outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 };
  });
  /** Tabs until the element matching `want` has the focus, checking that every stop shows it. */
  const tabTo = async (want: (f: Awaited<ReturnType<typeof focused>>) => boolean) => {
    for (let i = 0; i < 25; i++) {
      await page.keyboard.press('Tab');
      const f = await focused();
      assert.ok(f.outline, `focus on ${f.tag}#${f.id} "${f.label}" is visible`);
      if (want(f)) return;
    }
    assert.fail('the element was not reached with Tab');
  };

  await page.goto(`https://${cluster.proxyAddr}/web/login`);
  assert.equal((await focused()).id, 'user', 'the user name field has the focus');
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(background, 'rgb(15, 18, 22)', 'the dark scheme follows the browser');
  await page.keyboard.type('alice');
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  await page.keyboard.press('Tab');
  assert.equal((await focused()).id, 'otp');
  await page.keyboard.type(await aliceCode());
  await fitsWidth(page);
  await shot(page, 'sign-in');
  await page.keyboard.press('Enter');

  await page.getByRole('heading', { name: 'Applications' }).waitFor();
  await fitsWidth(page);
  await tabTo((f) => f.label === 'Launch aws');
  await shot(page, 'applications');
  await page.keyboard.press('Enter');

  await page.getByRole('heading', { name: /choose an IAM role/ }).waitFor();
  await fitsWidth(page);
  const pick = () => page.evaluate(() => document.activeElement?.querySelector('.role-name')?.textContent);
  assert.equal(await pick(), 'ExampleTeleportDynamoDBRole', 'the first role has the focus');
  await page.keyboard.press('ArrowDown');
  assert.equal(await pick(), 'ReadOnlyRole');
  assert.equal(await page.locator('button.pick').nth(1).locator('.arn').isVisible(), true, 'the focused role shows its ARN');
  await page.keyboard.press('ArrowDown');
  assert.equal(await pick(), 'ExampleTeleportDynamoDBRole', 'the arrows wrap around');
  await page.keyboard.press('End');
  assert.equal(await pick(), 'ReadOnlyRole');
  await page.keyboard.press('ArrowUp');
  assert.equal(await pick(), 'ExampleTeleportDynamoDBRole');
  assert.ok((await focused()).outline, 'the focused role shows the focus ring');
  await shot(page, 'role-picker');
  await page.keyboard.press('Enter');

  await assertConsole(page);
  await shot(page, 'console');
  await phone.close();
});

test('an auditor sees the web sign-ins, the app sessions started from the web and the console logins on the Audit page', async () => {
  const shot = await screenshots('web-console-audit');
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`https://${cluster.proxyAddr}/web/login`);
  await page.getByLabel('User name').fill('audrey');
  await page.getByLabel('Password').fill(password);
  await page.getByLabel('One-time code').fill(await auditorCode());
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Applications' }).waitFor();
  await page.getByRole('link', { name: 'Audit' }).click();
  await page.getByRole('heading', { name: 'Audit' }).waitFor();
  await page.getByLabel('User').fill('alice');
  await page.getByLabel('Event type').selectOption('aws.console.login');
  await page.getByRole('button', { name: 'Show events' }).click();
  await page.locator('#event-count').getByText(/^2 events, newest first/).waitFor();
  const rows = page.locator('#events tbody tr');
  assert.deepEqual(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-event'))), ['aws.console.login', 'aws.console.login']);
  assert.match((await rows.first().textContent())!, /AWS console for app aws as arn:aws:sts::123456789012:assumed-role\/ExampleTeleportDynamoDBRole\/alice/);
  await page.getByLabel('Event type').selectOption('');
  await page.getByRole('button', { name: 'Show events' }).click();
  await page.waitForURL(/type=&/);
  const kinds = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-event')));
  for (const kind of ['user.login', 'app.session.start', 'aws.console.login', 'web.session.end']) assert.ok(kinds.includes(kind), `${kind} is listed: ${kinds.join(', ')}`);
  assert.match((await page.locator('#events tbody tr[data-event="app.session.start"]').first().textContent())!, /role arn:aws:iam::123456789012:role\/ExampleTeleportDynamoDBRole via web/);
  assert.match((await page.locator('#events tbody tr[data-event="user.login"]').first().textContent())!, /via web/);
  const times = await page.locator('#events time').evaluateAll((ts) => ts.map((t) => t.getAttribute('datetime')!));
  assert.deepEqual(times, [...times].sort().reverse(), 'newest first');
  await shot(page, 'audit');
  await context.close();
});
