/**
 * The profile: what tsh remembers about a login, without secrets. Reading it
 * is all `tsh status` needs, so status never touches the keychain.
 */
import { readFile, rm, readdir } from 'node:fs/promises';
import { TshError } from '../../shared/errors.js';
import { writePrivateFile } from './writePrivateFile.js';
import { paths } from './paths.js';

/** One app the user is logged into. */
export interface AppLogin {
  name: string;
  sessionId: string;
  publicAddr: string;
  awsRoleArn: string;
  uri: string;
  /** When the app certificate expires (RFC 3339). */
  expires: string;
  /** Requested app certificate lifetime, kept for renewals. */
  ttlMs?: number;
}

/** What tsh keeps on disk about one proxy login (never keys), so later commands know where to connect and what the user may do. */
export interface Profile {
  /** Profile name: the proxy host. */
  name: string;
  /** host:port of the proxy web API. */
  webProxyAddr: string;
  username: string;
  cluster: string;
  /** Roles, traits and allowed IAM role ARNs as the login certificate carried them; `tsh status` shows them. */
  roles: string[];
  traits: Record<string, string[]>;
  awsRoleArns: string[];
  /** When the login certificate expires (RFC 3339). */
  validUntil: string;
  /** Where the keys are: 'keychain' or 'file'. */
  secretStore: 'keychain' | 'file';
  /** The login used --insecure (the proxy certificate was not verified then). */
  insecure?: boolean;
  /** App logins by app name. */
  apps: Record<string, AppLogin>;
}

/** The active profile's name, or undefined when none. */
export async function currentProfileName(home: string): Promise<string | undefined> {
  try {
    return (await readFile(paths.currentProfile(home), 'utf8')).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Reads a profile (the active one when no name is given); undefined when absent. */
export async function readProfile(home: string, name?: string): Promise<Profile | undefined> {
  const n = name ?? (await currentProfileName(home));
  if (!n) return undefined;
  try {
    return JSON.parse(await readFile(paths.profile(home, n), 'utf8')) as Profile;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new TshError('CONFIG', `the profile ${paths.profile(home, n)} is unreadable`, { hint: 'log in again with `tsh login` (or remove the file)' });
  }
}

/** All profiles under TELEPORT_HOME. */
export async function listProfiles(home: string): Promise<Profile[]> {
  let names: string[] = [];
  try {
    names = (await readdir(home)).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));
  } catch {
    return [];
  }
  const out: Profile[] = [];
  for (const n of names) {
    const p = await readProfile(home, n).catch(() => undefined);
    if (p) out.push(p);
  }
  return out;
}

/** Writes a profile (0600) and optionally makes it the active one. */
export async function writeProfile(home: string, profile: Profile, makeCurrent = true): Promise<void> {
  await writePrivateFile(paths.profile(home, profile.name), JSON.stringify(profile, null, 2) + '\n');
  if (makeCurrent) await writePrivateFile(paths.currentProfile(home), profile.name + '\n');
}

/** Removes a profile file (and the current-profile pointer when it names it). */
export async function removeProfile(home: string, name: string): Promise<void> {
  await rm(paths.profile(home, name), { force: true });
  if ((await currentProfileName(home)) === name) await rm(paths.currentProfile(home), { force: true });
}
