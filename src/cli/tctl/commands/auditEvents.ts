import type { Command } from 'commander';
import type { CliContext } from '../../cliContext.js';
import { withConnection } from '../withConnection.js';
import { table } from '../../output.js';
import { eventDetails } from '../../../shared/audit/eventDetails.js';

/** tctl audit events [--since 1h] [--type EVENT] [-f json]. */
export default async function (ctx: CliContext, cmd: Command): Promise<void> {
  const o = cmd.opts() as { since: string; type?: string; limit?: number; format: string };
  const events = await withConnection(ctx, cmd, (c) => c.api.rpc('audit.search', { since: o.since, event: o.type, limit: o.limit }));
  if (o.format === 'json') return void ctx.stdout.write(JSON.stringify(events, null, 2) + '\n');
  if (events.length === 0) return void ctx.stdout.write(`No events in the last ${o.since}.\n`);
  ctx.stdout.write(table(ctx, ['Time (UTC)', 'Event', 'User', 'Details'], events.map((e) => [e.time.slice(0, 19).replace('T', ' '), e.event, e.user ?? '', eventDetails(e)])));
}

