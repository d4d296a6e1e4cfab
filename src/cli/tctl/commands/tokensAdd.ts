import type { Command } from 'commander';
import type { CliContext } from '../../cliContext.js';
import { withConnection } from '../withConnection.js';
import { formatDuration } from '../../../shared/duration.js';

/** tctl tokens add --type=app [--app-name --app-uri] [--ttl] [--format json]. */
export default async function (ctx: CliContext, cmd: Command): Promise<void> {
  const o = cmd.opts() as { type: string; appName?: string; appUri?: string; ttl: string; format: string };
  const t = await withConnection(ctx, cmd, (c) =>
    c.api.rpc('tokens.add', { type: o.type, appName: o.appName, appUri: o.appUri, ttl: o.ttl }),
  );
  if (o.format === 'json') {
    return void ctx.stdout.write(JSON.stringify({ token: t.token, expires: t.expires, roles: t.roles, ca_pin: t.caPin, proxy: t.proxyAddr }, null, 2) + '\n');
  }
  const ttl = formatDuration(Date.parse(t.expires) - Date.now());
  ctx.stdout.write(
    `The invite token:\n${t.token}\n\n` +
      `This token will expire in ${ttl}.\n\n` +
      'Fill out and run this command on a node to make the application available:\n\n' +
      `> teleport app start \\\n` +
      `   --token=${t.token} \\\n` +
      `   --ca-pin=${t.caPin} \\\n` +
      `   --auth-server=${t.proxyAddr} \\\n` +
      `   --name=${o.appName ?? 'APP_NAME'} \\\n` +
      `   --uri=${o.appUri ?? 'APP_URI'}\n\n` +
      'Or write its teleport.yaml (for `teleport start -c` and `teleport install systemd`):\n\n' +
      `> teleport configure --roles=app \\\n` +
      `   --token=${t.token} \\\n` +
      `   --ca-pin=${t.caPin} \\\n` +
      `   --proxy=${t.proxyAddr} \\\n` +
      `   --app-name=${o.appName ?? 'APP_NAME'} \\\n` +
      `   --app-uri=${o.appUri ?? 'APP_URI'} \\\n` +
      '   --output=/etc/teleport.yaml\n\n' +
      'Please note:\n\n' +
      `  - This invitation token will expire in ${ttl}.\n` +
      `  - ${t.proxyAddr} must be reachable from the new application service.\n` +
      '  - In a teleport.yaml the token (or a file holding it) goes in teleport.join_params.token_name.\n',
  );
}
