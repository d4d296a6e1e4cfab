import type { Command } from 'commander';
import type { CliContext } from '../../cliContext.js';
import { withConnection } from '../withConnection.js';
import { TshError } from '../../../shared/errors.js';
import { warn } from '../../output.js';

/** tctl users update NAME [--set-roles a,b] [--set-aws-role-arns arn1,arn2]. */
export default async function (ctx: CliContext, cmd: Command, name: string): Promise<void> {
  const o = cmd.opts() as { setRoles?: string[]; setAwsRoleArns?: string[] };
  if (!o.setRoles && !o.setAwsRoleArns) throw new TshError('USAGE', 'nothing to update', { hint: 'pass --set-roles and/or --set-aws-role-arns' });
  const r = await withConnection(ctx, cmd, (c) => c.api.rpc('users.update', { name, roles: o.setRoles, awsRoleArns: o.setAwsRoleArns }));
  for (const w of r.warnings) warn(ctx, w);
  ctx.stdout.write(`User ${r.user} has been updated:\n`);
  if (o.setRoles) ctx.stdout.write(`\tNew roles: ${r.roles.join(',')}\n`);
  if (o.setAwsRoleArns) ctx.stdout.write(`\tNew AWS role ARNs: ${(r.traits.aws_role_arns ?? []).join(',') || '(none)'}\n`);
  ctx.stdout.write('The user must log in again (`tsh logout`, `tsh login`) for the change to reach their certificate.\n');
}
