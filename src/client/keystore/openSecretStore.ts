import { resolve } from 'node:path';
import { TshError } from '../../shared/errors.js';
import { openFileStore } from './fileStore.js';
import { openKeychainStore } from './keychainStore.js';
import type { SecretStore } from './secretStore.js';

/** The values TSH_SECRET_STORE (and `prefer`) accept. */
export const secretStoreChoices = ['auto', 'keychain', 'file'] as const;
/** One of those values: how strongly the caller wants keys kept in the OS keychain rather than in files. */
export type SecretStoreChoice = (typeof secretStoreChoices)[number];

/**
 * Picks where tsh keeps private keys and certificates for one TELEPORT_HOME.
 *
 * `prefer` (else env TSH_SECRET_STORE, else 'auto'):
 * - auto: the OS keychain when a probe shows it works, otherwise 0600 files
 *   under home, with `fallbackReason`, one line the caller prints as a warning
 *   so nobody is surprised that keys sit on disk;
 * - keychain: the OS keychain or a CONFIG error (for setups that must never
 *   write keys to disk);
 * - file: 0600 files, no keychain probe (for CI and scripts).
 * Anything else is a USAGE error naming the allowed values.
 */
export async function openSecretStore(opts: {
  home: string;
  prefer?: SecretStoreChoice;
}): Promise<{ store: SecretStore; fallbackReason?: string }> {
  const home = resolve(opts.home);
  const prefer = choiceFrom(opts.prefer, process.env.TSH_SECRET_STORE);
  if (prefer === 'file') return { store: openFileStore({ home }) };

  const keychain = await openKeychainStore({ home });
  if (!('unavailable' in keychain)) return { store: keychain };
  if (prefer === 'keychain') {
    throw new TshError('CONFIG', `the OS keychain is required, but it is not usable (${keychain.unavailable})`, {
      hint:
        'start and unlock a Secret Service (for example gnome-keyring) in this session, ' +
        'or set TSH_SECRET_STORE=auto or file to keep keys in 0600 files under TELEPORT_HOME',
    });
  }
  return {
    store: openFileStore({ home }),
    fallbackReason: `no OS keychain is usable (${keychain.unavailable}); keys are kept in 0600 files under ${home}`,
  };
}

function choiceFrom(prefer: string | undefined, env: string | undefined): SecretStoreChoice {
  const [value, source] = prefer !== undefined ? [prefer, 'secret store'] : [env || 'auto', 'TSH_SECRET_STORE'];
  if ((secretStoreChoices as readonly string[]).includes(value)) return value as SecretStoreChoice;
  throw new TshError('USAGE', `${source} "${value}" is not one of: ${secretStoreChoices.join(', ')}`);
}
