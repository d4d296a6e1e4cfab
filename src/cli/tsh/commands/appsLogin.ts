import type { Command } from 'commander';
import type { CliContext } from '../../cliContext.js';
import { envFor } from '../env.js';
import { openClusterSession } from '../../../client/clusterSession.js';
import { appLogin } from '../../../client/apps/appLogin.js';
import { appConfig, appConfigFields } from '../../../client/apps/appConfig.js';
import { printData, type Format } from '../../output.js';
import { style } from '../../style.js';

/** tsh apps login [--aws-role NAME|ARN] [-f text|json|yaml] APP; json and yaml print what `tsh apps config -f json` does. */
export default async function (ctx: CliContext, cmd: Command, app: string): Promise<void> {
  const ce = envFor(ctx, cmd);
  const o = cmd.opts() as { awsRole?: string; ttl?: number; quiet?: boolean; format: Format };
  const session = await openClusterSession(ce);
  try {
    const { app: listing, login } = await appLogin(ce, session, { app, awsRole: o.awsRole, ttlMinutes: o.ttl });
    if (o.format !== 'text') {
      const config = await appConfig(ce.home, session.profile, session.store, listing.name, { insecure: ce.insecure });
      return printData(ctx, o.format, appConfigFields(config), () => '');
    }
    if (o.quiet) return;
    const s = style(ctx);
    if (listing.aws) {
      ctx.stdout.write(
        `Logged into AWS app ${listing.name}. Example AWS CLI command:\n\n` +
          `  ${s.bold('tsh aws s3 ls')}\n\n` +
          `Your IAM role:\n  ${login.awsRoleArn}\n\n` +
          `Or start a local proxy for any AWS SDK:\n  tsh proxy aws --app ${listing.name}\n`,
      );
    } else {
      ctx.stdout.write(`Logged into app ${listing.name}. See its settings with:\n\n  tsh apps config ${listing.name}\n`);
    }
  } finally {
    session.close();
  }
}
