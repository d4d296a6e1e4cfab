import { PRODUCT, VERSION } from '../../shared/version.js';

/**
 * What `tsh version [-f json]` prints. One function for the start-up fast
 * path (fast.ts) and the full command, so the two can never differ.
 */
export function versionText(format: 'text' | 'json'): string {
  if (format === 'json') return JSON.stringify({ version: VERSION, product: PRODUCT, node: process.version }, null, 2) + '\n';
  return `${PRODUCT} tsh v${VERSION} node/${process.version}\n`;
}
