/**
 * `tsh login`: password (and one-time code when the cluster asks for one)
 * for a user certificate. A new key pair is made here; only its public half
 * is sent. Key and certificate go to the secret store (the OS keychain when
 * usable), the cluster's CA certificates and the profile to TELEPORT_HOME.
 */
import { userInfo } from 'node:os';
import { TshError } from '../shared/errors.js';
import { ApiClient } from '../shared/http/apiClient.js';
import { generateKeyPair } from '../shared/pki/generateKeyPair.js';
import type { Identity } from '../shared/identity/identity.js';
import type { PingResponse } from '../shared/api/types.js';
import { parseHostPort, formatHostPort } from '../shared/net/hostPort.js';
import { openSecretStore } from './keystore/openSecretStore.js';
import { readProfile, writeProfile, type Profile } from './profile/profile.js';
import { accounts, paths, profileName } from './profile/paths.js';
import { writePrivateFile } from './profile/writePrivateFile.js';
import type { ClientEnv } from './clientEnv.js';
import type { Prompter } from './prompt.js';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { requireWritableHome } from './profile/requireWritableHome.js';
import { endAllApps } from './apps/endAllApps.js';
import { saveKeyPair } from './keystore/keyPairStore.js';

/** Choices for `tsh login` that are not about who or where (those come from ClientEnv). */
export interface LoginOptions {
  /** Requested lifetime in minutes (--ttl). */
  ttlMinutes?: number;
}

/** Logs in and returns the new profile. */
export async function login(ce: ClientEnv, prompter: Prompter, opts: LoginOptions = {}): Promise<{ profile: Profile; fallbackReason?: string }> {
  const previous = await readProfile(ce.home).catch(() => undefined);
  const proxyText = ce.proxy ?? previous?.webProxyAddr;
  if (!proxyText) throw new TshError('USAGE', 'the proxy address is missing', { hint: 'pass --proxy=HOST:PORT (or set TELEPORT_PROXY)' });
  const addr = formatHostPort(parseHostPort(proxyText, 3080, '--proxy'));
  const name = profileName(addr);
  const existing = await readProfile(ce.home, name).catch(() => undefined);
  const user = ce.user ?? existing?.username ?? previous?.username ?? userInfo().username;
  if (opts.ttlMinutes !== undefined && !(opts.ttlMinutes > 0)) throw new TshError('USAGE', '--ttl must be a positive number of minutes');
  await requireWritableHome(ce.home);

  // Trust: system roots, plus the cluster CAs saved at earlier logins to this proxy (kept across `tsh logout`).
  const knownCa = await readKnownCas(ce.home, name);
  const anon = new ApiClient({ addr, ca: knownCa ? [knownCa] : undefined, insecure: ce.insecure, log: ce.log });
  try {
    const ping = await anon.get<PingResponse>('/v1/webapi/ping');
    const password = await prompter.ask(`Enter password for user ${user}: `, { secret: true });
    const otp = ping.auth.second_factor === 'otp' ? await prompter.ask('Enter your OTP token: ', { secret: false }) : undefined;
    const keys = await generateKeyPair();
    const res = await anon.post<{ cert: string; user_ca: string; host_ca: string; cluster_name: string; identity: Identity }>('/v1/webapi/login', {
      user,
      password,
      otp_token: otp,
      public_key: keys.publicKey,
      ttl_ms: opts.ttlMinutes ? Math.round(opts.ttlMinutes * 60_000) : undefined,
    });
    // Another user's login replaces this one: end its app sessions (best effort).
    // The same user keeps app logins that are still valid.
    const keepApps = existing && existing.username === res.identity.username;
    if (existing && !keepApps) await endAllApps(ce, existing, { force: true }).catch(() => {});
    const { store, fallbackReason } = await openSecretStore({ home: ce.home });
    await saveKeyPair(store, accounts.login(name, user), { key: keys.privateKey, cert: res.cert });
    await writePrivateFile(paths.clusterCa(ce.home, name, res.cluster_name), res.host_ca + res.user_ca);
    const id = res.identity;
    const profile: Profile = {
      name,
      webProxyAddr: addr,
      username: id.username,
      cluster: res.cluster_name,
      roles: id.roles,
      traits: id.traits,
      awsRoleArns: id.awsRoleArns,
      validUntil: id.expires,
      secretStore: store.kind,
      insecure: ce.insecure || undefined,
      apps: keepApps ? Object.fromEntries(Object.entries(existing.apps).filter(([, a]) => Date.parse(a.expires) > Date.now())) : {},
    };
    await writeProfile(ce.home, profile);
    return { profile, fallbackReason };
  } finally {
    anon.close();
  }
}

/** Every cluster CA certificate kept for a proxy (`keys/<proxy>/cas/*.pem`), concatenated; empty when none. */
async function readKnownCas(home: string, proxy: string): Promise<string> {
  const dir = paths.clusterCaDir(home, proxy);
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.pem')).sort();
  const pems = await Promise.all(files.map((f) => readFile(join(dir, f), 'utf8').catch(() => '')));
  return pems.join('');
}
