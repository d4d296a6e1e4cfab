/**
 * Which IAM role `tsh apps login --aws-role X` means, by Teleport's rules:
 *
 *   X is an ARN      -> it must be exactly one of the allowed ARNs
 *   X is a name      -> the role's name (path included) or its last segment;
 *                       the same name in two accounts is ambiguous: ask for the ARN
 *   no X, one role   -> that role
 *   no X, otherwise  -> print the allowed roles and say the flag is missing
 *
 * Refusals carry the table of roles (on stdout, before the error) so the
 * user can copy the right value.
 */
import { TshError } from '../../shared/errors.js';
import { parseRoleArn, type RoleArn } from '../../shared/aws/roleArn.js';
import { formatTable } from '../../shared/text/table.js';

/** Chooses one ARN among `allowed` for the flag value; throws USAGE/ACCESS_DENIED with the role table. */
export function chooseAwsRole(allowed: string[], flag: string | undefined, app: string, warn: (m: string) => void = () => {}): string {
  const roles: RoleArn[] = [];
  for (const arn of allowed) {
    const r = parseRoleArn(arn);
    if (r) roles.push(r);
    else warn(`skipping "${arn}": not a valid IAM role ARN (check the aws_role_arns trait)`);
  }
  if (roles.length === 0) {
    throw new TshError('ACCESS_DENIED', `your roles allow no IAM role on app "${app}"`, {
      hint: 'ask an administrator to add the role ARN to your aws_role_arns trait (`tctl users update NAME --set-aws-role-arns ARN`) or to a role',
    });
  }
  const table = (list: RoleArn[]) =>
    'Available AWS roles:\n' +
    formatTable(['Role Name', 'Role ARN'], [...list].sort((a, b) => a.displayName.toLowerCase().localeCompare(b.displayName.toLowerCase())).map((r) => [r.displayName, r.arn]));
  if (!flag) {
    if (roles.length === 1) return roles[0].arn;
    throw new TshError('USAGE', '--aws-role flag is required', { details: table(roles), hint: `pick one of the roles above: tsh apps login --aws-role NAME ${app}` });
  }
  if (flag.startsWith('arn:')) {
    const hit = roles.find((r) => r.arn === flag);
    if (hit) return hit.arn;
    throw new TshError('ACCESS_DENIED', `failed to find the "${flag}" role ARN`, { details: table(roles), hint: 'use one of the ARNs above' });
  }
  const matches = roles.filter((r) => r.displayName === flag || r.name === flag);
  if (matches.length === 1) return matches[0].arn;
  if (matches.length > 1) {
    throw new TshError('USAGE', `provided role name "${flag}" is ambiguous, please specify full role ARN`, { details: table(matches), hint: `e.g. tsh apps login --aws-role ${matches[0].arn} ${app}` });
  }
  throw new TshError('ACCESS_DENIED', `failed to find the "${flag}" role name`, { details: table(roles), hint: 'use one of the role names above' });
}
