import type { Command } from 'commander';
import type { CliContext } from '../../cliContext.js';
import { envFor } from '../env.js';
import { selectProfile } from '../../../client/clusterSession.js';
import { openSecretStore } from '../../../client/keystore/openSecretStore.js';
import { appConfig, appConfigFields, type AppConfigView } from '../../../client/apps/appConfig.js';
import { printData } from '../../output.js';
import { formatTable } from '../../../shared/text/table.js';
import type { SecretStore } from '../../../client/keystore/secretStore.js';

/** tsh apps config [APP] [-f text|uri|ca|cert|key|curl|json|yaml]. */
export default async function (ctx: CliContext, cmd: Command, app?: string): Promise<void> {
  const ce = envFor(ctx, cmd);
  const format = (cmd.opts() as { format: string }).format;
  const profile = await selectProfile(ce);
  const { store } = await openSecretStore({ home: ce.home, prefer: profile.secretStore });
  const c = await appConfig(ce.home, profile, store, app, { insecure: ce.insecure });
  const line = (v: string): void => void ctx.stdout.write(v.endsWith('\n') ? v : v + '\n');
  switch (format) {
    case 'uri':
    case 'ca':
    case 'cert':
    case 'key':
    case 'curl':
      return line(c[format]);
    case 'json':
    case 'yaml':
      return printData(ctx, format, appConfigFields(c), () => '');
    default:
      ctx.stdout.write(appConfigTable(c, store));
  }
}

/** The two-column text form, without a header, as Teleport prints it. */
function appConfigTable(c: AppConfigView, store: SecretStore): string {
  const inKeychain = c.key_form === 'pem' ? `(in the ${store.description}; print with -f cert / -f key)` : undefined;
  const rows = [
    ['Name:', c.name],
    ['URI:', c.uri],
    ['CA:', c.ca],
    ['Cert:', inKeychain ?? c.cert],
    ['Key:', inKeychain ?? c.key],
    ...(c.aws_role_arn ? [['AWS ARN:', c.aws_role_arn]] : []),
  ];
  return formatTable(['', ''], rows).split('\n').slice(2).join('\n');
}
