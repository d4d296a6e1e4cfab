import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeSecure } from './auth/authService.js';

/**
 * This instance's host id, kept in `<data_dir>/host_uuid` as Teleport does:
 * made on the first start, the same ever after. Proxies heartbeat under it
 * and agents tell proxies apart by it.
 */
export async function hostUuid(dataDir: string): Promise<string> {
  const file = join(dataDir, 'host_uuid');
  const stored = (await readFile(file, 'utf8').catch(() => '')).trim();
  if (/^[0-9a-f-]{36}$/.test(stored)) return stored;
  const id = randomUUID();
  await writeSecure(file, id + '\n');
  return id;
}
