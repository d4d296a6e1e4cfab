/**
 * The profile: what tsh remembers about a login, without secrets. Reading it
 * is all `tsh status` needs, so status never touches the keychain.
 */
import { open, readFile, rm, readdir } from 'node:fs/promises';
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

/** The active profile's name, or undefined when none; CONFIG when the file names something that is no profile (a path). */
export async function currentProfileName(home: string): Promise<string | undefined> {
  let name: string;
  try {
    name = (await readFile(paths.currentProfile(home), 'utf8')).trim();
  } catch {
    return undefined;
  }
  if (name && !isPlainName(name)) {
    throw new TshError('CONFIG', `${paths.currentProfile(home)} names "${name.slice(0, 80)}", which is not a profile name`, { hint: 'log in again with `tsh login` (or remove the file)' });
  }
  return name || undefined;
}

/**
 * Reads a profile (the active one when no name is given); undefined when
 * absent. A file that is not a profile as writeProfile writes one (cut
 * short, edited by hand) is a CONFIG error rather than a crash further on.
 * A profile other users could change is made 0600 again, as the key files are.
 */
export async function readProfile(home: string, name?: string): Promise<Profile | undefined> {
  const n = name ?? (await currentProfileName(home));
  if (!n) return undefined;
  const file = paths.profile(home, n);
  let profile: unknown;
  try {
    const fh = await open(file, 'r');
    try {
      if (((await fh.stat()).mode & 0o077) !== 0) await fh.chmod(0o600);
      profile = JSON.parse(await fh.readFile('utf8'));
    } finally {
      await fh.close();
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    profile = undefined;
  }
  if (!isProfile(profile)) throw new TshError('CONFIG', `the profile ${file} is unreadable`, { hint: 'log in again with `tsh login` (or remove the file)' });
  return profile;
}

/** A profile or app name: one path segment, never `.` or `..` (names become file paths under TELEPORT_HOME). */
function isPlainName(name: string): boolean {
  return /^[^/\\\0]+$/.test(name) && name !== '.' && name !== '..';
}

/** True for a value of the shape writeProfile writes. */
function isProfile(v: unknown): v is Profile {
  const p = v as Profile;
  const isMap = (x: unknown) => typeof x === 'object' && x !== null && !Array.isArray(x);
  return (
    isMap(p) &&
    [p.name, p.webProxyAddr, p.username, p.cluster, p.validUntil].every((x) => typeof x === 'string' && x !== '') &&
    Array.isArray(p.roles) &&
    Array.isArray(p.awsRoleArns) &&
    isMap(p.traits) &&
    isMap(p.apps) &&
    Object.entries(p.apps).every(([key, app]) => isPlainName(key) && isMap(app) && app.name === key)
  );
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
