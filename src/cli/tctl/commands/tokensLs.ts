import type { Command } from 'commander';
import type { CliContext } from '../../cliContext.js';
import { withConnection } from '../withConnection.js';
import { printData, table, type Format } from '../../output.js';
import { tokenView } from '../tokenView.js';

/** tctl tokens ls. */
export default async function (ctx: CliContext, cmd: Command): Promise<void> {
  const tokens = await withConnection(ctx, cmd, (c) => c.api.rpc('tokens.list'));
  await printData(ctx, (cmd.opts() as { format: Format }).format, tokens.map(tokenView), () =>
    tokens.length ? table(ctx, ['Token', 'Type', 'App', 'Expiry Time (UTC)'], tokens.map((t) => [t.token, t.roles.join(','), t.appName ?? '', t.expires])) : 'No active tokens found.\n',
  );
}
