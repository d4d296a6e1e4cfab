/** teleport's command tree: running the cluster's services. */
import { Command } from 'commander';
import type { CliContext } from '../cliContext.js';
import { lazy } from '../lazy.js';
import { VERSION } from '../../shared/version.js';

/** Builds teleport's command tree. */
export function buildTeleport(ctx: CliContext): Command {
  const program = new Command('teleport').description('Run tsh-aws cluster services: auth, proxy and app service.').enablePositionalOptions().showSuggestionAfterError(true);
  program
    .command('start')
    .description('Start the services a config file enables')
    .option('-c, --config <file>', 'path to teleport.yaml', '/etc/teleport.yaml')
    .option('--insecure', "(app service) do not verify the proxy's certificate when joining")
    .option('-d, --debug', 'debug logging')
    .action(lazy(ctx, () => import('./commands/start.js')));
  const app = program.command('app').description('The app service');
  app
    .command('start')
    .description('Start an app service from flags (what `tctl tokens add --type=app` prints)')
    .requiredOption('--token <token>', 'join token, or a file holding it')
    .requiredOption('--auth-server <host:port>', 'address of the proxy to join through')
    .requiredOption('--name <name>', 'app name')
    .requiredOption('--uri <uri>', 'app URI (an AWS console URL for AWS API access)')
    .option('--ca-pin <pin>', 'CA pin from `tctl status` (sha256:...)')
    .option('--labels <k=v,...>', 'app labels')
    .option('--data-dir <dir>', 'where the agent keeps its identity', '/var/lib/teleport')
    .option('--insecure', "do not verify the proxy's certificate")
    .option('-d, --debug', 'debug logging')
    .action(lazy(ctx, () => import('./commands/appStart.js')));
  program.command('version').description('Print the version').action(() => void ctx.stdout.write(`tsh-aws teleport v${VERSION} node/${process.version}\n`));
  program.version(VERSION, '--version', 'print the version');
  return program;
}
