import type { Command } from 'commander';
import type { CliContext } from '../../cliContext.js';
import { startTeleport } from '../../../cluster/teleportProcess.js';
import { createLogger } from '../../../cluster/logger.js';
import { TshError } from '../../../shared/errors.js';
import { runUntilSignal } from '../runUntilSignal.js';

/** teleport app start --token --auth-server --name --uri: an app service configured by flags. */
export default async function (ctx: CliContext, cmd: Command): Promise<number> {
  const o = cmd.opts() as { token: string; authServer: string; name: string; uri: string; caPin?: string; labels?: string; dataDir: string; insecure?: boolean; debug?: boolean };
  const labels: Record<string, string> = {};
  for (const pair of (o.labels ?? '').split(',').filter(Boolean)) {
    const [k, ...v] = pair.split('=');
    if (!k || v.length === 0) throw new TshError('USAGE', `invalid label "${pair}"`, { hint: 'write labels as key=value,key2=value2' });
    labels[k.trim()] = v.join('=').trim();
  }
  const log = createLogger({ debug: o.debug });
  const proc = await startTeleport(
    {
      source: 'flags',
      dataDir: o.dataDir,
      joinToken: o.token,
      proxyServer: o.authServer,
      caPins: o.caPin ? [o.caPin] : undefined,
      auth: { enabled: false },
      proxy: { enabled: false },
      app: { enabled: true, apps: [{ name: o.name, uri: o.uri, labels }] },
      insecure: o.insecure,
    },
    { log },
  );
  return runUntilSignal(proc, log);
}
