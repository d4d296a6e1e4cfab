import type { Command } from 'commander';
import type { CliContext } from '../../cliContext.js';
import { envFor } from '../env.js';
import { openClusterSession } from '../../../client/clusterSession.js';
import { appLogout } from '../../../client/apps/appLogout.js';

/** tsh apps logout [APP]. */
export default async function (ctx: CliContext, cmd: Command, app?: string): Promise<void> {
  const session = await openClusterSession(envFor(ctx, cmd));
  try {
    const names = await appLogout(envFor(ctx, cmd), session, app);
    if (names.length === 0) ctx.stdout.write('Not logged into any app.\n');
    else if (names.length === 1) ctx.stdout.write(`Logged out of app "${names[0]}"\n`);
    else ctx.stdout.write('Logged out of all apps\n');
  } finally {
    session.close();
  }
}
