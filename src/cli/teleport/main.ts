/** teleport: the cluster's services. */
import { processContext } from '../cliContext.js';
import { prepareProcess } from '../../shared/processSetup.js';
import { run } from '../run.js';
import { buildTeleport } from './program.js';

prepareProcess();
const argv = process.argv.slice(2);
const ctx = processContext(argv);
run(buildTeleport(ctx), argv, ctx).then((code) => {
  process.exitCode = code;
});
