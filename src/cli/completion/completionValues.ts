import { teleportHome } from '../../client/profile/paths.js';
import { localValues } from './localValues.js';
import { dynamicSources, type DynamicSource } from './model.js';

/** Control characters (a newline, a tab) would split one candidate into several lines or columns. */
const unsafe = /[\s\x00-\x1f\x7f]/;

/**
 * The lines `tsh __complete SOURCE [APP]` prints: app or role values as
 * `VALUE<TAB>DESCRIPTION`, from local files only; empty on any problem, since
 * a TAB must never show an error or wait for the network.
 */
export function completionValues(env: NodeJS.ProcessEnv, source: string, app?: string): string {
  if (!(dynamicSources as readonly string[]).includes(source)) return '';
  let out = '';
  for (const c of localValues(teleportHome(env), source as DynamicSource, app || undefined)) {
    if (!c.value || unsafe.test(c.value)) continue;
    out += c.description ? `${c.value}\t${c.description.replace(/[\x00-\x1f\x7f]/g, ' ')}\n` : `${c.value}\n`;
  }
  return out;
}
