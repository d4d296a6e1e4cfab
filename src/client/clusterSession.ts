/**
 * An open login: the profile, the login key and certificate from the secret
 * store, and an API client that presents them. Every command that talks to
 * the cluster as the user starts here, and gets the same errors when it
 * cannot: not logged in, session expired (with the time), key missing.
 */
import { readFile } from 'node:fs/promises';
import { TshError } from '../shared/errors.js';
import { ApiClient } from '../shared/http/apiClient.js';
import { openSecretStore } from './keystore/openSecretStore.js';
import type { SecretStore } from './keystore/secretStore.js';
import { readProfile, type Profile } from './profile/profile.js';
import { accounts, paths, profileName } from './profile/paths.js';
import type { ClientEnv } from './clientEnv.js';
import { requireKeyPair } from './keystore/keyPairStore.js';

/** A logged-in user's connection to the cluster, which commands pass around instead of reopening the profile and keys. */
export interface ClusterSession {
  profile: Profile;
  /** The secret store the login's keys are in; app logins save theirs to it too. */
  store: SecretStore;
  /** The login key and certificate (PEM). */
  key: string;
  cert: string;
  /** The cluster's CA certificates (PEM), trusted for the proxy. */
  clusterCas: string;
  api: ApiClient;
  /** Closes the API client's connections so the command can exit. */
  close(): void;
}

/** The profile that --proxy/TELEPORT_PROXY names, or the active one. */
export async function selectProfile(ce: ClientEnv): Promise<Profile> {
  const profile = await readProfile(ce.home, ce.proxy ? profileName(ce.proxy) : undefined);
  if (!profile) {
    throw new TshError('NOT_LOGGED_IN', 'Not logged in.', { hint: 'log in with `tsh login --proxy=HOST:PORT --user=NAME`' });
  }
  return profile;
}

/** Throws SESSION_EXPIRED when the profile's login has expired. */
export function requireValidLogin(profile: Profile, now = new Date()): void {
  if (Date.parse(profile.validUntil) <= now.getTime()) {
    throw new TshError('SESSION_EXPIRED', `your session for ${profile.username}@${profile.name} expired at ${profile.validUntil}`, {
      hint: `log in again with \`tsh login --proxy=${profile.webProxyAddr} --user=${profile.username}\``,
    });
  }
}

/** Opens the login of the selected profile. */
export async function openClusterSession(ce: ClientEnv): Promise<ClusterSession> {
  const profile = await selectProfile(ce);
  requireValidLogin(profile);
  const { store } = await openSecretStore({ home: ce.home, prefer: profile.secretStore });
  const pair = await requireKeyPair(store, accounts.login(profile.name, profile.username), `login key for ${profile.username}@${profile.name}`, 'log in again with `tsh login`');
  const clusterCas = await readFile(paths.clusterCa(ce.home, profile.name, profile.cluster), 'utf8').catch(() => '');
  const api = new ApiClient({ addr: profile.webProxyAddr, key: pair.key, cert: pair.cert, ca: clusterCas ? [clusterCas] : undefined, insecure: ce.insecure, log: ce.log });
  return { profile, store, key: pair.key, cert: pair.cert, clusterCas, api, close: () => api.close() };
}
