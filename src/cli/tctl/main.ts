/** tctl: cluster administration. The tree is in program.ts; commands load when they run. */
import { processContext } from '../cliContext.js';
import { prepareProcess } from '../../shared/processSetup.js';
import { run } from '../run.js';
import { buildTctl } from './program.js';

prepareProcess();
const argv = process.argv.slice(2);
const ctx = processContext(argv);
run(buildTctl(ctx), argv, ctx).then((code) => {
  process.exitCode = code;
});
