/**
 * tsh: the command line users run every day. The tree is in program.ts;
 * each command's code is in commands/<name>.ts, loaded when it runs.
 */
import { processContext } from '../cliContext.js';
import { prepareProcess } from '../../shared/processSetup.js';
import { run } from '../run.js';
import { buildTsh } from './program.js';

prepareProcess();
const argv = process.argv.slice(2);
const ctx = processContext(argv);
run(buildTsh(ctx), argv, ctx).then((code) => {
  process.exitCode = code;
});
