/**
 * `npm run completions`: writes the completion scripts of tsh and tctl into
 * completions/ (or the directory given as the first argument). It runs from
 * source with tsx rather than as a bundle entry, so building it never changes
 * how the programs' bundles are split. The output is deterministic and
 * committed; test/cli/completion fails when it is stale.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { completionFiles } from './files.js';

const dir = resolve(process.argv[2] ?? 'completions');
await mkdir(dir, { recursive: true });
for (const [name, text] of Object.entries(completionFiles())) {
  await writeFile(join(dir, name), text);
  process.stdout.write(`wrote ${join(dir, name)}\n`);
}
