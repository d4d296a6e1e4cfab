import type { Command } from 'commander';
import type { CliContext } from '../../cliContext.js';
import { envFor } from '../env.js';
import { openClusterSession } from '../../../client/clusterSession.js';
import { listApps } from '../../../client/apps/listApps.js';
import { printData, table, type Format } from '../../output.js';
import { appResource } from '../../../shared/resources/appResource.js';

/**
 * tsh apps ls: Application, Description, Public Address, Labels (and URI with -v); `> ` marks apps you are
 * logged into. `-f json|yaml` prints Teleport's `kind: app` resources.
 */
export default async function (ctx: CliContext, cmd: Command): Promise<void> {
  const ce = envFor(ctx, cmd);
  const o = cmd.opts() as { format: Format; verbose?: boolean };
  const session = await openClusterSession(ce);
  try {
    const apps = await listApps(ce, session);
    await printData(ctx, o.format, apps.map(appResource), () => {
      if (apps.length === 0) return 'No apps are available to you.\n';
      const headers = ['Application', 'Description', 'Public Address', 'Labels', ...(o.verbose ? ['URI'] : [])];
      const rows = apps.map((a) => [
        `${session.profile.apps[a.name] ? '> ' : ''}${a.name}`,
        a.description,
        a.publicAddr,
        Object.entries(a.labels).map(([k, v]) => `${k}=${v}`).join(','),
        ...(o.verbose ? [a.uri] : []),
      ]);
      return table(ctx, headers, rows);
    });
  } finally {
    session.close();
  }
}
