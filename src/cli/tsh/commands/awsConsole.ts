import type { Command } from 'commander';
import type { CliContext } from '../../cliContext.js';
import { envFor } from '../env.js';
import { awsConsoleSignin } from '../../../client/aws/console.js';
import { openBrowser } from '../../../client/openBrowser.js';
import { parseRoleArn } from '../../../shared/aws/roleArn.js';
import { say } from '../../output.js';

/** tsh aws console [--app APP] [--aws-role NAME|ARN] [--print]: opens (or prints) an AWS console sign-in URL. */
export default async function (ctx: CliContext, cmd: Command): Promise<void> {
  const ce = envFor(ctx, cmd);
  const o = cmd.optsWithGlobals() as { app?: string; awsRole?: string; print?: boolean };
  const { url, login } = await awsConsoleSignin(ce, { app: o.app, awsRole: o.awsRole });
  if (o.print) return void ctx.stdout.write(`${url}\n`);
  const role = parseRoleArn(login.awsRoleArn)?.displayName ?? login.awsRoleArn;
  say(ctx, `Opening the AWS Management Console for app ${login.name} as ${role} in your browser (the link works once, for 15 minutes).`);
  await openBrowser(url, ctx.env);
}
