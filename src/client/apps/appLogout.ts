/**
 * `tsh apps logout [APP]`: ends the server-side app session first (which
 * revokes the certificate at the proxy at once), then removes the local key,
 * certificate and local CA. Without a name, every app is logged out.
 */
import { rm } from 'node:fs/promises';
import { TshError } from '../../shared/errors.js';
import { writeProfile, type Profile } from '../profile/profile.js';
import { accounts, paths } from '../profile/paths.js';
import type { ClusterSession } from '../clusterSession.js';
import type { ClientEnv } from '../clientEnv.js';
import type { SecretStore } from '../keystore/secretStore.js';
import type { ApiClient } from '../../shared/http/apiClient.js';
import { deleteKeyPair } from '../keystore/keyPairStore.js';
import { openSecretStore } from '../keystore/openSecretStore.js';

/** Logs out of one app (or all); returns the names logged out. */
export async function appLogout(ce: ClientEnv, session: ClusterSession, app?: string): Promise<string[]> {
  const { profile } = session;
  const names = app ? [app] : Object.keys(profile.apps);
  if (app && !profile.apps[app]) {
    await removeLocalAppState(ce, profile, session.store, app);
    throw new TshError('NOT_FOUND', `not logged into app "${app}"`, { hint: 'see your app logins with `tsh status`' });
  }
  for (const name of names) {
    await endAppSession(session.api, profile.apps[name].sessionId);
    await removeLocalAppState(ce, profile, session.store, name);
    delete profile.apps[name];
  }
  await writeProfile(ce.home, profile);
  return names;
}

/** Removes app logins from this machine only (when the cluster cannot be reached as the user). */
export async function forgetApps(ce: ClientEnv, profile: Profile, app?: string): Promise<string[]> {
  const names = app ? [app] : Object.keys(profile.apps);
  const { store } = await openSecretStore({ home: ce.home, prefer: profile.secretStore });
  for (const name of names) {
    await removeLocalAppState(ce, profile, store, name);
    delete profile.apps[name];
  }
  await writeProfile(ce.home, profile);
  return names;
}

/** Ends a session on the cluster; one that is already gone is fine. */
export async function endAppSession(api: ApiClient, sessionId: string): Promise<void> {
  try {
    await api.rpc('appSessions.delete', { sessionId });
  } catch (err) {
    if (!(err instanceof TshError && err.code === 'NOT_FOUND')) throw err;
  }
}

/** Removes an app's key, certificate and local CA from this machine. */
export async function removeLocalAppState(ce: ClientEnv, profile: Profile, store: SecretStore, app: string): Promise<void> {
  await deleteKeyPair(store, accounts.app(profile.name, profile.username, profile.cluster, app));
  await store.delete(accounts.localCaKey(profile.name, profile.username, profile.cluster, app));
  await rm(paths.localCaCert(ce.home, profile.name, profile.username, profile.cluster, app), { force: true });
}
