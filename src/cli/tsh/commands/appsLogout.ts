import type { Command } from 'commander';
import type { CliContext } from '../../cliContext.js';
import { envFor } from '../env.js';
import { openClusterSession, selectProfile } from '../../../client/clusterSession.js';
import { appLogout, forgetApps } from '../../../client/apps/appLogout.js';
import { TshError } from '../../../shared/errors.js';
import { warn } from '../../output.js';

/**
 * tsh apps logout [APP]. With an expired login the cluster cannot be told,
 * but the app sessions end with the login anyway: the local keys are
 * removed all the same.
 */
export default async function (ctx: CliContext, cmd: Command, app?: string): Promise<void> {
  const ce = envFor(ctx, cmd);
  let names: string[];
  try {
    const session = await openClusterSession(ce);
    try {
      names = await appLogout(ce, session, app);
    } finally {
      session.close();
    }
  } catch (err) {
    if (!(err instanceof TshError && err.code === 'SESSION_EXPIRED')) throw err;
    names = await forgetApps(ce, await selectProfile(ce), app);
    warn(ctx, 'your login has expired, so the cluster was not told; the app sessions ended with the login');
  }
  if (names.length === 0) ctx.stdout.write('Not logged into any app.\n');
  else if (names.length === 1) ctx.stdout.write(`Logged out of app "${names[0]}"\n`);
  else ctx.stdout.write('Logged out of all apps\n');
}
