/**
 * tsh's command tree. This file only declares it; each command's code is in commands/<name>.ts and is loaded
 * when that command runs.
 */
import { Argument, Command, Option } from 'commander';
import type { CliContext } from '../cliContext.js';
import { lazy, withGlobalFlags } from '../lazy.js';
import { VERSION } from '../../shared/version.js';
import { installHelp } from '../completion/install.js';
import { shells } from '../completion/shellNames.js';
import { parseMinutes, parsePort } from '../parseNumbers.js';

const formats = (values: string[], fallback: string) => new Option('-f, --format <format>', `output format (${values.join(', ')})`).choices(values).default(fallback);

/** Builds tsh's command tree. */
export function buildTsh(ctx: CliContext): Command {
  const program = withGlobalFlags(new Command('tsh'))
    .description('Reach AWS APIs through short-lived certificates: no AWS keys on your machine.')
    .enablePositionalOptions()
    .showSuggestionAfterError(true)
    .helpCommand(true);
  const cmd = (parent: Command, name: string) => withGlobalFlags(parent.command(name));

  cmd(program, 'login')
    .description('Log in to a cluster and keep a short-lived certificate in the OS keychain')
    .option('--ttl <minutes>', 'how long the login lasts, in minutes (the roles may cap it)', parseMinutes)
    .addOption(formats(['text', 'json'], 'text'))
    .action(lazy(ctx, () => import('./commands/login.js')));
  cmd(program, 'logout')
    .description('Log out: end app sessions and remove keys and certificates')
    .option('--force', 'remove the local keys even when the app sessions cannot be ended on the cluster (proxy unreachable)')
    .action(lazy(ctx, () => import('./commands/logout.js')));
  cmd(program, 'status')
    .description('Show the current login')
    .addOption(formats(['text', 'json', 'yaml'], 'text'))
    .action(lazy(ctx, () => import('./commands/status.js')));
  cmd(program, 'version')
    .description('Print the version')
    .addOption(formats(['text', 'json'], 'text'))
    .action(lazy(ctx, () => import('../versionCommand.js')));

  const apps = program.command('apps').alias('app').description('List and log into apps');
  cmd(apps, 'ls')
    .description('List the apps you can reach')
    .option('-v, --verbose', 'also show each app\'s URI')
    .addOption(formats(['text', 'json', 'yaml'], 'text'))
    .action(lazy(ctx, () => import('./commands/appsLs.js')));
  cmd(apps, 'login')
    .description('Log into an app; for AWS apps, choose the IAM role')
    .argument('<app>', 'app name (see `tsh apps ls`)')
    .option('--aws-role <name|arn>', '(AWS apps) IAM role name or ARN to use')
    .option('--ttl <minutes>', 'lifetime of the app certificate in minutes (at most the login\'s)', parseMinutes)
    .option('-q, --quiet', 'print nothing on success')
    .addOption(formats(['text', 'json', 'yaml'], 'text'))
    .action(lazy(ctx, () => import('./commands/appsLogin.js')));
  cmd(apps, 'logout')
    .description('Log out of an app (all apps when none is named)')
    .argument('[app]', 'app name')
    .action(lazy(ctx, () => import('./commands/appsLogout.js')));
  cmd(apps, 'config')
    .description('Print an app login\'s settings (paths, certificate, role)')
    .argument('[app]', 'app name (needed when logged into several)')
    .addOption(formats(['text', 'uri', 'ca', 'cert', 'key', 'curl', 'json', 'yaml'], 'text'))
    .action(lazy(ctx, () => import('./commands/appsConfig.js')));

  const aws = cmd(program, 'aws')
    .description('Run the aws CLI with the app\'s IAM role, through a local proxy')
    .option('--app <name>', 'AWS app to use when logged into several')
    .option('-e, --endpoint-url', 'serve a local endpoint URL instead of an HTTPS proxy')
    .option('--exec <command>', 'run this command instead of aws (e.g. terraform)')
    .argument('[args...]', 'arguments for the aws CLI, passed unchanged')
    .passThroughOptions()
    .allowUnknownOption()
    .allowExcessArguments()
    .action(lazy(ctx, () => import('./commands/aws.js')));
  cmd(aws, 'console')
    .description('Open the AWS Management Console in your browser, signed in as the app\'s IAM role')
    .option('--app <name>', 'AWS app to use when logged into several')
    .option('--aws-role <name|arn>', 'IAM role to sign in as (logs into the app with it first)')
    .option('--print', 'print the sign-in URL instead of opening a browser')
    .action(lazy(ctx, () => import('./commands/awsConsole.js')));

  const proxy = program.command('proxy').description('Start local proxies');
  cmd(proxy, 'aws')
    .description('Start a local HTTPS proxy (or endpoint) for any AWS SDK')
    .option('-p, --port <port>', 'local port to listen on (default: a free one)', parsePort)
    .option('--app <name>', 'AWS app to use when logged into several')
    .option('-e, --endpoint-url', 'serve a local endpoint URL instead of an HTTPS proxy')
    .addOption(formats(['unix', 'text', 'command-prompt', 'powershell', 'fish', 'json'], process.platform === 'win32' ? 'powershell' : 'unix'))
    .action(lazy(ctx, () => import('./commands/proxyAws.js')));

  program
    .command('completion')
    .description('Print the shell completion script (bash, zsh, fish or powershell)')
    .addArgument(new Argument('<shell>', 'your shell').choices(shells))
    .addHelpText('after', installHelp('tsh'))
    .action(lazy(ctx, () => import('./commands/completion.js')));
  // For the completion scripts: app and role names from local files (see commands/complete.ts).
  program.command('__complete', { hidden: true }).argument('<source>').argument('[app]').action(lazy(ctx, () => import('./commands/complete.js')));

  program.version(VERSION, '--version', 'print the version');
  return program;
}

