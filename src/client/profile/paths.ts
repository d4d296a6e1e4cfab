/**
 * The TELEPORT_HOME layout (default ~/.tsh), the same paths Teleport uses,
 * kept in one place:
 *
 *   current-profile                                  name of the active profile (the proxy host)
 *   <proxy>.json                                     profile: address, user, cluster, store, apps (no secrets)
 *   keys/<proxy>/cas/<cluster>.pem                   the cluster's CA certificates (public)
 *   keys/<proxy>/<user>.key, .crt                    login key and certificate (secret store)
 *   keys/<proxy>/<user>-app/<cluster>/<app>.key, .crt   app key and certificate (secret store)
 *   keys/<proxy>/<user>-app/<cluster>/<app>-localca.key   local CA key        (secret store account)
 *   keys/<proxy>/<user>-app/<cluster>/<app>-localca.pem   local CA certificate (file, 0600: AWS_CA_BUNDLE)
 *   cache/apps.json                                  last `tsh apps ls`, for shell completion
 *
 * Secret store accounts become 0600 files at exactly these paths when no
 * OS keychain is usable.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** TELEPORT_HOME, or ~/.tsh. */
export function teleportHome(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.TELEPORT_HOME || join(homedir(), '.tsh'));
}

/** A profile's name: the proxy host without port (as Teleport names them). */
export function profileName(proxyAddr: string): string {
  return proxyAddr.replace(/^\[/, '').replace(/\](:\d+)?$/, '').replace(/:\d+$/, '');
}

/** The non-secret files in the layout above, as absolute paths under a TELEPORT_HOME, so every reader and writer agrees on them. */
export const paths = {
  currentProfile: (home: string) => join(home, 'current-profile'),
  profile: (home: string, proxy: string) => join(home, `${proxy}.json`),
  clusterCaDir: (home: string, proxy: string) => join(home, 'keys', proxy, 'cas'),
  clusterCa: (home: string, proxy: string, cluster: string) => join(home, 'keys', proxy, 'cas', `${cluster}.pem`),
  appsCache: (home: string) => join(home, 'cache', 'apps.json'),
  localCaCert: (home: string, proxy: string, user: string, cluster: string, app: string) => join(home, 'keys', proxy, `${user}-app`, cluster, `${app}-localca.pem`),
};

/** Secret store accounts (relative paths under TELEPORT_HOME). */
export const accounts = {
  /** Base of the login key pair (`.key` and `.crt` are appended). */
  login: (proxy: string, user: string) => `keys/${proxy}/${user}`,
  /** Base of an app key pair (`.key` and `.crt` are appended). */
  app: (proxy: string, user: string, cluster: string, app: string) => `keys/${proxy}/${user}-app/${cluster}/${app}`,
  localCaKey: (proxy: string, user: string, cluster: string, app: string) => `keys/${proxy}/${user}-app/${cluster}/${app}-localca.key`,
};
