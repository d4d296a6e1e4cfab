/**
 * `tsh apps login [--aws-role NAME|ARN] APP`: opens a server-side app
 * session bound to one IAM role and keeps its certificate (and a fresh key)
 * in the secret store, with a local CA for the proxies that `tsh aws` and
 * `tsh proxy aws` start.
 */
import { TshError } from '../../shared/errors.js';
import { generateKeyPair } from '../../shared/pki/generateKeyPair.js';
import type { AppListing } from '../../shared/api/types.js';
import { writeProfile, type AppLogin } from '../profile/profile.js';
import { accounts, paths } from '../profile/paths.js';
import { writeLocalCa, certExpiry } from '../localproxy/localCa.js';
import type { ClusterSession } from '../clusterSession.js';
import type { ClientEnv } from '../clientEnv.js';
import { listApps } from './listApps.js';
import { chooseAwsRole } from './chooseAwsRole.js';
import { saveKeyPair } from '../keystore/keyPairStore.js';
import { requireWritableHome } from '../profile/requireWritableHome.js';

/** What an app login produced, so the command can tell an AWS app from another and print the IAM role in use. */
export interface AppLoginResult {
  /** The app as the cluster listed it. */
  app: AppListing;
  /** The login as saved in the profile. */
  login: AppLogin;
}

/** Logs into an app; see the module comment. */
export async function appLogin(ce: ClientEnv, session: ClusterSession, opts: { app: string; awsRole?: string; ttlMinutes?: number }): Promise<AppLoginResult> {
  await requireWritableHome(ce.home);
  const apps = await listApps(ce, session);
  const app = apps.find((a) => a.name === opts.app);
  if (!app) throw new TshError('NOT_FOUND', `app "${opts.app}" not found`, { hint: 'use `tsh apps ls` to see registered apps' });
  const arn = app.aws ? chooseAwsRole(app.awsRoleArns, opts.awsRole, app.name, ce.warn) : '';
  const ttlMs = opts.ttlMinutes ? Math.round(opts.ttlMinutes * 60_000) : undefined;
  const keys = await generateKeyPair();
  const res = await session.api.rpc('appSessions.create', { app: app.name, awsRoleArn: arn || undefined, publicKey: keys.publicKey, ttlMs });
  const { profile, store } = session;
  const previous = profile.apps[app.name];
  await saveKeyPair(store, accounts.app(profile.name, profile.username, profile.cluster, app.name), { key: keys.privateKey, cert: res.cert });
  const expires = certExpiry(res.cert);
  await writeLocalCa({
    store,
    keyAccount: accounts.localCaKey(profile.name, profile.username, profile.cluster, app.name),
    certPath: paths.localCaCert(ce.home, profile.name, profile.username, profile.cluster, app.name),
    app: app.name,
    notAfter: expires,
  });
  const login: AppLogin = { name: app.name, sessionId: res.session.id, publicAddr: res.session.publicAddr, awsRoleArn: arn, uri: app.uri, expires: expires.toISOString(), ttlMs };
  profile.apps[app.name] = login;
  await writeProfile(ce.home, profile);
  // The session this login replaces is ended on the cluster (best effort).
  if (previous && previous.sessionId !== login.sessionId) {
    await session.api.rpc('appSessions.delete', { sessionId: previous.sessionId }).catch(() => {});
  }
  return { app, login };
}
