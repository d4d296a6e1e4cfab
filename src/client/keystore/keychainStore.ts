import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { TshError } from '../../shared/errors.js';
import { checkAccount } from './fileStore.js';
import { keychainName, type SecretStore } from './secretStore.js';

/** The keychain service every tsh-aws entry is filed under. */
export const KEYCHAIN_SERVICE = 'tsh-aws';

/**
 * Opens the OS keychain through @napi-rs/keyring, or says why it cannot be used.
 *
 * Each secret is one entry with service `tsh-aws` and user name
 * `<TELEPORT_HOME>|<account>`, the home made absolute, so two homes on one
 * machine (two users' setups, parallel test runs) never see each other's keys.
 * On Linux that is a Secret Service item with the attributes
 * `service=tsh-aws` and `username=<home>|<account>` (label
 * `keyring:<home>|<account>@tsh-aws`), so `secret-tool search --all service tsh-aws`
 * lists them and `secret-tool clear service tsh-aws username '<home>|<account>'`
 * removes one.
 *
 * On Linux the Secret Service store is required explicitly: the library's
 * default silently falls back to the kernel keyring, which is not persistent,
 * is flaky in containers and leaves entries behind when a write fails. macOS
 * and Windows use the library's defaults.
 *
 * The library is imported lazily so a missing prebuilt binary is a reason to
 * fall back, not a crash at startup. Usability is probed once with a canary
 * entry (write, read back, delete), because a read of a missing entry answers
 * null both when the store works and when it cannot be reached.
 */
export async function openKeychainStore(opts: { home: string }): Promise<SecretStore | { unavailable: string }> {
  const home = resolve(opts.home);
  const name = keychainName();
  const fail = (err: unknown) => ({ unavailable: `${name}: ${oneLine(err)}` });

  let keyring: typeof import('@napi-rs/keyring');
  try {
    keyring = await import('@napi-rs/keyring');
  } catch (err) {
    return fail(err);
  }
  const options = process.platform === 'linux' ? { linux: { store: 'secret-service' as const } } : undefined;
  // The constructor itself throws on Linux when there is no session bus.
  const entry = (account: string) => new keyring.AsyncEntry(KEYCHAIN_SERVICE, `${home}|${account}`, options);

  try {
    const canary = entry(`.probe-${randomUUID()}`);
    const value = randomUUID();
    await canary.setPassword(value);
    let readBack: string | null;
    let deleted = false;
    try {
      readBack = await canary.getPassword();
    } finally {
      deleted = await canary.deletePassword(); // leave no canary behind, even when the read failed
    }
    if (readBack !== value) return fail('a test entry read back differently from what was written');
    if (!deleted) return fail('a test entry could not be deleted');
  } catch (err) {
    return fail(err);
  }

  const description = `OS keychain (${name})`;
  /** Runs one keychain call, turning a library failure into an error that names the store and a way out. */
  const call = async <T>(what: string, account: string, fn: () => Promise<T>): Promise<T> => {
    checkAccount(account);
    try {
      return await fn();
    } catch (err) {
      throw new TshError('INTERNAL', `${description} could not ${what} ${account}: ${oneLine(err)}`, {
        hint: 'unlock the keychain, or set TSH_SECRET_STORE=file to keep keys in 0600 files under TELEPORT_HOME',
        cause: err,
      });
    }
  };

  return {
    kind: 'keychain',
    description,
    get: (account) => call('read', account, async () => (await entry(account).getPassword()) ?? undefined),
    set: (account, secret) => call('write', account, () => entry(account).setPassword(secret)),
    delete: (account) => call('delete', account, () => entry(account).deletePassword()),
  };
}

function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.replace(/\s+/g, ' ').trim();
}
