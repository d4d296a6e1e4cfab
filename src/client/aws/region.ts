/**
 * The AWS region the clients of a local proxy use. The aws CLI and the SDKs
 * refuse to run without one ("You must specify a region"), and a person who
 * only ever used tsh has no AWS config at all, so when the user's own
 * settings name none, the proxy hands out one: the region the app's console
 * URI names, else us-east-1, and says so.
 *
 *   AWS_REGION / AWS_DEFAULT_REGION set     -> theirs, nothing added
 *   region in the AWS config file's profile -> that one; set as AWS_REGION only for a named
 *                                              profile (tsh removes AWS_PROFILE from the child)
 *   neither                                 -> the app's region, else us-east-1, with a note
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { consoleRegion } from '../../shared/aws/endpoints.js';

/** The region used when neither the user nor the app names one (the SDKs' own global endpoints live there). */
export const FALLBACK_REGION = 'us-east-1';

/** What to add to the client's environment, and what to tell the user about it. */
export interface RegionChoice {
  /** AWS_REGION to set, when the user's settings would not give the client one. */
  region?: string;
  /** One line for stderr when the region was chosen for the user. */
  note?: string;
}

/** Chooses the region for an app's clients from the user's environment and AWS config (see the module comment). */
export function chooseRegion(env: NodeJS.ProcessEnv, app: { name: string; uri: string }): RegionChoice {
  if (env.AWS_REGION || env.AWS_DEFAULT_REGION) return {};
  const profile = env.AWS_PROFILE || env.AWS_DEFAULT_PROFILE || 'default';
  const configured = configFileRegion(env, profile);
  if (configured) return profile === 'default' ? {} : { region: configured };
  const fromApp = consoleRegion(app.uri);
  if (fromApp) return { region: fromApp, note: `no AWS region is set (AWS_REGION, or region in ~/.aws/config): using ${fromApp}, the region of app "${app.name}"` };
  return { region: FALLBACK_REGION, note: `no AWS region is set (AWS_REGION, or region in ~/.aws/config): using ${FALLBACK_REGION}` };
}

/** `region` of a profile in the AWS config file (AWS_CONFIG_FILE, else ~/.aws/config); undefined when absent or unreadable. */
export function configFileRegion(env: NodeJS.ProcessEnv, profile: string): string | undefined {
  const file = env.AWS_CONFIG_FILE || join(env.HOME || env.USERPROFILE || homedir(), '.aws', 'config');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const wanted = profile === 'default' ? ['default', 'profile default'] : [`profile ${profile}`];
  let inSection = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/^\s+|\s*([#;].*)?$/g, '');
    const section = /^\[\s*(.+?)\s*\]$/.exec(line);
    if (section) inSection = wanted.includes(section[1].replace(/\s+/g, ' '));
    else if (inSection) {
      const kv = /^region\s*=\s*(\S+)$/.exec(line);
      if (kv) return kv[1];
    }
  }
  return undefined;
}
