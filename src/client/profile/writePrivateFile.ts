import { mkdir, rename, writeFile, chmod } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Writes a file readable by its owner only (0600, directories 0700), through
 * a temporary name so readers never see half a file and it is never
 * briefly world-readable.
 */
export async function writePrivateFile(path: string, data: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, data, { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, path);
}
