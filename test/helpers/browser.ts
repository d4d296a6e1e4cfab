/**
 * Headless Chromium for the web UI tests (the demo's: see src/demo/chromium.ts),
 * and screenshots of each step under test-output/ (gitignored).
 */
import { mkdir } from 'node:fs/promises';
import { once } from 'node:events';
import tls from 'node:tls';
import { createHash, X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, launchChromium } from '../../src/demo/chromium.js';
import { repoRoot } from './binaries.js';

/**
 * Chromium, required: the tests need the real browser (scripts/setup.sh
 * installs it). With `trust`, the certificate of that TLS server (a test
 * proxy's own) is trusted like a real one: unlike a page with a certificate
 * error, its pages are cached as a user's browser would cache them.
 */
export async function chromium(opts: { trust?: string } = {}): Promise<Browser> {
  const browser = await launchChromium(opts.trust ? [`--ignore-certificate-errors-spki-list=${await spkiPin(opts.trust)}`] : []);
  if (!browser) throw new Error(`${CHROMIUM} and playwright-core are needed (bash scripts/setup.sh installs them)`);
  return browser;
}

/** The base64 SHA-256 of the public key a TLS server at host:port presents. */
async function spkiPin(addr: string): Promise<string> {
  const i = addr.lastIndexOf(':');
  const socket = tls.connect({ host: addr.slice(0, i), port: Number(addr.slice(i + 1)), rejectUnauthorized: false, servername: 'localhost' });
  await once(socket, 'secureConnect');
  const der = socket.getPeerCertificate().raw;
  socket.destroy();
  return createHash('sha256').update(new X509Certificate(der).publicKey.export({ type: 'spki', format: 'der' })).digest('base64');
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
