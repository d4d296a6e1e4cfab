import type { Command } from 'commander';
import type { CliContext } from '../../cliContext.js';
import { runServices, type ServiceFlags } from '../runServices.js';

/** teleport app start --token --auth-server --name --uri: an app service configured by flags. */
export default async function (ctx: CliContext, cmd: Command): Promise<number> {
  const o = cmd.opts() as ServiceFlags & { token: string; authServer: string; name: string; uri: string; caPin?: string; labels?: Record<string, string>; dataDir: string };
  return runServices(
    ctx,
    {
      source: 'flags',
      dataDir: o.dataDir,
      joinToken: o.token,
      proxyServer: o.authServer,
      caPins: o.caPin ? [o.caPin] : undefined,
      auth: { enabled: false },
      proxy: { enabled: false },
      app: { enabled: true, apps: [{ name: o.name, uri: o.uri, labels: o.labels ?? {} }] },
    },
    o,
  );
}
