/**
 * The demo's console step, the guide's "Using AWS Management Console": the
 * user opens the AWS console through the web UI. With headless Chromium
 * (Debian's, driven by playwright-core) the demo does what a person does:
 * signs in, opens Applications, clicks Launch on the app and picks the
 * role. Without it, `tsh aws console --print` gives the sign-in URL and the
 * demo follows it. Either way it shows who the console says is signed in.
 */
import type { Browser } from 'playwright-core';
import type { ChalkInstance } from 'chalk';
import type { StepRunner } from './steps.js';
import { launchChromium } from './chromium.js';

/** What the step needs from the demo. */
export interface ConsoleStepOptions {
  steps: StepRunner;
  c: ChalkInstance;
  proxy: string;
  user: string;
  password: string;
  /** The user's next one-time code. */
  otp: () => Promise<string>;
  app: string;
  roleName: string;
  /** Runs tsh with the demo's environment and shows it. */
  tsh: (args: string[]) => Promise<{ stdout: string }>;
  /** Skip the browser even when there is one (`--no-browser`). */
  noBrowser: boolean;
}

/** Opens the console as the user and prints who it says is signed in. */
export async function consoleStep(o: ConsoleStepOptions): Promise<void> {
  const browser = o.noBrowser ? undefined : await launchChromium();
  const shown = browser ? await throughWebUi(o, browser) : await throughTsh(o);
  process.stdout.write(`${o.c.bold('The console says:')} signed in through federated login as ${o.c.bold.green(shown.signedInAs)} (destination ${shown.destination})\n`);
}

interface ConsolePage {
  signedInAs: string;
  destination: string;
}

async function throughWebUi(o: ConsoleStepOptions, browser: Browser): Promise<ConsolePage> {
  o.steps.note(`(headless Chromium signs in to https://${o.proxy}/web as ${o.user}, opens Applications, clicks Launch on ${o.app} and picks ${o.roleName})`);
  return o.steps.spin('Opening the AWS console in the browser', async () => {
    try {
      // The proxy's certificate is signed by the demo cluster's own CA.
      const page = await (await browser.newContext({ ignoreHTTPSErrors: true })).newPage();
      await page.goto(`https://${o.proxy}/web/login`);
      await page.getByLabel('User name').fill(o.user);
      await page.getByLabel('Password').fill(o.password);
      const otp = page.getByLabel('One-time code');
      if (await otp.count()) await otp.fill(await o.otp());
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('link', { name: `Launch ${o.app}` }).click();
      await page.getByRole('button', { name: new RegExp(`^${o.roleName}`) }).click();
      await page.locator('#signed-in-as').waitFor();
      return { signedInAs: (await page.locator('#signed-in-as').textContent()) ?? '', destination: (await page.locator('#destination').textContent()) ?? '' };
    } finally {
      await browser.close();
    }
  });
}

async function throughTsh(o: ConsoleStepOptions): Promise<ConsolePage> {
  o.steps.note('(without a browser: the sign-in URL tsh prints is followed as a browser would)');
  const { stdout } = await o.tsh(['aws', 'console', '--print']);
  const res = await fetch(stdout.trim());
  const page = await res.text();
  const field = (id: string) => new RegExp(`id="${id}">([^<]*)<`).exec(page)?.[1] ?? '';
  if (!res.ok || !field('signed-in-as')) throw new Error(`the console sign-in failed (HTTP ${res.status})`);
  return { signedInAs: field('signed-in-as'), destination: field('destination') };
}
