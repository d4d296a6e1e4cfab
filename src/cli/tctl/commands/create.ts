import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import type { CliContext } from '../../cliContext.js';
import { withConnection } from '../withConnection.js';
import { parseResourceFile } from '../../../shared/resources/checkResources.js';
import { TshError } from '../../../shared/errors.js';
import { warn } from '../../output.js';

/**
 * tctl create [-f] FILE: every document is checked here first (errors name
 * the file, line and field), then the cluster checks and writes them all in
 * one batch, so nothing is half-written.
 */
export default async function (ctx: CliContext, cmd: Command, file: string): Promise<void> {
  const force = Boolean((cmd.opts() as { force?: boolean }).force);
  let text: string;
  try {
    text = file === '-' ? await readStdin(ctx.stdin) : await readFile(file, 'utf8');
  } catch (err) {
    throw new TshError('BAD_INPUT', `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? err}`);
  }
  const { resources } = parseResourceFile(text, file === '-' ? 'stdin' : file);
  const res = await withConnection(ctx, cmd, (c) => c.api.rpc<{ written: string[]; warnings: string[] }>('resources.create', { docs: resources, overwrite: force }));
  for (const w of res.warnings) warn(ctx, w);
  for (const line of res.written) ctx.stdout.write(line + '\n');
}

async function readStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stdin) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
