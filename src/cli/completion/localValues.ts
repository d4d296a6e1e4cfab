/**
 * The values shell completion offers for apps and IAM roles, read from local
 * files only: the active profile (the apps logged into, with their role) and
 * `cache/apps.json` (the last `tsh apps ls` or `tsh apps login`). A TAB must
 * answer at once and never ask the cluster, so nothing here touches the
 * network or the keychain, and unreadable files simply yield nothing.
 */
import { readFileSync } from 'node:fs';
import { paths } from '../../client/profile/paths.js';
import { parseRoleArn } from '../../shared/aws/roleArn.js';
import type { DynamicSource } from './model.js';

/** One completion candidate; shells that can show the description do. */
export interface Candidate {
  value: string;
  description?: string;
}

interface KnownApp {
  name: string;
  roleArns: string[];
  /** The role of the current app login, when logged in. */
  loggedInAs?: string;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/**
 * The apps known under `home`: those in the cache of the active profile's
 * proxy (a cache from another cluster is ignored), then those logged into.
 */
function knownApps(home: string): { apps: KnownApp[]; profileRoleArns: string[] } {
  let current: string | undefined;
  try {
    current = readFileSync(paths.currentProfile(home), 'utf8').trim() || undefined;
  } catch {
    current = undefined;
  }
  const profile = (current ? readJson(paths.profile(home, current)) : undefined) as { apps?: Record<string, { awsRoleArn?: unknown }>; awsRoleArns?: unknown } | undefined;
  const cache = readJson(paths.appsCache(home)) as { proxy?: unknown; apps?: unknown } | undefined;

  const byName = new Map<string, KnownApp>();
  if (cache && Array.isArray(cache.apps) && (!current || cache.proxy === current)) {
    for (const a of cache.apps as { name?: unknown; awsRoleArns?: unknown }[]) {
      if (a && typeof a.name === 'string' && a.name) byName.set(a.name, { name: a.name, roleArns: strings(a.awsRoleArns) });
    }
  }
  for (const [name, login] of Object.entries(profile?.apps ?? {})) {
    const app = byName.get(name) ?? { name, roleArns: [] };
    const arn = typeof login?.awsRoleArn === 'string' ? login.awsRoleArn : undefined;
    if (arn) {
      app.loggedInAs = arn;
      if (!app.roleArns.includes(arn)) app.roleArns.push(arn);
    }
    byName.set(name, app);
  }
  return { apps: [...byName.values()], profileRoleArns: strings(profile?.awsRoleArns) };
}

const loggedInDescription = (a: KnownApp) => (a.loggedInAs ? `logged in as ${parseRoleArn(a.loggedInAs)?.displayName ?? a.loggedInAs}` : undefined);

/**
 * The role names (each with its ARN as description) and ARNs for a set of
 * ARNs. A name found in two accounts is left out: `--aws-role NAME` would be
 * refused as ambiguous, so only its ARNs are offered.
 */
function roleCandidates(arns: string[]): Candidate[] {
  const roles = [...new Set(arns)].map((arn) => parseRoleArn(arn)).filter((r) => r !== undefined);
  const count = new Map<string, number>();
  for (const r of roles) count.set(r.displayName, (count.get(r.displayName) ?? 0) + 1);
  const names = roles.filter((r) => count.get(r.displayName) === 1).map((r) => ({ value: r.displayName, description: r.arn }));
  const full = roles.map((r) => ({ value: r.arn, description: `IAM role ${r.displayName} (account ${r.accountId})` }));
  return [...names, ...full];
}

/** The candidates of one dynamic source; `app` narrows roles to the app named on the line. */
export function localValues(home: string, source: DynamicSource, app?: string): Candidate[] {
  const { apps, profileRoleArns } = knownApps(home);
  const all = apps.map((a) => ({ value: a.name, ...(loggedInDescription(a) ? { description: loggedInDescription(a) } : {}) }));
  switch (source) {
    case 'apps':
      return all;
    case 'app-logins': {
      const logins = apps.filter((a) => a.loggedInAs);
      return logins.length ? all.filter((c) => logins.some((a) => a.name === c.value)) : all;
    }
    case 'roles': {
      const named = app ? apps.find((a) => a.name === app) : undefined;
      if (named) return roleCandidates(named.roleArns);
      const arns = apps.flatMap((a) => a.roleArns);
      // No cache yet: the ARNs the login itself allows are the best local guess.
      return roleCandidates(arns.length ? arns : profileRoleArns);
    }
  }
}

