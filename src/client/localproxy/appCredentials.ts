/**
 * The app certificate and local CA a running local proxy uses, kept usable
 * for as long as it runs.
 *
 *   start:   profile -> app login (planAppLogin) -> app key + cert (secret store)
 *            -> local CA (key in the secret store, cert file = AWS_CA_BUNDLE), re-issued if stale
 *   running: before the app cert expires   -> appSessions.renew with the login (same key),
 *                                             or appSessions.create for the same app and role
 *                                             when the session is gone; CA re-issued to match;
 *                                             both swapped in without dropping requests
 *            every poll (2 s)                -> profile changed? a new `tsh apps login` is
 *                                             adopted; a logout stops requests with a reason
 *            login expired                   -> said once on stderr; clients get an AWS error
 *                                             saying to run `tsh login` (the local CA is kept
 *                                             valid meanwhile so they can connect to read it);
 *                                             after a new login in another terminal, recovery
 *                                             by itself
 *
 * The request path only calls {@link AppCredentials.refusal}, which reads
 * fields; everything slow happens on timers.
 */
import { X509Certificate, createPublicKey } from 'node:crypto';
import { readFile, rm, stat } from 'node:fs/promises';
import { TshError } from '../../shared/errors.js';
import type { AppSession } from '../../shared/api/types.js';
import type { ClientEnv } from '../clientEnv.js';
import { openClusterSession } from '../clusterSession.js';
import { openSecretStore } from '../keystore/openSecretStore.js';
import type { SecretStore } from '../keystore/secretStore.js';
import { loadKeyPair, saveKeyPair } from '../keystore/keyPairStore.js';
import { readProfile, writeProfile, type AppLogin, type Profile } from '../profile/profile.js';
import { accounts, paths } from '../profile/paths.js';
import { certExpiry, writeLocalCa, type LocalCa } from './localCa.js';
import { planAppLogin, type AppLoginPlan } from './planAppLogin.js';

/** The client certificate requests go out with. */
export interface AppIdentity {
  key: string;
  cert: string;
  notAfter: Date;
}

/** Timing knobs (tests shorten them). */
export interface AppCredentialsOptions {
  /** --app. */
  app?: string;
  clock?: () => Date;
  /** How often the profile is looked at, and a lost login retried; default 2 s. */
  pollMs?: number;
  /** Where messages for the user go (stderr); default ce.warn. */
  notify?: (message: string) => void;
}

/** While refusing, the local CA is kept valid this much longer at a time... */
const REFUSAL_CA_MS = 15 * 60_000;
/** ...re-issued when less than this is left. */
const REFUSAL_CA_MARGIN_MS = 60_000;

/** Renew this long before expiry: a quarter of the lifetime, between 1 s and 5 minutes. */
function renewMargin(lifetimeMs: number): number {
  return Math.min(5 * 60_000, Math.max(1000, lifetimeMs / 4));
}

/** Keeps one app login's certificate and local CA current while a local proxy runs. */
export class AppCredentials {
  private identityListeners: Array<(id: AppIdentity) => void> = [];
  private caListeners: Array<(ca: LocalCa) => void> = [];
  private poll?: NodeJS.Timeout;
  private renewTimer?: NodeJS.Timeout;
  /** The pass in progress, if any (passes never overlap). */
  private running?: Promise<void>;
  /** When the next renewal is due (ms since the epoch). */
  private renewAt = 0;
  private profileMtime = 0;
  /** A lasting reason to refuse (logged out of the app or of the cluster). */
  private blocked?: TshError;
  private loginExpired = false;
  private lastFailure?: string;
  private closed = false;
  /** A refusal-only CA file this proxy wrote after a logout; removed again on close. */
  private wroteRefusalCa = false;
  private readonly clock: () => Date;
  private readonly notify: (message: string) => void;

  private constructor(
    private readonly ce: ClientEnv,
    private profile: Profile,
    private readonly store: SecretStore,
    /** The app login in use (name, session, role). */
    public login: AppLogin,
    public identity: AppIdentity,
    public ca: LocalCa,
    /** PEM of the cluster's CAs (for verifying the cluster proxy). */
    public readonly clusterCas: string,
    private readonly opts: AppCredentialsOptions,
  ) {
    this.clock = opts.clock ?? (() => new Date());
    this.notify = opts.notify ?? ((m) => ce.warn(m));
  }

  /**
   * Loads the app login to proxy for (see planAppLogin for the errors), and
   * renews at once an app certificate that has already expired.
   */
  static async open(ce: ClientEnv, opts: AppCredentialsOptions = {}, planned?: AppLoginPlan): Promise<AppCredentials> {
    const clock = opts.clock ?? (() => new Date());
    const { profile, login } = planned ?? (await planAppLogin(ce, opts));
    const { store } = await openSecretStore({ home: ce.home, prefer: profile.secretStore });
    const { identity, ca } = await loadAppState(ce.home, profile, store, login, clock());
    const clusterCas = await readFile(paths.clusterCa(ce.home, profile.name, profile.cluster), 'utf8').catch(() => '');
    const creds = new AppCredentials({ ...ce, proxy: profile.webProxyAddr }, profile, store, login, identity, ca, clusterCas, opts);
    creds.profileMtime = await mtimeOf(paths.profile(ce.home, profile.name));
    if (identity.notAfter.getTime() <= clock().getTime() + 1000) await creds.renew();
    return creds;
  }

  /** Path of the local CA certificate: the AWS_CA_BUNDLE clients use. */
  get caPath(): string {
    return paths.localCaCert(this.ce.home, this.profile.name, this.profile.username, this.profile.cluster, this.login.name);
  }

  /** Address of the cluster proxy (host:port). */
  get proxyAddr(): string {
    return this.profile.webProxyAddr;
  }

  /** Called with each new app certificate. */
  onIdentity(listener: (id: AppIdentity) => void): void {
    this.identityListeners.push(listener);
  }

  /** Called with each re-issued local CA. */
  onCa(listener: (ca: LocalCa) => void): void {
    this.caListeners.push(listener);
  }

  /**
   * Why requests cannot be sent right now, or undefined when they can: cheap
   * enough for every request.
   */
  refusal(): TshError | undefined {
    if (this.blocked) return this.blocked;
    if (this.identity.notAfter.getTime() > this.clock().getTime()) return undefined;
    if (this.loginExpired) return loginExpiredError(this.profile);
    return new TshError('SESSION_EXPIRED', `the certificate for app "${this.login.name}" has expired and could not be renewed${this.lastFailure ? ` (${this.lastFailure})` : ''}`, {
      hint: 'check that the cluster is reachable; the proxy keeps retrying',
    });
  }

  /** Starts renewing and watching the profile. */
  start(): void {
    const pollMs = this.opts.pollMs ?? 2000;
    this.poll = setInterval(() => void this.tick(), pollMs);
    this.poll.unref();
    this.scheduleRenewal(false);
  }

  /** Stops the timers and waits for a renewal in progress (so no file is written after this). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.poll) clearInterval(this.poll);
    if (this.renewTimer) clearTimeout(this.renewTimer);
    await this.running;
    // Leave nothing behind of an app the user logged out of.
    if (this.wroteRefusalCa && this.blocked) await rm(this.caPath, { force: true });
  }

  /**
   * Sets when to renew next: ahead of expiry normally, or only once the
   * certificate has run out when renewing cannot extend it (the login caps it).
   */
  private scheduleRenewal(afterExpiry: boolean): void {
    if (this.renewTimer) clearTimeout(this.renewTimer);
    if (this.closed) return;
    const notAfter = this.identity.notAfter.getTime();
    if (afterExpiry) this.renewAt = notAfter + 50;
    else {
      const lifetime = notAfter - Date.parse(new X509Certificate(this.identity.cert).validFrom);
      this.renewAt = notAfter - renewMargin(lifetime);
    }
    const delay = Math.max(0, Math.min(this.renewAt - this.clock().getTime(), 2 ** 31 - 1));
    this.renewTimer = setTimeout(() => void this.tick(), delay);
    this.renewTimer.unref();
  }

  /** One pass: notice profile changes, renew when due, retry a lost login. Never throws. */
  private tick(): Promise<void> {
    if (this.running || this.closed) return this.running ?? Promise.resolve();
    this.running = this.pass().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async pass(): Promise<void> {
    try {
      const mtime = await mtimeOf(paths.profile(this.ce.home, this.profile.name));
      const changed = mtime !== this.profileMtime;
      this.profileMtime = mtime;
      if (changed || this.degraded) await this.followProfile();
      if (!this.blocked && (this.clock().getTime() >= this.renewAt || this.loginExpired || this.lastFailure !== undefined)) await this.renew();
    } catch (err) {
      this.noteFailure(err);
    }
    try {
      await this.keepRefusalsReachable();
    } catch (err) {
      this.noteFailure(err);
    }
  }

  /**
   * While requests are refused, clients must still be able to complete a
   * TLS handshake to read why (an AWS error saying to run `tsh login`), but
   * the local CA ends with the app certificate. So during a refusal an
   * expiring CA is re-issued (same key) for a short while at a time. This
   * is the one case where the local CA outlives the app certificate, and
   * nothing can be forwarded then: every request is refused.
   */
  private async keepRefusalsReachable(): Promise<void> {
    if (this.closed || !this.refusal()) return;
    const now = this.clock().getTime();
    // `tsh apps logout` removes the CA file: clients could then not even read the refusal.
    const fileGone = (await mtimeOf(this.caPath)) === 0;
    if (this.ca.notAfter.getTime() > now + REFUSAL_CA_MARGIN_MS && !fileGone) return;
    // Only the certificate is written: a logout removed the key from the secret store, and it stays removed.
    const ca = await this.issueCa(new Date(now + REFUSAL_CA_MS), false);
    this.wroteRefusalCa = true;
    this.ca = ca;
    for (const l of this.caListeners) l(ca);
  }

  /** Re-issues the local CA with its key to a new expiry, writing the AWS_CA_BUNDLE file. */
  private issueCa(notAfter: Date, storeKey = true): Promise<LocalCa> {
    const p = this.profile;
    return writeLocalCa({
      store: this.store,
      keyAccount: accounts.localCaKey(p.name, p.username, p.cluster, this.login.name),
      certPath: paths.localCaCert(this.ce.home, p.name, p.username, p.cluster, this.login.name),
      app: this.login.name,
      notAfter,
      reuseKey: this.ca.keyPem,
      storeKey,
    });
  }

  private get degraded(): boolean {
    return this.blocked !== undefined || this.loginExpired || this.lastFailure !== undefined;
  }

  /**
   * Reacts to what other tsh commands did: `tsh logout` / another user
   * (block), `tsh apps logout` (block), `tsh apps login` (adopt the new
   * session and key), `tsh login` that dropped the expired app entry (keep
   * going: the next renewal re-creates the session).
   */
  private async followProfile(): Promise<void> {
    let profile: Profile | undefined;
    try {
      profile = await readProfile(this.ce.home, this.profile.name);
    } catch {
      return; // unreadable for a moment: look again at the next poll
    }
    if (!profile || profile.username !== this.profile.username) {
      this.block(new TshError('NOT_LOGGED_IN', `you logged out of ${this.profile.name}`, { hint: `log in again with \`tsh login --proxy=${this.profile.webProxyAddr}\` and \`tsh apps login ${this.login.name}\`` }));
      return;
    }
    const entry = profile.apps[this.login.name];
    if (entry && entry.sessionId !== this.login.sessionId) {
      // A new `tsh apps login` in another terminal: use its key, certificate and CA.
      const state = await loadAppState(this.ce.home, profile, this.store, entry, this.clock());
      this.profile = profile;
      this.login = entry;
      this.swap(state.identity, state.ca);
      this.unblock(`now using the new login to app "${entry.name}"`);
      this.scheduleRenewal(false);
      return;
    }
    if (!entry) {
      const pair = await loadKeyPair(this.store, accounts.app(profile.name, profile.username, profile.cluster, this.login.name));
      if (!pair) {
        this.block(new TshError('NOT_LOGGED_IN', `you logged out of app "${this.login.name}"`, { hint: `log in again with \`tsh apps login --aws-role ${this.login.awsRoleArn} ${this.login.name}\`` }));
        return;
      }
    }
    this.profile = profile;
    if (this.blocked) this.unblock(`the AWS proxy for app "${this.login.name}" works again`);
  }

  /** Renews the app certificate (or re-creates the session) with the login in the profile. */
  private async renew(): Promise<void> {
    let session;
    try {
      session = await openClusterSession(this.ce);
    } catch (err) {
      if (err instanceof TshError && (err.code === 'SESSION_EXPIRED' || err.code === 'NOT_LOGGED_IN')) {
        // Until the app certificate itself runs out, requests still work.
        if (this.identity.notAfter.getTime() <= this.clock().getTime() + 1000) this.markLoginExpired();
        else this.scheduleRenewal(true);
        return;
      }
      throw err;
    }
    try {
      const publicKey = createPublicKey(this.identity.key).export({ type: 'spki', format: 'pem' }) as string;
      let res: { cert: string; session: AppSession };
      try {
        res = await session.api.rpc('appSessions.renew', { sessionId: this.login.sessionId, publicKey, ttlMs: this.login.ttlMs });
      } catch (err) {
        if (!(err instanceof TshError && err.code === 'NOT_FOUND')) throw err;
        // The session ended with the old login: open a new one for the same app and role.
        res = await session.api.rpc('appSessions.create', { app: this.login.name, awsRoleArn: this.login.awsRoleArn, publicKey, ttlMs: this.login.ttlMs });
      }
      const notAfter = certExpiry(res.cert);
      const profile = session.profile;
      await saveKeyPair(this.store, accounts.app(profile.name, profile.username, profile.cluster, this.login.name), { key: this.identity.key, cert: res.cert });
      this.profile = profile;
      const ca = await this.issueCa(notAfter);
      const login: AppLogin = { ...this.login, sessionId: res.session.id, publicAddr: res.session.publicAddr, expires: notAfter.toISOString() };
      // Re-read just before writing, so changes other tsh commands made meanwhile survive.
      const latest = (await readProfile(this.ce.home, profile.name)) ?? profile;
      latest.apps[login.name] = login;
      await writeProfile(this.ce.home, latest, false);
      this.profileMtime = await mtimeOf(paths.profile(this.ce.home, profile.name));
      const extended = notAfter.getTime() > this.identity.notAfter.getTime();
      this.profile = latest;
      this.login = login;
      this.swap({ key: this.identity.key, cert: res.cert, notAfter }, ca);
      this.unblock(`the AWS proxy for app "${login.name}" works again`);
      // The login caps the app certificate: when renewing gained nothing, look again once it has run out.
      this.scheduleRenewal(!extended);
    } finally {
      session.close();
    }
  }

  private swap(identity: AppIdentity, ca: LocalCa): void {
    this.identity = identity;
    this.ca = ca;
    for (const l of this.identityListeners) l(identity);
    for (const l of this.caListeners) l(ca);
  }

  private markLoginExpired(): void {
    if (!this.loginExpired) {
      this.loginExpired = true;
      this.notify(`your login to ${this.profile.name} expired; run \`tsh login\` in another terminal (the AWS proxy keeps running and recovers by itself)`);
    }
  }

  private block(reason: TshError): void {
    if (!this.blocked) this.notify(`${reason.message}: the AWS proxy refuses requests until you log in again (${reason.hint ?? ''})`);
    this.blocked = reason;
  }

  private unblock(message?: string): void {
    const was = this.blocked !== undefined || this.loginExpired || this.lastFailure !== undefined;
    this.blocked = undefined;
    this.loginExpired = false;
    this.lastFailure = undefined;
    if (was && message) this.notify(message);
  }

  private noteFailure(err: unknown): void {
    const text = err instanceof TshError ? err.message : (err as Error)?.message ?? String(err);
    if (this.lastFailure === undefined) this.notify(`could not renew the certificate for app "${this.login.name}": ${text}; retrying`);
    this.lastFailure = text;
  }
}

/** The message clients get while the login is expired. */
function loginExpiredError(profile: Profile): TshError {
  return new TshError('SESSION_EXPIRED', `your tsh login to ${profile.name} has expired`, {
    hint: `run \`tsh login --proxy=${profile.webProxyAddr} --user=${profile.username}\` in another terminal; the proxy picks up the new login by itself`,
  });
}

/** Loads an app login's key, certificate and local CA, re-issuing the CA when it is missing or stale. */
async function loadAppState(home: string, profile: Profile, store: SecretStore, login: AppLogin, now: Date): Promise<{ identity: AppIdentity; ca: LocalCa }> {
  const base = accounts.app(profile.name, profile.username, profile.cluster, login.name);
  const pair = await loadKeyPair(store, base);
  if (!pair) {
    throw new TshError('NOT_LOGGED_IN', `the key for app "${login.name}" is missing from the ${store.description}`, {
      hint: `log in to the app again with \`tsh apps login --aws-role ${login.awsRoleArn || 'ROLE'} ${login.name}\``,
    });
  }
  const identity: AppIdentity = { key: pair.key, cert: pair.cert, notAfter: certExpiry(pair.cert) };
  const keyAccount = accounts.localCaKey(profile.name, profile.username, profile.cluster, login.name);
  const certPath = paths.localCaCert(home, profile.name, profile.username, profile.cluster, login.name);
  const [caKey, caCert] = await Promise.all([store.get(keyAccount), readFile(certPath, 'utf8').catch(() => undefined)]);
  let ca: LocalCa | undefined;
  if (caKey && caCert) {
    try {
      const notAfter = certExpiry(caCert);
      const matches = samePublicKey(caKey, caCert);
      if (matches && notAfter.getTime() > now.getTime() && notAfter.getTime() >= identity.notAfter.getTime()) ca = { certPem: caCert, keyPem: caKey, notAfter };
    } catch {
      // unreadable: issue a new one below
    }
  }
  ca ??= await writeLocalCa({ store, keyAccount, certPath, app: login.name, notAfter: identity.notAfter, reuseKey: caKey });
  return { identity, ca };
}

function samePublicKey(keyPem: string, certPem: string): boolean {
  const fromKey = createPublicKey(keyPem).export({ type: 'spki', format: 'der' });
  const fromCert = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return fromKey.equals(fromCert);
}

async function mtimeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).mtimeMs;
  } catch {
    return 0;
  }
}
