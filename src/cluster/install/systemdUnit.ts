/**
 * `teleport install systemd`: a unit that runs `teleport start` on boot,
 * restarts it when it fails, reads the AWS credentials the app service uses
 * from an environment file, and is sandboxed: no new privileges, the file
 * system read-only except the data dir (and a log file, when the config
 * names one), no access to home directories, a private /tmp.
 */
import { dirname, isAbsolute } from 'node:path';
import { TshError } from '../../shared/errors.js';

/** What the unit needs to know about the host. */
export interface SystemdUnitOptions {
  /** The command that runs teleport: the node binary and the `teleport` script, absolute paths. */
  teleport: string[];
  /** The teleport.yaml `teleport start` reads. */
  configPath: string;
  /** Where teleport keeps its state (the config's data_dir): the one place it writes. */
  dataDir: string;
  /** A log file the config writes to (teleport.log.output), also writable. */
  logFile?: string;
  /** KEY=VALUE lines for the service's environment (AWS credentials, AWS_REGION); optional. */
  envFile: string;
}

/** Defaults of `teleport install systemd`, as Teleport's. */
export const SYSTEMD_DEFAULTS = { configPath: '/etc/teleport.yaml', envFile: '/etc/default/teleport' };

/** The unit file text. Paths must be absolute (systemd requires it). */
export function systemdUnit(o: SystemdUnitOptions): string {
  for (const [what, path] of [['config', o.configPath], ['data dir', o.dataDir], ['env file', o.envFile], ['program', o.teleport[0]]] as const) {
    if (!isAbsolute(path)) throw new TshError('USAGE', `the ${what} path "${path}" is not absolute`, { hint: 'systemd needs absolute paths: pass one, e.g. /etc/teleport.yaml' });
  }
  const writable = [o.dataDir, ...(o.logFile ? [dirname(o.logFile)] : [])];
  // /home, /root and /run/user are hidden by ProtectHome=yes; a node or a package installed there
  // (nvm, a per-user npm prefix) needs them readable.
  const underHome = [...o.teleport, o.configPath, ...writable].some((p) => /^\/(home|root|run\/user)(\/|$)/.test(p));
  const stateDir = /^\/var\/lib\/([^/].*)$/.exec(o.dataDir)?.[1];
  return `# tsh-aws: the teleport service (auth, proxy and/or app service, as ${o.configPath} enables).
# Written by \`teleport install systemd\`. Install it as /etc/systemd/system/teleport.service, then:
#   systemctl daemon-reload && systemctl enable --now teleport
[Unit]
Description=tsh-aws Teleport service
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
# The app service's AWS credentials and settings (AWS_ACCESS_KEY_ID=..., AWS_SECRET_ACCESS_KEY=...,
# or AWS_PROFILE=...; AWS_REGION=...), one KEY=VALUE a line; keep the file root-owned, mode 0600.
EnvironmentFile=-${unitPath(o.envFile)}
ExecStart=${[...o.teleport, 'start', '--config', o.configPath].map(unitWord).join(' ')}
Restart=on-failure
RestartSec=5
LimitNOFILE=524288
UMask=0077
${stateDir ? `StateDirectory=${unitPath(stateDir)}\nStateDirectoryMode=0700\n` : ''}ReadWritePaths=${writable.map(unitWord).join(' ')}
NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=${underHome ? 'read-only' : 'yes'}
PrivateTmp=yes
PrivateDevices=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectClock=yes
RestrictSUIDSGID=yes
RestrictRealtime=yes
LockPersonality=yes

[Install]
WantedBy=multi-user.target
`;
}

/** A path in a unit file: `%` starts a specifier, so it is doubled. */
function unitPath(path: string): string {
  return path.replace(/%/g, '%%');
}

/** One word of a unit's command line: quoted when it holds spaces, with `%` and `$` escaped. */
function unitWord(word: string): string {
  const escaped = unitPath(word).replace(/\$/g, '$$$$');
  return /[\s"'\\]/.test(escaped) ? `"${escaped.replace(/(["\\])/g, '\\$1')}"` : escaped;
}
