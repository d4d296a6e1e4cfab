import type { Command } from 'commander';
import type { CliContext } from '../../cliContext.js';
import { withConnection } from '../withConnection.js';
import { printData, table, type Format } from '../../output.js';
import { appServerResource } from '../../../shared/resources/appResource.js';

/** tctl apps ls: every app and the agents serving it; `-f json|yaml` prints Teleport's `kind: app_server` resources. */
export default async function (ctx: CliContext, cmd: Command): Promise<void> {
  const servers = await withConnection(ctx, cmd, (c) => c.api.rpc('appServers.list'));
  await printData(ctx, (cmd.opts() as { format: Format }).format, servers.map(appServerResource), () =>
    servers.length
      ? table(ctx, ['Application', 'URI', 'Labels', 'Agent', 'Host ID', 'Version'], servers.map((s) => [s.app.name, s.app.uri, Object.entries(s.app.labels ?? {}).map(([k, v]) => `${k}=${v}`).join(','), s.hostname, s.hostId, s.version]))
      : 'No app services are connected.\n',
  );
}
