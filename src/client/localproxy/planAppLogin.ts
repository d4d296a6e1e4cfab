/**
 * The first, cheap step of starting a local AWS proxy: which app login it
 * will serve and where its local CA file is, from the profile alone (no
 * secret store, no certificate parsing), so that `tsh aws` can start the
 * aws CLI while the rest loads.
 */
import { stat } from 'node:fs/promises';
import type { ClientEnv } from '../clientEnv.js';
import { requireValidLogin, selectProfile } from '../clusterSession.js';
import type { AppLogin, Profile } from '../profile/profile.js';
import { paths } from '../profile/paths.js';
import { chooseAwsApp } from './chooseAwsApp.js';

/** The app login chosen, before any secret is read. */
export interface AppLoginPlan {
  profile: Profile;
  login: AppLogin;
  /** The local CA file (AWS_CA_BUNDLE). */
  caPath: string;
  /** The CA file exists and will not be rewritten while the proxy starts (the app certificate is not about to be renewed). */
  caReady: boolean;
}

/**
 * Chooses the app login. Throws NOT_LOGGED_IN / SESSION_EXPIRED (no usable
 * login) and NOT_FOUND / USAGE (no such AWS app, or several).
 */
export async function planAppLogin(ce: ClientEnv, opts: { app?: string; clock?: () => Date } = {}): Promise<AppLoginPlan> {
  const now = (opts.clock ?? (() => new Date()))();
  const profile = await selectProfile(ce);
  requireValidLogin(profile, now);
  const login = chooseAwsApp(profile, opts.app);
  const caPath = paths.localCaCert(ce.home, profile.name, profile.username, profile.cluster, login.name);
  const caExists = await stat(caPath).then(
    () => true,
    () => false,
  );
  return { profile, login, caPath, caReady: caExists && Date.parse(login.expires) > now.getTime() + 60_000 };
}
