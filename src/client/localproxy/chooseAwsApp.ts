/**
 * Which AWS app login `tsh aws` and `tsh proxy aws` use, by Teleport's rules:
 *
 *   --app NAME        -> that app, which must be a logged-in AWS app
 *   no flag, one      -> the one AWS app logged into
 *   no flag, none     -> error: log into one with `tsh apps login`
 *   no flag, several  -> error listing them: pick one with --app
 *
 * An app login is an AWS one when it chose an IAM role.
 */
import { TshError } from '../../shared/errors.js';
import type { AppLogin, Profile } from '../profile/profile.js';

/** The app login to proxy for; throws NOT_FOUND / USAGE with what to type next. */
export function chooseAwsApp(profile: Profile, app?: string): AppLogin {
  const aws = Object.values(profile.apps).filter((a) => a.awsRoleArn);
  if (app) {
    const login = profile.apps[app];
    if (!login) {
      throw new TshError('NOT_FOUND', `not logged into app "${app}"`, { hint: `log in with \`tsh apps login --aws-role ROLE ${app}\`` });
    }
    if (!login.awsRoleArn) throw new TshError('USAGE', `selected app "${app}" is not an AWS application`, { hint: 'see `tsh apps ls` for AWS apps' });
    return login;
  }
  if (aws.length === 1) return aws[0];
  if (aws.length === 0) {
    throw new TshError('NOT_FOUND', "please login to AWS app using 'tsh apps login' first", { hint: 'list apps with `tsh apps ls`, then `tsh apps login --aws-role ROLE APP`' });
  }
  const names = aws.map((a) => a.name).sort();
  throw new TshError('USAGE', `multiple AWS apps are available (${names.join(', ')}), please specify one using --app CLI argument`);
}
