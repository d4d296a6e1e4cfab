import type { Command } from 'commander';
import type { CliContext } from '../../cliContext.js';
import { withConnection } from '../withConnection.js';
import { parseResourceRef } from '../resourceRef.js';
import { table } from '../../output.js';
import { locksTable } from '../locksTable.js';
import { tokenView } from '../tokenView.js';
import type { Lock, Role, User } from '../../../shared/resources/types.js';
import type { TokenRecord } from '../../../shared/api/types.js';

/** tctl get roles|users|tokens|locks|role/NAME|user/NAME|lock/ID [--format yaml|json|text]. */
export default async function (ctx: CliContext, cmd: Command, ref: string): Promise<void> {
  const { kind, name } = parseResourceRef(ref, false);
  const format = (cmd.opts() as { format: string }).format;
  const raw = await withConnection(ctx, cmd, (c) => c.api.rpc('resources.get', { kind, name }));
  // The cluster answers with documents of the kind asked for.
  const items = kind === 'token' ? (raw as TokenRecord[]).map(tokenView) : raw;
  if (format === 'json') return void ctx.stdout.write(JSON.stringify(items, null, 2) + '\n');
  if (format === 'yaml') {
    const { toYaml: stringify } = await import('../../../shared/yaml/toYaml.js');
    return void ctx.stdout.write(items.map((i) => stringify(i)).join('---\n'));
  }
  if (kind === 'role') {
    ctx.stdout.write(table(ctx, ['Role', 'Allowed IAM roles', 'App labels', 'Rules'], (raw as Role[]).map((r) => [
      r.metadata.name,
      (r.spec.allow?.aws_role_arns ?? []).join(', '),
      Object.entries(r.spec.allow?.app_labels ?? {}).map(([k, v]) => `${k}=${v}`).join(','),
      (r.spec.allow?.rules ?? []).map((x) => `${x.resources.join('|')}:${x.verbs.join('|')}`).join(' '),
    ])));
  } else if (kind === 'lock') {
    ctx.stdout.write(locksTable(ctx, raw as Lock[]));
  } else if (kind === 'user') {
    ctx.stdout.write(table(ctx, ['User', 'Roles', 'Traits'], (raw as User[]).map((u) => [u.metadata.name, u.spec.roles.join(','), Object.entries(u.spec.traits ?? {}).map(([k, v]) => `${k}=${v.join(',')}`).join(' ')])));
  } else {
    ctx.stdout.write(table(ctx, ['Token', 'Type', 'Expiry Time (UTC)'], (raw as TokenRecord[]).map((t) => [t.token, t.roles.join(','), t.expires])));
  }
}
