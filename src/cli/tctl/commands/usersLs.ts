import type { Command } from 'commander';
import type { CliContext } from '../../cliContext.js';
import { withConnection } from '../withConnection.js';
import { printData, table, type Format } from '../../output.js';

/** tctl users ls. */
export default async function (ctx: CliContext, cmd: Command): Promise<void> {
  const users = await withConnection(ctx, cmd, (c) => c.api.rpc('users.list'));
  const data = users.map((u) => ({ name: u.name, roles: u.roles, has_password: u.hasPassword, ...(u.lockedUntil ? { locked_until: u.lockedUntil } : {}) }));
  await printData(ctx, (cmd.opts() as { format: Format }).format, data, () =>
    table(ctx, ['User', 'Roles', 'Status'], users.map((u) => [u.name, u.roles.join(','), u.lockedUntil ? `locked until ${u.lockedUntil}` : u.hasPassword ? 'active' : 'invited (no password yet)'])),
  );
}
