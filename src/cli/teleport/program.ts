/** teleport's command tree: running the cluster's services, and the operator's kit around them. */
import { Command, Option } from 'commander';
import type { CliContext } from '../cliContext.js';
import { lazy } from '../lazy.js';
import { VERSION } from '../../shared/version.js';
import { parsePort } from '../parseNumbers.js';
import { parseLabels } from './parseLabels.js';
import { proxyFormats } from '../../client/aws/announceProxy.js';

const logFormat = () => new Option('--log-format <format>', 'log lines as text or json (teleport.log.format)').choices(['text', 'json']);
const diagAddr = () => new Option('--diag-addr <host:port>', 'serve /healthz, /readyz and /metrics there (teleport.diag_addr), e.g. 127.0.0.1:3000');
const list = (v: string, prev: string[] = []) => [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];

/** Builds teleport's command tree. */
export function buildTeleport(ctx: CliContext): Command {
  const program = new Command('teleport').description('Run tsh-aws cluster services: auth, proxy and app service.').enablePositionalOptions().showSuggestionAfterError(true);
  program
    .command('start')
    .description('Start the services a config file enables')
    .option('-c, --config <file>', 'path to teleport.yaml', '/etc/teleport.yaml')
    .addOption(diagAddr())
    .addOption(logFormat())
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
    .option('--labels <k=v,...>', 'app labels', parseLabels)
    .option('--data-dir <dir>', 'where the agent keeps its identity', '/var/lib/teleport')
    .addOption(diagAddr())
    .addOption(logFormat())
    .option('--insecure', "do not verify the proxy's certificate")
    .option('-d, --debug', 'debug logging')
    .action(lazy(ctx, () => import('./commands/appStart.js')));

  program
    .command('configure')
    .description('Print a teleport.yaml for this host\'s roles (the cluster, or an app service joining it)')
    .option('--roles <roles>', 'auth,proxy (the cluster), app (an app service), or auth,proxy,app', list)
    .option('--cluster-name <name>', '(auth) the cluster name')
    .option('--public-addr <host:port>', '(proxy) the address users and agents reach the proxy at')
    .option('--web-listen-addr <host:port>', '(proxy) where the proxy listens (default 0.0.0.0:3080)')
    .option('--auth-listen-addr <host:port>', '(auth) where the auth service listens (default 0.0.0.0:3025)')
    .option('--cert-file <file>', '(proxy) TLS certificate; without it the certificate is self-signed')
    .option('--key-file <file>', '(proxy) TLS private key')
    .addOption(new Option('--second-factor <kind>', '(auth) one-time codes at login').choices(['otp', 'off']))
    .option('--token <token>', '(app) join token from `tctl tokens add --type=app`, or a file holding it')
    .option('--proxy <host:port>', '(app) the proxy to join through')
    .option('--ca-pin <pin>', '(app) CA pin from `tctl status` (sha256:...)')
    .option('--app-name <name>', '(app) the app to serve, e.g. aws')
    .option('--app-uri <uri>', '(app) its URI, e.g. https://console.aws.amazon.com/home/home')
    .option('--labels <k=v,...>', '(app) app labels', parseLabels)
    .option('--data-dir <dir>', 'where teleport keeps its state', '/var/lib/teleport')
    .addOption(diagAddr())
    .addOption(logFormat())
    .option('-o, --output <file>', 'write the config to this file (0600) instead of printing it')
    .action(lazy(ctx, () => import('./commands/configure.js')));

  program
    .command('install')
    .description('Install teleport on this host')
    .command('systemd')
    .description('Print (or write) a systemd unit that runs `teleport start` on boot')
    .option('-c, --config <file>', 'the teleport.yaml the unit starts with (its data_dir becomes the one writable path)', '/etc/teleport.yaml')
    .option('--env-file <file>', 'environment file for the AWS credentials', '/etc/default/teleport')
    .option('-o, --output <file>', 'write the unit to this file instead of printing it')
    .action(lazy(ctx, () => import('./commands/installSystemd.js')));

  program
    .command('sandbox')
    .description('Run a local AWS (STS, DynamoDB, console sign-in, S3) for trying the guide on one machine, until Ctrl-C')
    .option('-p, --port <port>', 'first port: STS listens on it, DynamoDB, the sign-in endpoint and S3 on the next three (default: free ones)', parsePort)
    .option('--role <name>', 'IAM role to create (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .addOption(new Option('-f, --format <format>', 'syntax of the printed environment').choices([...proxyFormats]).default(process.platform === 'win32' ? 'powershell' : 'unix'))
    .action(lazy(ctx, () => import('./commands/sandbox.js')));

  program
    .command('version')
    .description('Print the version')
    .addOption(new Option('-f, --format <format>', 'output format (text, json)').choices(['text', 'json']).default('text'))
    .action(lazy(ctx, () => import('../versionCommand.js')));
  program.version(VERSION, '--version', 'print the version');
  return program;
}
