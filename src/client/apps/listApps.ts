import type { AppListing } from '../../shared/api/types.js';
import { writePrivateFile } from '../profile/writePrivateFile.js';
import { paths } from '../profile/paths.js';
import type { ClusterSession } from '../clusterSession.js';
import type { ClientEnv } from '../clientEnv.js';

export type { AppListing };

/**
 * The apps the user's roles reach, as the cluster lists them. The answer is
 * also kept in TELEPORT_HOME/cache/apps.json, so shell completion can offer
 * app and role names without a network call.
 */
export async function listApps(ce: ClientEnv, session: ClusterSession): Promise<AppListing[]> {
  const apps = await session.api.rpc('apps.list');
  await writePrivateFile(
    paths.appsCache(ce.home),
    JSON.stringify({ proxy: session.profile.name, apps: apps.map((a) => ({ name: a.name, awsRoleArns: a.awsRoleArns })) }) + '\n',
  ).catch(() => {});
  return apps;
}
