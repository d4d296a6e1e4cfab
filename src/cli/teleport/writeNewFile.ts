import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { TshError } from '../../shared/errors.js';

/**
 * Writes a file the operator asked for with --output (`file://PATH` is read
 * as PATH, as Teleport's flags accept), refusing to replace one that exists.
 * Resolves with the absolute path written.
 */
export async function writeNewFile(output: string, text: string, mode: number): Promise<string> {
  const path = resolve(output.replace(/^file:\/\//, ''));
  try {
    await writeFile(path, text, { flag: 'wx', mode });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new TshError('ALREADY_EXISTS', `${path} already exists`, { hint: 'remove it first, or choose another path with --output' });
    throw new TshError('BAD_INPUT', `cannot write ${path} (${code ?? err})`, { hint: 'check the directory exists and that you may write there (often: run with sudo)' });
  }
  return path;
}
