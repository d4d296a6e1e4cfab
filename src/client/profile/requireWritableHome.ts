import { mkdir, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { TshError } from '../../shared/errors.js';

/**
 * Checks that TELEPORT_HOME can hold what a login writes, before anything
 * happens on the cluster: a login or app session the cluster counted (and
 * audited) is not spent only to be lost because its keys cannot be saved.
 * It creates the directory (0700) and a probe file in it, as the writes
 * themselves will.
 */
export async function requireWritableHome(home: string): Promise<void> {
  const probe = join(home, `.write-test-${process.pid}`);
  try {
    await mkdir(home, { recursive: true, mode: 0o700 });
    await (await open(probe, 'wx', 0o600)).close();
    await rm(probe, { force: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new TshError('CONFIG', `cannot write to TELEPORT_HOME ${home} (${code})`, {
      hint: 'give your user write access to that directory (it should be yours, mode 0700), or set TELEPORT_HOME to one you can write',
    });
  }
}
