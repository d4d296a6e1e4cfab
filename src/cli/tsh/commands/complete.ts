import type { Command } from 'commander';
import type { CliContext } from '../../cliContext.js';
import { teleportHome } from '../../../client/profile/paths.js';
import { localValues } from '../../completion/localValues.js';
import { dynamicSources, type DynamicSource } from '../../completion/model.js';

/** Control characters (a newline, a tab) would split one candidate into several lines or columns. */
const unsafe = /[\s\x00-\x1f\x7f]/;

/**
 * tsh __complete SOURCE [APP] (hidden): the app or role values the shell
 * scripts offer, one per line as `VALUE<TAB>DESCRIPTION`. It reads local
 * files only and prints nothing on any problem: a TAB must never show an error
 * or wait for the network.
 */
export default async function (ctx: CliContext, _cmd: Command, source: string, app?: string): Promise<void> {
  if (!(dynamicSources as readonly string[]).includes(source)) return;
  let out = '';
  for (const c of localValues(teleportHome(ctx.env), source as DynamicSource, app || undefined)) {
    if (!c.value || unsafe.test(c.value)) continue;
    out += c.description ? `${c.value}\t${c.description.replace(/[\x00-\x1f\x7f]/g, ' ')}\n` : `${c.value}\n`;
  }
  ctx.stdout.write(out);
}
