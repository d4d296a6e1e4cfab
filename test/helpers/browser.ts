/**
 * Headless Chromium for the web UI tests (the demo's: see src/demo/chromium.ts),
 * and screenshots of each step under test-output/ (gitignored).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, launchChromium } from '../../src/demo/chromium.js';
import { repoRoot } from './binaries.js';

/** Chromium, required: the tests need the real browser (scripts/setup.sh installs it). */
export async function chromium(): Promise<Browser> {
  const browser = await launchChromium();
  if (!browser) throw new Error(`${CHROMIUM} and playwright-core are needed (bash scripts/setup.sh installs them)`);
  return browser;
}

/** Numbered full-page screenshots of one run, in test-output/<run>/; returns the path of each. */
export async function screenshots(run: string): Promise<(page: Page, step: string) => Promise<string>> {
  const dir = join(repoRoot, 'test-output', run);
  await mkdir(dir, { recursive: true });
  let n = 0;
  return async (page, step) => {
    const path = join(dir, `${String(++n).padStart(2, '0')}-${step}.png`);
    await page.screenshot({ path, fullPage: true });
    return path;
  };
}
