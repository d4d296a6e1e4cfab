/**
 * `tsh apps config`: the settings of one app login, for tools that talk to
 * the app directly. The cluster CA is always a file; the app key and
 * certificate are file paths when tsh keeps keys in files, and the PEM text
 * itself when they live in the OS keychain (there is no file to point at).
 */
import { TshError } from '../../shared/errors.js';
import { parseHostPort } from '../../shared/net/hostPort.js';
import type { Profile } from '../profile/profile.js';
import { accounts, paths } from '../profile/paths.js';
import type { SecretStore } from '../keystore/secretStore.js';
import { join } from 'node:path';
import { requireKeyPair } from '../keystore/keyPairStore.js';

/** One app login's settings as `tsh apps config` prints them; the snake_case names are the JSON output's field names. */
export interface AppConfigView {
  name: string;
  /** The app's address through the proxy (`https://PUBLIC_ADDR[:PORT]`). */
  uri: string;
  /** Path to the cluster CA file. */
  ca: string;
  /** The app certificate and key: file paths or PEM text, as `key_form` says. */
  cert: string;
  key: string;
  /**
   * A curl command line that reaches the app with this login, as Teleport
   * prints it: file paths with the file store; with the keychain the PEM
   * comes from `tsh apps config -f cert|key` through process substitution.
   */
  curl: string;
  /** The IAM role the login is bound to; absent for apps that are not AWS. */
  aws_role_arn?: string;
  /** 'file' when cert/key are paths, 'pem' when they are the contents. */
  key_form: 'file' | 'pem';
}

/** Picks the app: the named one, or the only one logged into. */
export function pickAppLogin(profile: Profile, app?: string): string {
  const names = Object.keys(profile.apps);
  if (app) {
    if (!profile.apps[app]) throw new TshError('NOT_FOUND', `not logged into app "${app}"`, { hint: `log in with \`tsh apps login ${app}\`` });
    return app;
  }
  if (names.length === 0) throw new TshError('NOT_FOUND', "please login using 'tsh apps login' first");
  if (names.length > 1) throw new TshError('USAGE', `multiple apps are available (${names.join(', ')}), please specify one via CLI argument`);
  return names[0];
}

/** The settings of one app login. */
export async function appConfig(home: string, profile: Profile, store: SecretStore, app?: string, opts: { insecure?: boolean } = {}): Promise<AppConfigView> {
  const name = pickAppLogin(profile, app);
  const a = profile.apps[name];
  const port = parseHostPort(profile.webProxyAddr, 3080).port;
  const account = accounts.app(profile.name, profile.username, profile.cluster, name);
  let cert: string;
  let key: string;
  if (store.kind === 'file') {
    cert = join(home, `${account}.crt`);
    key = join(home, `${account}.key`);
  } else {
    const pair = await requireKeyPair(store, account, `key for app "${name}"`, `log in again with \`tsh apps login ${name}\``);
    cert = pair.cert;
    key = pair.key;
  }
  const uri = `https://${a.publicAddr}${port === 443 ? '' : `:${port}`}`;
  const credential = (flag: 'cert' | 'key', path: string) => (store.kind === 'file' ? `"${path}"` : `<(tsh apps config -f ${flag} ${name})`);
  const curl = [`curl ${opts.insecure ? '--insecure ' : ''}\\`, `  --cert ${credential('cert', cert)} \\`, `  --key ${credential('key', key)} \\`, `  ${uri}`].join('\n');
  return {
    name,
    uri,
    ca: paths.clusterCa(home, profile.name, profile.cluster),
    cert,
    key,
    curl,
    aws_role_arn: a.awsRoleArn || undefined,
    key_form: store.kind === 'file' ? 'file' : 'pem',
  };
}

/** What `-f json|yaml` prints: the view without `key_form` (Teleport's fields: name, uri, ca, cert, key, curl, aws_role_arn). */
export function appConfigFields(c: AppConfigView): Omit<AppConfigView, 'key_form'> {
  const { key_form: _form, ...fields } = c;
  return fields;
}
