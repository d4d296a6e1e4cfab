/**
 * `tsh status`: what the profiles say, without touching the network or the
 * keychain (so it is fast and works offline). The JSON shape follows
 * Teleport's (`.active.username`, `.active.roles`, `.active.traits`,
 * `.active.valid_until`, `.active.cluster`, `.active.profile_url`) plus the
 * app logins and where the keys are kept.
 */
import { TshError } from '../shared/errors.js';
import { currentProfileName, listProfiles, readProfile, type Profile } from './profile/profile.js';
import type { ClientEnv } from './clientEnv.js';
import { profileName } from './profile/paths.js';

/** One profile as `tsh status -f json` shows it. */
export interface ProfileStatus {
  profile_url: string;
  username: string;
  cluster: string;
  roles: string[];
  traits: Record<string, string[]>;
  aws_role_arns: string[];
  valid_until: string;
  expired: boolean;
  /** Where the login's keys are: `keychain` (the OS keychain) or `file` (0600 files). */
  key_store: 'keychain' | 'file';
  /** The TELEPORT_HOME the keys belong to: the files are under it, the keychain entries are named after it. */
  key_store_path: string;
  apps: Array<{ name: string; aws_role_arn: string; public_addr: string; valid_until: string }>;
}

/** Everything `tsh status` prints, in the JSON shape scripts written for Teleport's `tsh status -f json` expect. */
export interface StatusReport {
  /** The current profile (or the one --proxy names); absent when that profile does not exist. */
  active?: ProfileStatus;
  /** The other profiles. */
  profiles: ProfileStatus[];
  /** TELEPORT_PROXY, TELEPORT_USER and TELEPORT_HOME when set; absent when none is. */
  environment?: Record<string, string>;
}

function toStatus(p: Profile, home: string, now: Date): ProfileStatus {
  return {
    profile_url: `https://${p.webProxyAddr}`,
    username: p.username,
    cluster: p.cluster,
    roles: p.roles,
    traits: p.traits,
    aws_role_arns: p.awsRoleArns,
    valid_until: p.validUntil,
    expired: Date.parse(p.validUntil) <= now.getTime(),
    key_store: p.secretStore,
    key_store_path: home,
    apps: Object.values(p.apps).map((a) => ({ name: a.name, aws_role_arn: a.awsRoleArn, public_addr: a.publicAddr, valid_until: a.expires })),
  };
}

/** Reads every profile; throws NOT_LOGGED_IN when there is none. */
export async function status(ce: ClientEnv, now = new Date()): Promise<StatusReport> {
  const profiles = await listProfiles(ce.home);
  if (profiles.length === 0) {
    await readProfile(ce.home); // a current profile that cannot be read says so, rather than "not logged in"
    throw new TshError('NOT_LOGGED_IN', 'Not logged in.', { hint: 'log in with `tsh login --proxy=HOST:PORT --user=NAME`' });
  }
  const activeName = ce.proxy ? profileName(ce.proxy) : await currentProfileName(ce.home);
  const active = profiles.find((p) => p.name === activeName);
  const environment: Record<string, string> = {};
  for (const k of ['TELEPORT_PROXY', 'TELEPORT_USER', 'TELEPORT_HOME']) if (ce.env[k]) environment[k] = ce.env[k]!;
  return {
    active: active && toStatus(active, ce.home, now),
    profiles: profiles.filter((p) => p !== active).map((p) => toStatus(p, ce.home, now)),
    environment: Object.keys(environment).length ? environment : undefined,
  };
}
