/**
 * `tsh logout`: ends app sessions, removes keys and certificates from the
 * secret store, and deletes the profile(s). With --proxy (or TELEPORT_PROXY)
 * only that profile; otherwise all of them, as Teleport does.
 *
 * The cluster CA certificates under `keys/<proxy>/cas/` stay: they are public,
 * and they are what lets the next `tsh login` to a self-signed proxy verify
 * it without `--insecure` (the trust `tsh login --insecure` established once).
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { TshError } from '../shared/errors.js';
import { listProfiles, readProfile, removeProfile, type Profile } from './profile/profile.js';
import { accounts, profileName } from './profile/paths.js';
import { openSecretStore } from './keystore/openSecretStore.js';
import { endAllApps } from './apps/endAllApps.js';
import type { ClientEnv } from './clientEnv.js';
import { deleteKeyPair } from './keystore/keyPairStore.js';

/** A profile logged out whose app sessions could not be ended on the cluster (only with `force`). */
export interface SessionsLeft {
  profile: Profile;
  reason: string;
}

/**
 * Logs out. When the app sessions of a profile cannot be ended on the
 * cluster, that profile is left as it is and a PROXY_UNREACHABLE error says
 * so, unless `force` is set: then its local state is removed all the same and
 * it is listed in `sessionsLeft`.
 */
export async function logout(ce: ClientEnv, opts: { force?: boolean } = {}): Promise<{ removed: Profile[]; sessionsLeft: SessionsLeft[] }> {
  const profiles = ce.proxy ? [await readProfile(ce.home, profileName(ce.proxy))].filter((p): p is Profile => Boolean(p)) : await listProfiles(ce.home);
  const removed: Profile[] = [];
  const sessionsLeft: SessionsLeft[] = [];
  for (const p of profiles) {
    const reason = await endAllApps(ce, p, opts);
    if (reason && !opts.force) {
      const apps = Object.keys(p.apps).join(', ');
      throw new TshError('PROXY_UNREACHABLE', `could not end the app sessions of ${p.username}@${p.name} (${apps}) on the cluster: ${reason}`, {
        hint: `nothing was removed: run \`tsh logout\` again when ${p.webProxyAddr} is reachable, or \`tsh logout --force\` to remove the local keys anyway (the app sessions then stay valid until ${p.validUntil})`,
      });
    }
    if (reason) sessionsLeft.push({ profile: p, reason });
    const { store } = await openSecretStore({ home: ce.home, prefer: p.secretStore }).catch(() => openSecretStore({ home: ce.home, prefer: 'file' }));
    await deleteKeyPair(store, accounts.login(p.name, p.username));
    await removeAllButCas(join(ce.home, 'keys', p.name));
    await removeProfile(ce.home, p.name);
    removed.push(p);
  }
  return { removed, sessionsLeft };
}

/** Removes a proxy's key directory except `cas/` (see the module comment). */
async function removeAllButCas(dir: string): Promise<void> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  for (const name of entries) if (name !== 'cas') await rm(join(dir, name), { recursive: true, force: true });
}
