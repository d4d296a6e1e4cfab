import type { Command } from 'commander';
import type { CliContext } from '../../cliContext.js';
import { withConnection } from '../withConnection.js';
import { parseResourceFile } from '../../../shared/resources/checkResources.js';
import { readResourceFile } from '../readResourceFile.js';
import { warn } from '../../output.js';

/**
 * tctl create [-f] FILE: a file past the size limit is refused unread; every
 * document is checked here first (errors name the file, line and field),
 * then the cluster checks and writes them all in one batch, so nothing is
 * half-written.
 */
export default async function (ctx: CliContext, cmd: Command, file: string): Promise<void> {
  const force = Boolean((cmd.opts() as { force?: boolean }).force);
  const text = await readResourceFile(file, ctx.stdin);
  const { resources } = parseResourceFile(text, file === '-' ? 'stdin' : file);
  const res = await withConnection(ctx, cmd, (c) => c.api.rpc('resources.create', { docs: resources, overwrite: force }));
  for (const w of res.warnings) warn(ctx, w);
  for (const line of res.written) ctx.stdout.write(line + '\n');
}
