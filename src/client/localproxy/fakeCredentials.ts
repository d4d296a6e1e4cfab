/**
 * The AWS keys a local proxy hands to AWS clients.
 *
 * They are worthless anywhere but at this proxy: the proxy checks each
 * request's SigV4 signature against them (so only a process that was given
 * them can use the proxy), then the cluster drops that signature and signs
 * with real, short-lived credentials. They are random for every run unless
 * pinned with TELEPORT_AWS_ACCESS_KEY_ID / TELEPORT_AWS_SECRET_ACCESS_KEY
 * (for scripts that write them into a config file once).
 */
import { randomBytes } from 'node:crypto';
import { TshError } from '../../shared/errors.js';
import { base32Encode } from '../../shared/text/base32.js';

/** The pair a client signs with. There is never a session token. */
export interface FakeCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * SigV4 parsers accept word characters only (IAM's pattern), and AWS's own
 * rule is 16 to 128 characters, so a pinned key outside that is refused
 * here rather than failing every request later.
 */
const ACCESS_KEY_ID = /^\w{16,128}$/;

/**
 * This run's fake keys: pinned by the environment, else random. The access
 * key id is `TSH` and 26 base32 characters (128 random bits; no `AKIA`/`ASIA`
 * prefix, so nobody mistakes it for a real key), the secret 40 base64url
 * characters (240 random bits).
 */
export function makeFakeCredentials(env: NodeJS.ProcessEnv): FakeCredentials {
  const pinnedId = env.TELEPORT_AWS_ACCESS_KEY_ID;
  const pinnedSecret = env.TELEPORT_AWS_SECRET_ACCESS_KEY;
  if (pinnedId !== undefined && pinnedId !== '' && !ACCESS_KEY_ID.test(pinnedId)) {
    throw new TshError('USAGE', 'TELEPORT_AWS_ACCESS_KEY_ID must be 16 to 128 letters, digits or underscores', {
      hint: 'unset it to get a random key for this run',
    });
  }
  if (pinnedSecret !== undefined && pinnedSecret !== '' && /\s/.test(pinnedSecret)) {
    throw new TshError('USAGE', 'TELEPORT_AWS_SECRET_ACCESS_KEY must not contain spaces');
  }
  return {
    accessKeyId: pinnedId || `TSH${base32Encode(randomBytes(16))}`,
    secretAccessKey: pinnedSecret || randomBytes(30).toString('base64url'),
  };
}

