import type { ClientEnv } from '../clientEnv.js';
import type { Profile } from '../profile/profile.js';
import { openClusterSession } from '../clusterSession.js';
import { endAppSession, removeLocalAppState } from './appLogout.js';
import { openSecretStore } from '../keystore/openSecretStore.js';
import { TshError } from '../../shared/errors.js';

/**
 * Ends every app session of a profile on the cluster and removes the local
 * app state. Used by `tsh logout` and when another user logs in over a
 * profile. Resolves with why the cluster could not be told (the proxy is
 * unreachable, say), or undefined when every session ended or none needed
 * to: an expired login's sessions end with it. The local state is removed
 * only when the sessions ended, unless `force` is set, so a failed attempt
 * can be repeated.
 */
export async function endAllApps(ce: ClientEnv, profile: Profile, opts: { force?: boolean } = {}): Promise<string | undefined> {
  const names = Object.keys(profile.apps);
  if (names.length === 0) return undefined;
  let failure: string | undefined;
  try {
    const session = await openClusterSession({ ...ce, proxy: profile.webProxyAddr });
    try {
      for (const n of names) await endAppSession(session.api, profile.apps[n].sessionId);
    } finally {
      session.close();
    }
  } catch (err) {
    if (!(err instanceof TshError && err.code === 'SESSION_EXPIRED')) failure = (err as Error).message;
  }
  if (failure && !opts.force) return failure;
  const { store } = await openSecretStore({ home: ce.home, prefer: profile.secretStore });
  for (const n of names) await removeLocalAppState(ce, profile, store, n);
  return failure;
}
