import { PRODUCT, VERSION } from '../shared/version.js';

/** The three programs, as they name themselves in `PROGRAM version`. */
export type ProgramName = 'tsh' | 'tctl' | 'teleport';

/**
 * What `tsh version`, `tctl version` and `teleport version` print (`-f json`
 * for scripts), in one shape for all three: one function for the commands and
 * tsh's start-up fast path, so they can never differ. The JSON names follow
 * Teleport's (`version`, `runtime`).
 */
export function versionText(program: ProgramName, format: 'text' | 'json'): string {
  const runtime = `node/${process.version}`;
  if (format === 'json') return JSON.stringify({ product: PRODUCT, program, version: VERSION, runtime }, null, 2) + '\n';
  return `${PRODUCT} ${program} v${VERSION} ${runtime}\n`;
}
