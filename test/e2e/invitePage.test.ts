/**
 * The invite page in a real browser (headless Chromium): a new user opens
 * the link from `tctl users add`, enrols an authenticator, sets a password,
 * and can then log in with tsh.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { chromium } from '../helpers/browser.js';
import { startCluster, userEnv, type TestCluster } from '../helpers/cluster.js';
import { runBin } from '../helpers/binaries.js';
import { totpCode } from '../../src/shared/totp.js';

let cluster: TestCluster;
let browser: Browser;
let user: Awaited<ReturnType<typeof userEnv>>;

before(async () => {
  cluster = await startCluster({ secondFactor: 'otp' });
  browser = await chromium();
  user = await userEnv();
});
after(async () => {
  await browser?.close();
  await cluster?.close();
  await user?.cleanup();
});

test('a new user sets up their account in the browser, then logs in with tsh', async () => {
  const add = await cluster.tctl(['users', 'add', 'nina', '--roles=access']);
  assert.equal(add.code, 0, add.stderr);
  const url = /^(https:\/\/\S+\/web\/invite\/[0-9a-f]+)$/m.exec(add.stdout)![1];
  const page = await (await browser.newContext({ ignoreHTTPSErrors: true })).newPage();
  await page.goto(url);
  await page.getByText('Welcome, nina').waitFor();
  const secret = (await page.locator('#secret').textContent())!.trim();
  assert.match(secret, /^[A-Z2-7]{32}$/);
  assert.match((await page.locator('#uri').textContent())!, /^otpauth:\/\/totp\/test\.example\.com%3Anina\?secret=/);

  // Mismatched passwords are caught on the page; a short one by the cluster.
  await page.fill('#password', 'correct horse battery staple');
  await page.fill('#confirm', 'correct horse battery stapler');
  await page.fill('#code', totpCode(secret));
  await page.click('#submit');
  await page.getByText('The passwords do not match.').waitFor();
  await page.fill('#password', 'short pw');
  await page.fill('#confirm', 'short pw');
  await page.locator('#password').evaluate((el: any) => el.removeAttribute('minlength'));
  await page.locator('#confirm').evaluate((el: any) => el.removeAttribute('minlength'));
  await page.click('#submit');
  await page.getByText(/the password must be at least 12 characters long/).waitFor();

  await page.fill('#password', 'correct horse battery staple');
  await page.fill('#confirm', 'correct horse battery staple');
  await page.fill('#code', totpCode(secret));
  await page.click('#submit');
  await page.getByText('Your account is ready.').waitFor();
  assert.equal(await page.locator('#login-cmd').textContent(), `tsh login --proxy=${cluster.proxyAddr} --user=nina`);

  // The link is spent.
  await page.goto(url);
  await page.getByText(/This link cannot be used: this invite or reset link is not valid/).waitFor();

  const login = await runBin('tsh', ['login', `--proxy=${cluster.proxyAddr}`, '--user=nina', '--insecure'], { env: user.env, input: `correct horse battery staple\n${totpCode(secret, new Date(Date.now() + 30_000))}\n` });
  assert.equal(login.code, 0, login.stderr);
  assert.match(login.stdout, /Logged in as:\s+nina/);
});
