import type { Command } from 'commander';
import type { CliContext } from '../../cliContext.js';
import { startSandbox } from '../../../sandbox/index.js';
import { formatVariable, type ProxyFormat } from '../../../client/aws/announceProxy.js';
import { say } from '../../output.js';

/** The guide's IAM role and a table to look at, so the by-hand guide works as written. */
const GUIDE_ROLE = 'ExampleTeleportDynamoDBRole';
const GUIDE_TABLE = { name: 'my-dynamodb-table', items: [{ id: 'order-1', total: 42 }, { id: 'order-2', total: 7 }] };

/**
 * teleport sandbox [--port P] [--role NAME]... [-f FORMAT]: a local AWS (the
 * one the tests and the demo use) in the foreground, until Ctrl-C. It prints
 * what an app service needs to use it as its AWS: the operator's keys and the
 * SDKs' endpoint variables, in the shell syntax `-f` asks for (as
 * `tsh proxy aws` prints its settings; `json` for scripts).
 */
export default async function (ctx: CliContext, cmd: Command): Promise<number> {
  const o = cmd.opts() as { port?: number; role?: string[]; format: ProxyFormat };
  const sandbox = await startSandbox({ port: o.port, roles: (o.role ?? [GUIDE_ROLE]).map((name) => ({ name })), tables: [GUIDE_TABLE] });
  try {
    const roleArns = (o.role ?? [GUIDE_ROLE]).map((name) => `arn:aws:iam::${sandbox.accountId}:role/${name}`);
    const env: Record<string, string> = {
      AWS_ACCESS_KEY_ID: sandbox.baseCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: sandbox.baseCredentials.secretAccessKey,
      AWS_REGION: 'us-east-1',
      ...sandbox.endpointEnv(),
    };
    const signalled = new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
    if (o.format === 'json') {
      ctx.stdout.write(JSON.stringify({ ...env, account_id: sandbox.accountId, role_arns: roleArns, tables: [GUIDE_TABLE.name] }, null, 2) + '\n');
      say(ctx, 'Local AWS sandbox is running; press Ctrl-C to stop.');
    } else {
      const shell = o.format;
      ctx.stdout.write(
        `Local AWS sandbox for account ${sandbox.accountId} is running (STS, DynamoDB, the console's sign-in endpoint and S3 on 127.0.0.1).\n` +
          `IAM roles (trusting the account): ${roleArns.join(', ')}\n` +
          `DynamoDB table: ${GUIDE_TABLE.name}\n\n` +
          'Start the app service with this environment (the operator\'s AWS keys and the SDKs\' endpoint variables):\n' +
          Object.entries(env).map(([k, v]) => `  ${formatVariable(shell, k, v)}\n`).join('') +
          '\nPress Ctrl-C to stop.\n',
      );
    }
    await signalled;
  } finally {
    await sandbox.close();
  }
  return 0;
}
