/**
 * Headless Chromium for the demo and the web UI tests: Debian's
 * `chromium` driven by playwright-core (which gives each launch a fresh
 * profile of its own), with the switches that keep it quiet and offline.
 */
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** A headless Chromium (with more switches, if given), or undefined when Chromium or playwright-core is not installed. */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser | undefined> {
  if (!existsSync(CHROMIUM)) return undefined;
  const playwright = await import('playwright-core').catch(() => undefined);
  return playwright?.chromium.launch({ executablePath: CHROMIUM, args: [...ARGS, ...extraArgs] });
}
