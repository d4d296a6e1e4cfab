import type { ClientEnv } from '../clientEnv.js';
import type { Profile } from '../profile/profile.js';
import { openClusterSession } from '../clusterSession.js';
import { endAppSession, removeLocalAppState } from './appLogout.js';
import { openSecretStore } from '../keystore/openSecretStore.js';

/**
 * Ends every app session of a profile on the cluster (while its login is
 * still valid) and removes the local app state. Used by `tsh logout` and
 * when another user logs in over a profile.
 */
export async function endAllApps(ce: ClientEnv, profile: Profile): Promise<void> {
  const names = Object.keys(profile.apps);
  if (names.length === 0) return;
  try {
    const session = await openClusterSession({ ...ce, proxy: profile.webProxyAddr });
    try {
      for (const n of names) await endAppSession(session.api, profile.apps[n].sessionId).catch(() => {});
    } finally {
      session.close();
    }
  } catch {
    // Expired or unreachable: the sessions end with the login anyway.
  }
  const { store } = await openSecretStore({ home: ce.home, prefer: profile.secretStore });
  for (const n of names) await removeLocalAppState(ce, profile, store, n);
}
