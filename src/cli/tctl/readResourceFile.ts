import { open } from 'node:fs/promises';
import { TshError } from '../../shared/errors.js';
import { MAX_RESOURCE_FILE_BYTES } from '../../shared/resources/checkResources.js';

const limitText = `${MAX_RESOURCE_FILE_BYTES >> 20} MiB`;
const tooLarge = (what: string, size?: number) =>
  new TshError('TOO_LARGE', `${what} is ${size === undefined ? '' : `${(size / (1 << 20)).toFixed(1)} MiB, `}larger than the ${limitText} limit for a resource file`, {
    hint: 'split it into several files and run `tctl create` on each',
  });

/**
 * The text `tctl create` was given (a file, or `-` for standard input),
 * refused before any of it is parsed when it is past
 * MAX_RESOURCE_FILE_BYTES: a file by its size, standard input as soon as it
 * passes the limit (the rest is never read).
 */
export async function readResourceFile(file: string, stdin: NodeJS.ReadableStream): Promise<string> {
  if (file === '-') return readAtMost(stdin, 'standard input');
  let handle;
  try {
    handle = await open(file, 'r');
    const { size } = await handle.stat();
    if (size > MAX_RESOURCE_FILE_BYTES) throw tooLarge(file, size);
    // A file that grows (or a FIFO that reports no size) is still cut off at the limit.
    return await readAtMost(handle.createReadStream({ autoClose: false }), file);
  } catch (err) {
    if (err instanceof TshError) throw err;
    throw new TshError('BAD_INPUT', `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? err}`);
  } finally {
    await handle?.close();
  }
}

async function readAtMost(stream: NodeJS.ReadableStream, what: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of stream) {
    const chunk = Buffer.from(c as Buffer);
    size += chunk.length;
    if (size > MAX_RESOURCE_FILE_BYTES) throw tooLarge(what);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
