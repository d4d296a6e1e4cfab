/**
 * `teleport configure`: a teleport.yaml for one host's roles, the way the
 * guide writes them (the seed's app service config for `--roles app`).
 *
 *   --roles auth,proxy   the cluster: auth and proxy in one process (proxy needs auth beside it)
 *   --roles app          an app service joining with --token through --proxy (--ca-pin to verify it)
 *   --roles auth,proxy,app   all in one process (a single-host setup)
 *
 * The text is checked by the same parser and rules as `teleport start -c`
 * before it is returned, so what configure prints always starts.
 */
import { TshError } from '../../shared/errors.js';
import { parseTeleportConfig, withDefaults, DEFAULTS } from './teleportConfig.js';
import type { LogFormat } from '../logger.js';

export const configureRoles = ['auth', 'proxy', 'app'] as const;
export type ConfigureRole = (typeof configureRoles)[number];

/** The flags of `teleport configure`. */
export interface ConfigureOptions {
  roles: string[];
  dataDir?: string;
  /** auth: the cluster's name (default: the proxy's public host). */
  clusterName?: string;
  /** proxy: host:port users and agents dial. */
  publicAddr?: string;
  webListenAddr?: string;
  authListenAddr?: string;
  /** proxy: a TLS certificate and key (both or neither); without them the certificate is self-signed. */
  certFile?: string;
  keyFile?: string;
  secondFactor?: 'otp' | 'off';
  /** app: the join token from `tctl tokens add --type=app`, or a file holding it. */
  token?: string;
  /** app: the proxy to join through. */
  proxy?: string;
  caPin?: string;
  appName?: string;
  appUri?: string;
  labels?: Record<string, string>;
  diagAddr?: string;
  logFormat?: LogFormat;
}

const q = (s: string) => JSON.stringify(s);

/** The teleport.yaml text for the options (see the module comment); USAGE errors name the missing or wrong flag. */
export function configureYaml(o: ConfigureOptions): string {
  const roles = new Set<ConfigureRole>();
  for (const r of o.roles) {
    if (!(configureRoles as readonly string[]).includes(r)) throw new TshError('USAGE', `unknown role "${r}" in --roles`, { hint: 'use --roles auth,proxy (the cluster), --roles app (an app service) or --roles auth,proxy,app' });
    roles.add(r as ConfigureRole);
  }
  if (roles.size === 0) throw new TshError('USAGE', '--roles names no role', { hint: 'use --roles auth,proxy or --roles app' });
  if (roles.has('proxy') && !roles.has('auth')) throw new TshError('USAGE', 'the proxy runs in the auth service\'s process here: --roles proxy needs auth too', { hint: 'use --roles auth,proxy' });
  const joining = roles.has('app') && !roles.has('auth');
  const need = (flag: string, value: string | undefined, why: string): string => {
    if (!value) throw new TshError('USAGE', `${flag} is required ${why}`, { hint: 'copy the values `tctl tokens add --type=app` prints' });
    return value;
  };
  if (roles.has('app')) {
    need('--app-name', o.appName, 'for --roles app');
    need('--app-uri', o.appUri, 'for --roles app');
  }
  if (joining) {
    need('--token', o.token, 'for an app service joining a cluster');
    need('--proxy', o.proxy, 'for an app service joining a cluster');
  }
  if (Boolean(o.certFile) !== Boolean(o.keyFile)) throw new TshError('USAGE', '--cert-file and --key-file go together', { hint: 'pass both, or neither for a self-signed certificate' });

  const lines: string[] = [`# teleport.yaml for ${[...roles].join(', ')}, written by \`teleport configure\`.`, '# Start with: teleport start -c <this file>', 'version: v3', 'teleport:', `  data_dir: ${q(o.dataDir ?? DEFAULTS.dataDir)}`];
  if (joining) {
    lines.push('  join_params:', `    token_name: ${q(o.token!)}`, '    method: token', `  proxy_server: ${q(o.proxy!)}`);
    if (o.caPin) lines.push(`  ca_pin: ${q(o.caPin)}`);
  }
  if (o.diagAddr) lines.push(`  diag_addr: ${q(o.diagAddr)}`);
  lines.push('  log:', '    output: stderr', '    severity: INFO', '    format:', `      output: ${o.logFormat ?? 'text'}`);
  lines.push('auth_service:');
  if (roles.has('auth')) {
    lines.push('  enabled: yes');
    if (o.clusterName) lines.push(`  cluster_name: ${q(o.clusterName)}`);
    lines.push(`  listen_addr: ${q(o.authListenAddr ?? DEFAULTS.authListenAddr)}`, '  authentication:', '    type: local', `    second_factor: ${o.secondFactor ?? DEFAULTS.secondFactor}`);
  } else lines.push('  enabled: off');
  lines.push('proxy_service:');
  if (roles.has('proxy')) {
    lines.push('  enabled: yes', `  web_listen_addr: ${q(o.webListenAddr ?? DEFAULTS.webListenAddr)}`);
    if (o.publicAddr) lines.push(`  public_addr: ${q(o.publicAddr)}`);
    if (o.certFile) lines.push('  https_keypairs:', `  - key_file: ${q(o.keyFile!)}`, `    cert_file: ${q(o.certFile)}`);
  } else lines.push('  enabled: off');
  lines.push('ssh_service:', '  enabled: off');
  if (roles.has('app')) {
    lines.push('app_service:', '  enabled: true', '  apps:', `  - name: ${q(o.appName!)}`, `    uri: ${q(o.appUri!)}`);
    const labels = Object.entries(o.labels ?? {});
    if (labels.length) lines.push('    labels:', ...labels.map(([k, v]) => `      ${q(k)}: ${q(v)}`));
  }
  const text = lines.join('\n') + '\n';
  // The same checks as `teleport start -c`, so a wrong value is refused here, naming it.
  try {
    withDefaults(parseTeleportConfig(text, 'generated'));
  } catch (err) {
    if (!(err instanceof TshError)) throw err;
    throw new TshError('USAGE', `these flags make a config that would not start: ${err.message.replace(/^generated(:\d+)?: /, '')}`, { hint: err.hint });
  }
  return text;
}
