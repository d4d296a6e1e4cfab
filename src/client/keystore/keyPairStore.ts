import { TshError } from '../../shared/errors.js';
import type { SecretStore } from './secretStore.js';

/** A private key and its certificate (PEM). */
export interface KeyPair {
  key: string;
  cert: string;
}

/**
 * Keeps a key and its certificate as two entries, `<base>.key` and
 * `<base>.crt`: in the keychain they are two items; in the file fallback
 * they are the two PEM files tools like curl expect.
 */
export async function saveKeyPair(store: SecretStore, base: string, pair: KeyPair): Promise<void> {
  await store.set(`${base}.key`, pair.key);
  await store.set(`${base}.crt`, pair.cert);
}

/** Reads a key pair, or undefined when either half is missing. */
export async function loadKeyPair(store: SecretStore, base: string): Promise<KeyPair | undefined> {
  const [key, cert] = await Promise.all([store.get(`${base}.key`), store.get(`${base}.crt`)]);
  if (!key || !cert) return undefined;
  return { key, cert };
}

/** Reads a key pair or throws NOT_LOGGED_IN naming what is missing and where. */
export async function requireKeyPair(store: SecretStore, base: string, what: string, hint: string): Promise<KeyPair> {
  const pair = await loadKeyPair(store, base);
  if (!pair) throw new TshError('NOT_LOGGED_IN', `the ${what} is missing from the ${store.description}`, { hint });
  return pair;
}

/** Removes both entries. */
export async function deleteKeyPair(store: SecretStore, base: string): Promise<void> {
  await store.delete(`${base}.key`);
  await store.delete(`${base}.crt`);
}
