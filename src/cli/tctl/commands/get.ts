import type { Command } from 'commander';
import type { CliContext } from '../../cliContext.js';
import { withConnection } from '../withConnection.js';
import { parseResourceRef } from '../resourceRef.js';
import { table } from '../../output.js';
import { locksTable } from '../locksTable.js';
import { tokenView } from '../tokenView.js';

/** tctl get roles|users|tokens|locks|role/NAME|user/NAME|lock/ID [--format yaml|json|text]. */
export default async function (ctx: CliContext, cmd: Command, ref: string): Promise<void> {
  const { kind, name } = parseResourceRef(ref, false);
  const format = (cmd.opts() as { format: string }).format;
  const raw = await withConnection(ctx, cmd, (c) => c.api.rpc<any[]>('resources.get', { kind, name }));
  const items = kind === 'token' ? raw.map(tokenView) : raw;
  if (format === 'json') return void ctx.stdout.write(JSON.stringify(items, null, 2) + '\n');
  if (format === 'yaml') {
    const { toYaml: stringify } = await import('../../../shared/yaml/toYaml.js');
    return void ctx.stdout.write(items.map((i) => stringify(i)).join('---\n'));
  }
  if (kind === 'role') {
    ctx.stdout.write(table(ctx, ['Role', 'Allowed IAM roles', 'App labels', 'Rules'], items.map((r) => [
      r.metadata.name,
      (r.spec.allow?.aws_role_arns ?? []).join(', '),
      Object.entries(r.spec.allow?.app_labels ?? {}).map(([k, v]) => `${k}=${v}`).join(','),
      (r.spec.allow?.rules ?? []).map((x: any) => `${x.resources.join('|')}:${x.verbs.join('|')}`).join(' '),
    ])));
  } else if (kind === 'lock') {
    ctx.stdout.write(locksTable(ctx, items));
  } else if (kind === 'user') {
    ctx.stdout.write(table(ctx, ['User', 'Roles', 'Traits'], items.map((u) => [u.metadata.name, u.spec.roles.join(','), Object.entries(u.spec.traits ?? {}).map(([k, v]) => `${k}=${(v as string[]).join(',')}`).join(' ')])));
  } else {
    ctx.stdout.write(table(ctx, ['Token', 'Type', 'Expiry Time (UTC)'], items.map((t) => [t.token, t.roles.join(','), t.expires])));
  }
}
