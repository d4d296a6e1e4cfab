/**
 * Headless Chromium (Debian's) through playwright-core, as the web UI tests
 * and the demo drive it. Playwright gives every launch a fresh profile
 * (its own --user-data-dir), so no state carries over between runs.
 * Screenshots go under test-output/ (gitignored).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { repoRoot } from './binaries.js';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
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
