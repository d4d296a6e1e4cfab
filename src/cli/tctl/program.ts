/**
 * tctl's command tree: cluster administration. Each command's code is in
 * commands/<name>.ts and loads only when it runs.
 */
import { Argument, Command, Option } from 'commander';
import type { CliContext } from '../cliContext.js';
import { lazy } from '../lazy.js';
import { VERSION } from '../../shared/version.js';
import { installHelp } from '../completion/install.js';
import { shells } from '../completion/shellNames.js';
import { parseCount } from '../parseNumbers.js';

const formats = (values: string[], fallback: string, short = true) =>
  new Option(`${short ? '-f, ' : ''}--format <format>`, `output format (${values.join(', ')})`).choices(values).default(fallback);
const list = (v: string, prev: string[] = []) => [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];

function withGlobals(cmd: Command): Command {
  return cmd
    .option('-c, --config <file>', 'teleport.yaml of this auth host: act as the local administrator')
    .option('--proxy <host:port>', 'proxy of the tsh profile to use (env TELEPORT_PROXY)')
    .option('--insecure', "do not verify the proxy's certificate (test clusters only)")
    .option('-d, --debug', 'stack traces on stderr')
    .option('--no-color', 'no colour in output (also NO_COLOR)');
}

/** Builds tctl's command tree. */
export function buildTctl(ctx: CliContext): Command {
  const program = withGlobals(new Command('tctl')).description('Administer a tsh-aws cluster: roles, users, join tokens, locks, apps, audit log.').enablePositionalOptions().showSuggestionAfterError(true);
  const cmd = (parent: Command, name: string) => withGlobals(parent.command(name));

  cmd(program, 'status')
    .description('Show the cluster name, version and CA pin')
    .addOption(formats(['text', 'json', 'yaml'], 'text'))
    .action(lazy(ctx, () => import('./commands/status.js')));
  cmd(program, 'create')
    .description('Create roles, users and locks from a YAML file (kind: role v5, kind: user v2, kind: lock v2)')
    .argument('<file>', 'YAML file with one or more documents (- for standard input)')
    .option('-f, --force', 'overwrite resources that exist')
    .action(lazy(ctx, () => import('./commands/create.js')));
  cmd(program, 'get')
    .description('Show resources: roles, users, tokens, locks, role/NAME, user/NAME, lock/ID')
    .argument('<resource>', 'roles | users | tokens | locks | role/NAME | user/NAME | token/NAME | lock/ID')
    .addOption(formats(['yaml', 'json', 'text'], 'yaml'))
    .action(lazy(ctx, () => import('./commands/get.js')));
  cmd(program, 'rm')
    .description('Remove a resource: role/NAME, user/NAME, token/NAME, lock/ID')
    .argument('<resource>', 'KIND/NAME')
    .action(lazy(ctx, () => import('./commands/rm.js')));

  cmd(program, 'lock')
    .description('Lock a user or a role out: logins, API calls and app requests are refused at once, live app connections closed')
    .option('--user <name>', 'the user to lock')
    .option('--role <name>', 'the role to lock: every user and certificate holding it')
    .option('--message <text>', 'what the locked user is told')
    .option('--ttl <duration>', 'how long the lock holds (e.g. 30m, 10h); without it, until `tctl rm lock/ID`')
    .option('--expires <time>', 'when the lock ends, as an RFC 3339 time (instead of --ttl)')
    .action(lazy(ctx, () => import('./commands/lock.js')));
  const locks = program.command('locks').description('Locks in force');
  cmd(locks, 'ls').description('List the locks in force').addOption(formats(['text', 'json', 'yaml'], 'text')).action(lazy(ctx, () => import('./commands/locksLs.js')));

  const users = program.command('users').description('Manage users');
  cmd(users, 'add')
    .description('Create a user and print an invite link (valid 1h)')
    .argument('<name>')
    .requiredOption('--roles <roles>', 'comma-separated roles, e.g. access,editor', list)
    .option('--aws-role-arns <arns>', 'comma-separated IAM role ARNs for the aws_role_arns trait', list)
    .addOption(formats(['text', 'json'], 'text'))
    .action(lazy(ctx, () => import('./commands/usersAdd.js')));
  cmd(users, 'update')
    .description("Change a user's roles or IAM role ARNs")
    .argument('<name>')
    .option('--set-roles <roles>', 'replace the roles (comma-separated)', list)
    .option('--set-aws-role-arns <arns>', 'replace the aws_role_arns trait (comma-separated; empty to clear)', (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .action(lazy(ctx, () => import('./commands/usersUpdate.js')));
  cmd(users, 'ls').description('List users').addOption(formats(['text', 'json', 'yaml'], 'text')).action(lazy(ctx, () => import('./commands/usersLs.js')));
  cmd(users, 'rm').description('Remove a user and end their app sessions at once').argument('<name>').action(lazy(ctx, () => import('./commands/usersRm.js')));
  cmd(users, 'reset')
    .description("Clear a user's password and second factor and print a new setup link")
    .argument('<name>')
    .addOption(formats(['text', 'json'], 'text'))
    .action(lazy(ctx, () => import('./commands/usersReset.js')));

  const tokens = program.command('tokens').description('Manage join tokens');
  cmd(tokens, 'add')
    .description('Create a join token for an app service')
    .requiredOption('--type <type>', 'token type (app)')
    .option('--app-name <name>', 'name of the app the new service will serve')
    .option('--app-uri <uri>', 'URI of that app (an AWS console URL for AWS access)')
    .option('--ttl <duration>', 'how long the token is valid (e.g. 30m, 1h)', '1h')
    .addOption(formats(['text', 'json'], 'text', false))
    .action(lazy(ctx, () => import('./commands/tokensAdd.js')));
  cmd(tokens, 'ls').description('List join tokens').addOption(formats(['text', 'json', 'yaml'], 'text')).action(lazy(ctx, () => import('./commands/tokensLs.js')));
  cmd(tokens, 'rm').description('Remove a join token').argument('<token>').action(lazy(ctx, () => import('./commands/tokensRm.js')));

  const proxies = program.command('proxies').description('The proxies of the cluster');
  cmd(proxies, 'ls').description('List the proxies heartbeating into the cluster (one per auth+proxy instance)').addOption(formats(['text', 'json', 'yaml'], 'text')).action(lazy(ctx, () => import('./commands/proxiesLs.js')));

  const apps = program.command('apps').description('Apps and the agents serving them');
  cmd(apps, 'ls').description('List apps and their agents').addOption(formats(['text', 'json', 'yaml'], 'text')).action(lazy(ctx, () => import('./commands/appsLs.js')));

  const audit = program.command('audit').description('The audit log');
  cmd(audit, 'events')
    .description('Show audit events')
    .option('--since <duration>', 'how far back (e.g. 15m, 1h, 24h)', '1h')
    .option('--type <event>', 'only this event type (e.g. app.session.start)')
    .option('--limit <n>', 'at most this many (the newest)', parseCount)
    .addOption(formats(['text', 'json'], 'text'))
    .action(lazy(ctx, () => import('./commands/auditEvents.js')));

  program
    .command('completion')
    .description('Print the shell completion script (bash, zsh, fish or powershell)')
    .addArgument(new Argument('<shell>', 'your shell').choices(shells))
    .addHelpText('after', installHelp('tctl'))
    .action(lazy(ctx, () => import('../completion/completionCommand.js')));

  cmd(program, 'version')
    .description('Print the version')
    .addOption(formats(['text', 'json'], 'text'))
    .action(lazy(ctx, () => import('../versionCommand.js')));
  program.version(VERSION, '--version', 'print the version');
  return program;
}
