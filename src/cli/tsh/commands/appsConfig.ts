import type { Command } from 'commander';
import type { CliContext } from '../../cliContext.js';
import { envFor } from '../env.js';
import { selectProfile } from '../../../client/clusterSession.js';
import { openSecretStore } from '../../../client/keystore/openSecretStore.js';
import { appConfig } from '../../../client/apps/appConfig.js';
import { printData } from '../../output.js';
import { formatTable } from '../../../shared/text/table.js';

/** tsh apps config [APP] [-f text|uri|ca|cert|key|json|yaml]. */
export default async function (ctx: CliContext, cmd: Command, app?: string): Promise<void> {
  const ce = envFor(ctx, cmd);
  const format = (cmd.opts() as { format: string }).format;
  const profile = await selectProfile(ce);
  const { store } = await openSecretStore({ home: ce.home, prefer: profile.secretStore });
  const c = await appConfig(ce.home, profile, store, app);
  const line = (v: string): void => void ctx.stdout.write(v.endsWith("\n") ? v : v + "\n");
  switch (format) {
    case 'uri':
      return line(c.uri);
    case 'ca':
      return line(c.ca);
    case 'cert':
      return line(c.cert);
    case 'key':
      return line(c.key);
    case 'json':
    case 'yaml': {
      const { key_form: _form, ...data } = c;
      return printData(ctx, format, data, () => '');
    }
    default: {
      const inKeychain = c.key_form === 'pem' ? `(in the ${store.description}; print with -f cert / -f key)` : undefined;
      const rows = [
        ['Name:', c.name],
        ['URI:', c.uri],
        ['CA:', c.ca],
        ['Cert:', inKeychain ?? c.cert],
        ['Key:', inKeychain ?? c.key],
        ...(c.aws_role_arn ? [['AWS ARN:', c.aws_role_arn]] : []),
      ];
      ctx.stdout.write(formatTable(['', ''], rows).split('\n').slice(2).join('\n'));
    }
  }
}
