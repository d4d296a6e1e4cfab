import type { Command } from 'commander';
import type { CliContext } from '../../cliContext.js';
import { configureYaml, type ConfigureOptions } from '../../../cluster/config/configure.js';
import { writeNewFile } from '../writeNewFile.js';

/** teleport configure [--roles ...] [...] [--output FILE]: prints (or writes, 0600: it may hold a join token) a teleport.yaml. */
export default async function (ctx: CliContext, cmd: Command): Promise<void> {
  const o = cmd.opts() as Omit<ConfigureOptions, 'roles'> & { roles?: string[]; output?: string };
  const text = configureYaml({ ...o, roles: o.roles ?? ['auth', 'proxy'] });
  if (!o.output) return void ctx.stdout.write(text);
  const path = await writeNewFile(o.output, text, 0o600);
  ctx.stderr.write(`Wrote ${path}. Start teleport with it:\n\n  teleport start -c ${path}\n`);
}
