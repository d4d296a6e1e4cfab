/**
 * `tsh logout`: ends app sessions, removes keys and certificates from the
 * secret store, and deletes the profile(s). With --proxy (or TELEPORT_PROXY)
 * only that profile; otherwise all of them, as Teleport does.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { listProfiles, readProfile, removeProfile, type Profile } from './profile/profile.js';
import { accounts, profileName } from './profile/paths.js';
import { openSecretStore } from './keystore/openSecretStore.js';
import { endAllApps } from './apps/endAllApps.js';
import type { ClientEnv } from './clientEnv.js';
import { deleteKeyPair } from './keystore/keyPairStore.js';

/** Logs out; returns the profiles that were removed. */
export async function logout(ce: ClientEnv): Promise<Profile[]> {
  const profiles = ce.proxy ? [await readProfile(ce.home, profileName(ce.proxy))].filter((p): p is Profile => Boolean(p)) : await listProfiles(ce.home);
  for (const p of profiles) {
    await endAllApps(ce, p);
    const { store } = await openSecretStore({ home: ce.home, prefer: p.secretStore }).catch(() => openSecretStore({ home: ce.home, prefer: 'file' }));
    await deleteKeyPair(store, accounts.login(p.name, p.username));
    await rm(join(ce.home, 'keys', p.name), { recursive: true, force: true });
    await removeProfile(ce.home, p.name);
  }
  return profiles;
}
