import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, rename, unlink } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { TshError } from '../../shared/errors.js';
import type { SecretStore } from './secretStore.js';

/**
 * Rejects an account that is not a plain relative path (`keys/proxy/alice`).
 *
 * Accounts become file paths under TELEPORT_HOME here and keychain user names
 * in the keychain store, so a user or proxy name carrying `..`, a leading `/`
 * or a NUL must never let a secret land outside the home. Shared by both
 * stores so they accept exactly the same accounts.
 */
export function checkAccount(account: string): void {
  const segments = account.split('/');
  const bad =
    account.length === 0 ||
    account.includes('\0') ||
    account.includes('\\') ||
    segments.some((s) => s === '' || s === '.' || s === '..');
  if (bad) {
    throw new TshError('BAD_INPUT', `"${account}" is not a valid key store account (a relative path such as keys/proxy.example.com/alice)`);
  }
}

const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

/**
 * The fallback store: each secret is the file `<home>/<account>`, mode 0600,
 * in directories of mode 0700, the layout a Teleport user would look in.
 *
 * Used when no OS keychain is usable (headless Linux without a Secret
 * Service) or when TSH_SECRET_STORE=file. Writes go to a 0600 temp file in
 * the same directory and are renamed into place, so a reader (another tsh)
 * sees the old secret or the new one, never half of one, and the secret is
 * never group- or world-readable, whatever the umask. A secret file found
 * with looser permissions is still read, then tightened to 0600.
 */
export function openFileStore(opts: { home: string }): SecretStore {
  const home = resolve(opts.home);
  const pathOf = (account: string): string => {
    checkAccount(account);
    return join(home, account);
  };

  return {
    kind: 'file',
    description: `0600 files under ${home}`,

    async get(account) {
      const file = pathOf(account);
      let fh;
      try {
        fh = await open(file, 'r');
      } catch (err) {
        if (isMissing(err)) return undefined;
        throw err;
      }
      try {
        // fstat/fchmod on the open descriptor: the file we fix is the file we read.
        if (((await fh.stat()).mode & 0o077) !== 0) await fh.chmod(FILE_MODE);
        return await fh.readFile('utf8');
      } finally {
        await fh.close();
      }
    },

    async set(account, secret) {
      const file = pathOf(account);
      await makePrivateDirs(home, dirname(file));
      const temp = join(dirname(file), `.${randomBytes(8).toString('hex')}.tmp`);
      // 'wx' (O_EXCL): never reuse (or follow a symlink to) a file someone else made.
      const fh = await open(temp, 'wx', FILE_MODE);
      try {
        try {
          await fh.chmod(FILE_MODE); // a umask can only remove bits; be exact anyway
          await fh.writeFile(secret, 'utf8');
          await fh.sync();
        } finally {
          await fh.close();
        }
        await rename(temp, file);
      } catch (err) {
        await unlink(temp).catch(() => {});
        throw err;
      }
    },

    async delete(account) {
      try {
        await unlink(pathOf(account));
        return true;
      } catch (err) {
        if (isMissing(err)) return false;
        throw err;
      }
    },
  };
}

/**
 * Makes dir (and any missing parents) with mode 0700, whatever the umask, and
 * tightens existing directories strictly below home to 0700 too: they hold keys.
 */
async function makePrivateDirs(home: string, dir: string): Promise<void> {
  const created = await mkdir(dir, { recursive: true, mode: DIR_MODE });
  const ours = (d: string) => created !== undefined && (d === created || d.startsWith(created + sep));
  for (let d = dir; d.startsWith(home + sep) || ours(d); d = dirname(d)) await chmod(d, DIR_MODE);
}

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
