import type { Command } from 'commander';
import type { CliContext } from '../../cliContext.js';
import { readTeleportConfig } from '../../../cluster/config/teleportConfig.js';
import { runServices, type ServiceFlags } from '../runServices.js';

/** teleport start -c FILE [--diag-addr ADDR] [--log-format text|json]. */
export default async function (ctx: CliContext, cmd: Command): Promise<number> {
  const o = cmd.opts() as ServiceFlags & { config: string };
  return runServices(ctx, await readTeleportConfig(o.config), o);
}
