/**
 * `tsh aws console`: an AWS Management Console sign-in URL for an app login.
 *
 *   app login (the current one, or a new one for --aws-role)
 *     --mTLS with the app certificate, ALPN tsh-app-v1--> cluster proxy (app session checked)
 *     --tunnel--> app service: GET / with no SigV4 = "the console, please"
 *   <-- 302 Location: the federation sign-in URL (one use, 15 minutes)
 *
 * The app service assumes the role and trades the temporary keys for a
 * sign-in token itself (see cluster/proxy/appConsole.ts): tsh receives the
 * sign-in URL only.
 */
import { TshError } from '../../shared/errors.js';
import { readAwsError } from '../../shared/http/awsError.js';
import type { ClientEnv } from '../clientEnv.js';
import { openClusterSession } from '../clusterSession.js';
import type { AppLogin, Profile } from '../profile/profile.js';
import { AppCredentials } from '../localproxy/appCredentials.js';
import { UpstreamPool } from '../localproxy/upstream.js';
import { appLogin } from '../apps/appLogin.js';
import { listApps } from '../apps/listApps.js';
import { chooseAwsRole } from '../apps/chooseAwsRole.js';

/** A console sign-in URL and the app login it signs in with. */
export interface ConsoleSignin {
  url: string;
  login: AppLogin;
}

/** The sign-in URL for an AWS app login; see the module comment. */
export async function awsConsoleSignin(ce: ClientEnv, opts: { app?: string; awsRole?: string }): Promise<ConsoleSignin> {
  // AppCredentials.open picks the app login (--app, or the only AWS one) and renews an expired certificate.
  const app = opts.awsRole ? (await loginForRole(ce, opts.app, opts.awsRole)).name : opts.app;
  const creds = await AppCredentials.open(ce, { app });
  const pool = new UpstreamPool({ addr: creds.proxyAddr, clusterCas: creds.clusterCas, insecure: ce.insecure, identity: creds.identity });
  try {
    const res = await pool.fetch({ method: 'GET', path: '/', headers: { host: creds.login.publicAddr } });
    const location = res.headers.location;
    if (res.status === 302 && typeof location === 'string') return { url: location, login: creds.login };
    throw readAwsError(res.status, res.body.toString('utf8'));
  } finally {
    pool.close();
    await creds.close();
  }
}

/** An app login with the given IAM role: the current one when it already uses that role, else a new `tsh apps login`. */
async function loginForRole(ce: ClientEnv, app: string | undefined, awsRole: string): Promise<AppLogin> {
  const session = await openClusterSession(ce);
  try {
    const apps = await listApps(ce, session);
    const name = app ?? onlyAwsApp(session.profile, apps);
    const listing = apps.find((a) => a.name === name);
    if (!listing) throw new TshError('NOT_FOUND', `app "${name}" not found`, { hint: 'use `tsh apps ls` to see registered apps' });
    if (!listing.aws) throw new TshError('USAGE', `selected app "${name}" is not an AWS application`, { hint: 'see `tsh apps ls` for AWS apps' });
    const arn = chooseAwsRole(listing.awsRoleArns, awsRole, name, ce.warn);
    const current = session.profile.apps[name];
    if (current?.awsRoleArn === arn) return current;
    return (await appLogin(ce, session, { app: name, awsRole: arn })).login;
  } finally {
    session.close();
  }
}

/** The AWS app meant when --app is not given: the one logged into, else the only one the cluster lists. */
function onlyAwsApp(profile: Profile, apps: Array<{ name: string; aws: boolean }>): string {
  const loggedIn = Object.values(profile.apps).filter((a) => a.awsRoleArn);
  if (loggedIn.length === 1) return loggedIn[0].name;
  const aws = apps.filter((a) => a.aws).map((a) => a.name);
  if (aws.length === 1) return aws[0];
  if (aws.length === 0) throw new TshError('NOT_FOUND', 'no AWS app is available to you', { hint: 'list apps with `tsh apps ls`' });
  throw new TshError('USAGE', `multiple AWS apps are available (${aws.sort().join(', ')}), please specify one using --app CLI argument`);
}
