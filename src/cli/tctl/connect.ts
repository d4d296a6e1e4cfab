/**
 * How tctl reaches the cluster, the two ways the seed guide describes:
 *
 *   on the auth host:   tctl -c teleport.yaml ...   -> the local admin identity in <data_dir>/admin/
 *                                                     over mTLS to auth_service.listen_addr
 *   on a workstation:   tsh login; tctl ...         -> the user's login certificate to the proxy;
 *                                                     the user's roles decide what is allowed
 */
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { TshError } from '../../shared/errors.js';
import { ApiClient } from '../../shared/http/apiClient.js';
import { readTeleportConfig, withDefaults } from '../../cluster/config/teleportConfig.js';
import { adminIdentityPaths } from '../../cluster/auth/authService.js';
import type { ProcessInfo } from '../../cluster/teleportProcess.js';
import { openClusterSession } from '../../client/clusterSession.js';
import { clientEnv } from '../../client/clientEnv.js';
import type { CliContext } from '../cliContext.js';
import { debug, warn } from '../output.js';

/** An API client for tctl, and who it acts as. */
export interface TctlConnection {
  api: ApiClient;
  /** "admin" or the logged-in user. */
  actor: string;
  close(): void;
}

const DEFAULT_CONFIG = '/etc/teleport.yaml';

/** Opens the connection tctl's flags ask for. */
export async function connect(ctx: CliContext, cmd: Command): Promise<TctlConnection> {
  const o = cmd.optsWithGlobals() as { config?: string; insecure?: boolean; proxy?: string; user?: string };
  const configPath = o.config ?? ctx.env.TELEPORT_CONFIG_FILE;
  if (configPath) return connectAsAdmin(configPath);
  const ce = clientEnv({ proxy: o.proxy, insecure: o.insecure }, ctx.env, (m) => warn(ctx, m), (m) => debug(ctx, m));
  try {
    const session = await openClusterSession(ce);
    return { api: session.api, actor: session.profile.username, close: () => session.close() };
  } catch (err) {
    if (err instanceof TshError && err.code === 'NOT_LOGGED_IN' && existsSync(DEFAULT_CONFIG)) return connectAsAdmin(DEFAULT_CONFIG);
    if (err instanceof TshError && err.code === 'NOT_LOGGED_IN') {
      throw new TshError('NOT_LOGGED_IN', 'tctl has no identity to use', { hint: 'on the auth host run `tctl -c /path/to/teleport.yaml ...`; on a workstation log in first with `tsh login`' });
    }
    throw err;
  }
}

async function connectAsAdmin(configPath: string): Promise<TctlConnection> {
  const config = withDefaults(await readTeleportConfig(configPath));
  if (!config.auth.enabled) throw new TshError('CONFIG', `${configPath} does not run an auth service`, { hint: 'use -c on the host that runs auth_service, or log in with tsh on a workstation' });
  const ids = adminIdentityPaths(config.dataDir);
  let key: string, cert: string, ca: string;
  try {
    [key, cert, ca] = await Promise.all([readFile(ids.key, 'utf8'), readFile(ids.cert, 'utf8'), readFile(ids.ca, 'utf8')]);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new TshError('CONFIG', code === 'EACCES' ? `no permission to read the admin identity in ${config.dataDir}` : `no admin identity in ${config.dataDir}`, {
      hint: code === 'EACCES' ? 'run tctl as the user that runs teleport (often root)' : 'start the cluster once with `teleport start -c ' + configPath + '` on this host',
    });
  }
  let addr = config.auth.listenAddr.replace(/^0\.0\.0\.0:/, '127.0.0.1:').replace(/^\[::\]:/, '127.0.0.1:');
  try {
    const info = JSON.parse(await readFile(join(config.dataDir, 'process.json'), 'utf8')) as ProcessInfo;
    if (info.auth_addr) addr = info.auth_addr;
  } catch {
    // not running or never started: use the configured address
  }
  const api = new ApiClient({ addr, key, cert, ca: [ca], servername: 'localhost' });
  return { api, actor: 'admin', close: () => api.close() };
}
