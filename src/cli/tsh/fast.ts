/**
 * The start-up fast path for the two commands people (and prompts, and
 * scripts) run most often to check their state: `tsh version` and
 * `tsh status`. Built as a small CommonJS bundle that bin/tsh loads first;
 * it answers only argument lists it fully understands and otherwise leaves
 * everything to the full command tree, so behaviour is the same either way
 * (the same status and rendering code runs), minus ~20 ms of loading.
 */
import { VERSION } from '../../shared/version.js';
import { versionText } from '../versionText.js';
// Everything else is imported where it is used: in this CommonJS bundle such
// imports stay inline but are evaluated only when reached, so `tsh version`
// does not pay for the terminal, colour and file-system modules (~2-3 ms).

/** `-f X`, `--format X`, `--format=X`, or nothing; undefined when the rest is anything else. */
function formatOf(rest: string[]): string | undefined {
  if (rest.length === 0) return 'text';
  if (rest.length === 2 && (rest[0] === '-f' || rest[0] === '--format')) return rest[1];
  if (rest.length === 1 && rest[0].startsWith('--format=')) return rest[0].slice('--format='.length);
  return undefined;
}

/**
 * Handles argv when it is a plain `version`/`--version`/`status` call;
 * resolves to the exit code, or undefined to say "not mine".
 */
export async function runFast(argv: string[]): Promise<number | undefined> {
  const [command, ...rest] = argv;
  const format = formatOf(rest);
  if (command === '--version' && rest.length === 0) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (command === 'version' && (format === 'text' || format === 'json')) {
    process.stdout.write(versionText('tsh', format));
    return 0;
  }
  if (command === '__complete' && rest.length >= 1 && rest.length <= 2) {
    // Shell completion runs on every TAB: the fast path matters most here.
    const { completionValues } = await import('../completion/completionValues.js');
    process.stdout.write(completionValues(process.env, rest[0], rest[1]));
    return 0;
  }
  if (command === 'status' && (format === 'text' || format === 'json')) {
    const [{ processContext }, { report }, { status }, { clientEnv }, { renderStatus }] = await Promise.all([
      import('../cliContext.js'),
      import('../report.js'),
      import('../../client/status.js'),
      import('../../client/clientEnv.js'),
      import('./renderStatus.js'),
    ]);
    const ctx = processContext(argv);
    try {
      const result = await status(clientEnv({}, ctx.env, () => {}));
      ctx.stdout.write(format === 'json' ? JSON.stringify(result, null, 2) + '\n' : renderStatus(ctx, result));
      return 0;
    } catch (err) {
      return report(ctx, err);
    }
  }
  return undefined;
}
