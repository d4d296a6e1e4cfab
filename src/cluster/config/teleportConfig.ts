/**
 * teleport.yaml: the one config object every cluster service is built from.
 *
 * `readTeleportConfig` turns the file (the seed guide's `version: v3` shape)
 * into a {@link TeleportConfigInput}; `withDefaults` is the single place
 * where defaults are filled in and cross-field rules are checked, so a
 * config built in code (tests, the demo) and one read from a file behave the
 * same.
 */
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { TshError } from '../../shared/errors.js';
import { readYamlDocuments } from '../../shared/yaml/readYamlDocuments.js';
import { validate, type Schema } from '../../shared/yaml/schema.js';
import { parseHostPort } from '../../shared/net/hostPort.js';
import { isAwsConsoleUri } from '../../shared/aws/endpoints.js';
import type { PoolSettings, StorageConfig } from '../storage/openBackend.js';
import { parseDuration } from '../../shared/duration.js';
import type { AppSpec } from '../../shared/api/types.js';
import { logFormats, parseSeverity, type LogConfig } from '../logger.js';

/** One app served by an app service (what it announces: the same shape). */
export type AppConfig = AppSpec;

/** A config before defaults: what a file or a caller said. */
export interface TeleportConfigInput {
  nodeName?: string;
  dataDir?: string;
  /** Join token value or the path of a file holding it (`join_params.token_name`). */
  joinToken?: string;
  /** Proxy (or auth) address an agent joins through. */
  proxyServer?: string;
  caPins?: string[];
  storage?: Partial<Omit<StorageConfig, 'pool'>> & { pool?: Partial<PoolSettings> };
  auth?: { enabled?: boolean; clusterName?: string; listenAddr?: string; secondFactor?: 'off' | 'otp' };
  proxy?: { enabled?: boolean; webListenAddr?: string; publicAddrs?: string[]; httpsKeyPairs?: Array<{ keyFile: string; certFile: string }> };
  ssh?: { enabled?: boolean };
  app?: { enabled?: boolean; apps?: AppConfig[] };
  /** Skip verifying the proxy's certificate when joining (`--insecure`). */
  insecure?: boolean;
  /** `teleport.diag_addr` (`--diag-addr`): where /healthz, /readyz and /metrics are served; none by default. */
  diagAddr?: string;
  /** `teleport.log` (`--log-format`, `--debug`). */
  log?: Partial<LogConfig>;
  /** Where the config came from, for messages. */
  source?: string;
}

/** A checked config with every default filled in. */
export interface TeleportConfig {
  nodeName: string;
  dataDir: string;
  joinToken?: string;
  proxyServer?: string;
  caPins: string[];
  storage: StorageConfig;
  auth: { enabled: boolean; clusterName: string; listenAddr: string; secondFactor: 'off' | 'otp' };
  proxy: { enabled: boolean; webListenAddr: string; publicAddrs: string[]; httpsKeyPairs: Array<{ keyFile: string; certFile: string }> };
  ssh: { enabled: boolean };
  app: { enabled: boolean; apps: AppConfig[] };
  insecure: boolean;
  diagAddr?: string;
  log: LogConfig;
  source: string;
  /** Things worth telling the operator at start-up that do not stop it. */
  warnings: string[];
}

/** Defaults, kept together so they can be documented and tested in one place. */
export const DEFAULTS = {
  dataDir: '/var/lib/teleport',
  authListenAddr: '0.0.0.0:3025',
  webListenAddr: '0.0.0.0:3080',
  secondFactor: 'otp' as const,
  /** PostgreSQL's pool (teleport.storage): connections at most, and how long to wait for one, for a statement, and before closing an idle one. */
  postgresPool: { maxConnections: 10, connectTimeoutMs: 5_000, queryTimeoutMs: 10_000, idleTimeoutMs: 30_000 },
};

const str: Schema = { type: 'string' };
const bool: Schema = { type: 'bool' };
const addr: Schema = { type: 'string', pattern: /^(\[[0-9a-fA-F:.]+\]|[^\s:]+)(:\d{1,5})?$/, hint: 'write it as host:port' };

const appSchema: Schema = {
  type: 'map',
  required: ['name', 'uri'],
  fields: {
    name: { type: 'string', pattern: /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, hint: 'app names are lower-case letters, digits and dashes (they become a DNS label)' },
    uri: str,
    description: str,
    public_addr: str,
    labels: { type: 'dict', of: str },
    insecure_skip_verify: bool,
    aws: { type: 'map', fields: { external_id: str } },
  },
};

/** A duration such as `5s`, `500ms` or `1m`. */
const duration: Schema = { type: 'string', pattern: /^(\d+(\.\d+)?(ms|s|m|h))+$/, hint: 'write a duration such as 500ms, 5s or 1m30s' };
/** A checked duration in ms, or undefined when absent. */
const ms = (v: string | undefined, what: string) => (v === undefined ? undefined : parseDuration(v, what));

const serviceEnabled: Schema = { type: 'map', fields: { enabled: bool } };

/** `teleport.log.format`: `json`, or Teleport's map `{ output: json, extra_fields: [...] }` (the fields are always level, component and timestamp). */
const logFormatSchema: Schema = { type: 'enum', values: [...logFormats] };
const logFormatMapSchema: Schema = {
  type: 'map',
  fields: { output: logFormatSchema, extra_fields: { type: 'list', of: { type: 'enum', values: ['level', 'component', 'caller', 'timestamp'] } } },
};

/** The teleport.yaml keys we understand; anything else is an error. */
export const teleportYamlSchema: Schema = {
  type: 'map',
  fields: {
    version: { type: 'enum', values: ['v1', 'v2', 'v3'] },
    teleport: {
      type: 'map',
      fields: {
        nodename: str,
        data_dir: str,
        join_params: { type: 'map', fields: { token_name: str, method: { type: 'enum', values: ['token'] } } },
        auth_token: str,
        proxy_server: addr,
        auth_server: addr,
        auth_servers: { type: 'list', of: addr },
        ca_pin: { type: 'list', of: { type: 'string', pattern: /^sha256:[0-9a-f]{64}$/, hint: 'copy the "CA pin" line of `tctl status`' }, orSingle: true },
        storage: {
          type: 'map',
          fields: {
            type: { type: 'enum', values: ['sqlite', 'dir', 'postgresql', 'postgres'] },
            path: str,
            conn_string: str,
            pool_max_conns: { type: 'int' },
            conn_timeout: duration,
            query_timeout: duration,
            idle_timeout: duration,
          },
        },
        diag_addr: addr,
        // severity and format are checked in parseTeleportConfig: severity in any case, format as a word or a map.
        log: { type: 'map', fields: { output: str, severity: str, format: { type: 'any' } } },
      },
    },
    auth_service: {
      type: 'map',
      fields: {
        enabled: bool,
        cluster_name: str,
        listen_addr: addr,
        authentication: {
          type: 'map',
          fields: { type: { type: 'enum', values: ['local'] }, second_factor: { type: 'enum', values: ['off', 'otp'] } },
        },
      },
    },
    proxy_service: {
      type: 'map',
      fields: {
        enabled: bool,
        web_listen_addr: addr,
        public_addr: { type: 'list', of: addr, orSingle: true },
        https_keypairs: { type: 'list', of: { type: 'map', required: ['key_file', 'cert_file'], fields: { key_file: str, cert_file: str } } },
      },
    },
    ssh_service: serviceEnabled,
    app_service: { type: 'map', fields: { enabled: bool, apps: { type: 'list', of: appSchema } } },
  },
};

/** Reads and checks a teleport.yaml file. Every problem is a CONFIG error naming the file, line and key. */
export async function readTeleportConfig(file: string): Promise<TeleportConfigInput> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new TshError('CONFIG', `cannot read config file ${file}: ${(cause as NodeJS.ErrnoException).code ?? cause}`, {
      hint: 'pass the path of your teleport.yaml with -c',
    });
  }
  return parseTeleportConfig(text, file);
}

/** Parses teleport.yaml text (see {@link readTeleportConfig}). */
export function parseTeleportConfig(text: string, file: string): TeleportConfigInput {
  const docs = readYamlDocuments(text, file, 'CONFIG');
  if (docs.length !== 1) throw new TshError('CONFIG', `${file}: expected one YAML document, found ${docs.length}`);
  const origin = { file, doc: docs[0], code: 'CONFIG' as const };
  const y = validate(docs[0].value, teleportYamlSchema, origin) as any;
  const t = y.teleport ?? {};
  const severity = t.log?.severity === undefined ? undefined : parseSeverity(t.log.severity);
  if (t.log?.severity !== undefined && !severity) validate(t.log.severity, { type: 'enum', values: ['debug', 'info', 'warn', 'error'] }, origin, ['teleport', 'log', 'severity']);
  const formatPath = ['teleport', 'log', 'format'];
  const format = t.log?.format === undefined ? undefined
    : typeof t.log.format === 'string' ? validate(t.log.format, logFormatSchema, origin, formatPath)
    : (validate(t.log.format, logFormatMapSchema, origin, formatPath) as { output?: string }).output;
  const storageType = t.storage?.type === 'postgresql' || t.storage?.type === 'postgres' ? 'postgres' : t.storage?.type ? 'sqlite' : undefined;
  return {
    source: file,
    nodeName: t.nodename,
    dataDir: t.data_dir,
    joinToken: t.join_params?.token_name ?? t.auth_token,
    proxyServer: t.proxy_server ?? t.auth_server ?? t.auth_servers?.[0],
    caPins: t.ca_pin,
    diagAddr: t.diag_addr,
    log: t.log && { output: t.log.output, severity, format: format as LogConfig['format'] | undefined },
    storage: storageType
      ? {
          type: storageType,
          path: t.storage?.path,
          connectionString: t.storage?.conn_string,
          pool: {
            maxConnections: t.storage?.pool_max_conns,
            connectTimeoutMs: ms(t.storage?.conn_timeout, 'teleport.storage.conn_timeout'),
            queryTimeoutMs: ms(t.storage?.query_timeout, 'teleport.storage.query_timeout'),
            idleTimeoutMs: ms(t.storage?.idle_timeout, 'teleport.storage.idle_timeout'),
          },
        }
      : undefined,
    auth: y.auth_service && {
      enabled: y.auth_service.enabled,
      clusterName: y.auth_service.cluster_name,
      listenAddr: y.auth_service.listen_addr,
      secondFactor: y.auth_service.authentication?.second_factor,
    },
    proxy: y.proxy_service && {
      enabled: y.proxy_service.enabled,
      webListenAddr: y.proxy_service.web_listen_addr,
      publicAddrs: y.proxy_service.public_addr,
      httpsKeyPairs: y.proxy_service.https_keypairs?.map((k: any) => ({ keyFile: k.key_file, certFile: k.cert_file })),
    },
    ssh: y.ssh_service && { enabled: y.ssh_service.enabled },
    app: y.app_service && {
      enabled: y.app_service.enabled,
      apps: y.app_service.apps?.map((a: any) => ({
        name: a.name,
        uri: a.uri,
        description: a.description,
        labels: a.labels ?? {},
        publicAddr: a.public_addr,
        awsExternalId: a.aws?.external_id,
      })),
    },
  };
}

/**
 * Fills in defaults and checks the rules that span fields. Services are
 * enabled by default as in Teleport (auth and proxy on; app on when apps are
 * listed). There is no SSH service: asking for one gives a warning.
 */
export function withDefaults(input: TeleportConfigInput): TeleportConfig {
  const source = input.source ?? 'config';
  const fail = (message: string, hint?: string): never => {
    throw new TshError('CONFIG', `${source}: ${message}`, { hint });
  };
  const authEnabled = input.auth?.enabled ?? true;
  const proxyEnabled = input.proxy?.enabled ?? true;
  const appEnabled = input.app?.enabled ?? (input.app?.apps?.length ? true : false);
  const sshEnabled = input.ssh?.enabled ?? false;
  const warnings: string[] = [];
  if (sshEnabled) warnings.push(`${source}: ssh_service is not part of tsh-aws and is ignored; set "enabled: off" to silence this`);
  if (!authEnabled && !proxyEnabled && !appEnabled) fail('no service is enabled', 'enable auth_service, proxy_service or app_service');
  if (appEnabled && !input.app?.apps?.length) fail('app_service is enabled but lists no apps', 'add at least one entry under app_service.apps');
  if (appEnabled && !authEnabled && !input.proxyServer) {
    fail('app_service needs teleport.proxy_server to join the cluster', 'set teleport.proxy_server to the proxy address, e.g. proxy.example.com:3080');
  }
  if (appEnabled && !authEnabled && !input.joinToken) {
    fail('app_service needs a join token', 'set teleport.join_params.token_name to the token from `tctl tokens add --type=app` (or a file holding it)');
  }
  const names = new Set<string>();
  for (const app of input.app?.apps ?? []) {
    if (names.has(app.name)) fail(`app "${app.name}" is listed twice`);
    names.add(app.name);
    try {
      const u = new URL(app.uri);
      if (!/^https?:$/.test(u.protocol)) throw new Error();
    } catch {
      fail(`app "${app.name}" has an invalid uri "${app.uri}"`, 'use an http(s) URL, e.g. https://console.aws.amazon.com/home/home');
    }
  }
  if (input.diagAddr) parseHostPort(input.diagAddr, 3000, 'diag_addr');
  const publicAddrs = input.proxy?.publicAddrs ?? [];
  for (const a of publicAddrs) parseHostPort(a, 3080, 'proxy_service.public_addr');
  const dataDir = resolve(input.dataDir ?? DEFAULTS.dataDir);
  const firstPublicHost = publicAddrs[0] ? parseHostPort(publicAddrs[0], 3080).host : undefined;
  const pool = input.storage?.pool ?? {};
  const storage: StorageConfig = {
    type: input.storage?.type ?? 'sqlite',
    path: input.storage?.path,
    connectionString: input.storage?.connectionString,
    pool: {
      maxConnections: pool.maxConnections ?? DEFAULTS.postgresPool.maxConnections,
      connectTimeoutMs: pool.connectTimeoutMs ?? DEFAULTS.postgresPool.connectTimeoutMs,
      queryTimeoutMs: pool.queryTimeoutMs ?? DEFAULTS.postgresPool.queryTimeoutMs,
      idleTimeoutMs: pool.idleTimeoutMs ?? DEFAULTS.postgresPool.idleTimeoutMs,
    },
  };
  for (const [name, v] of [['pool_max_conns', storage.pool.maxConnections], ['conn_timeout', storage.pool.connectTimeoutMs], ['query_timeout', storage.pool.queryTimeoutMs], ['idle_timeout', storage.pool.idleTimeoutMs]] as const) {
    if (!(v > 0)) fail(`teleport.storage.${name} must be more than zero`);
  }
  if (storage.type === 'postgres' && !storage.connectionString) fail('teleport.storage.type is postgresql but conn_string is missing', 'e.g. conn_string: postgresql://teleport@db.example.com:5432/teleport');
  return {
    source,
    nodeName: input.nodeName ?? hostname(),
    dataDir,
    joinToken: input.joinToken,
    proxyServer: input.proxyServer,
    caPins: input.caPins ?? [],
    storage,
    auth: {
      enabled: authEnabled,
      clusterName: input.auth?.clusterName ?? firstPublicHost ?? hostname(),
      listenAddr: input.auth?.listenAddr ?? DEFAULTS.authListenAddr,
      secondFactor: input.auth?.secondFactor ?? DEFAULTS.secondFactor,
    },
    proxy: {
      enabled: proxyEnabled,
      webListenAddr: input.proxy?.webListenAddr ?? DEFAULTS.webListenAddr,
      publicAddrs,
      httpsKeyPairs: input.proxy?.httpsKeyPairs ?? [],
    },
    ssh: { enabled: false },
    app: { enabled: appEnabled, apps: (input.app?.apps ?? []).map((a) => ({ ...a, labels: a.labels ?? {} })) },
    insecure: input.insecure ?? false,
    diagAddr: input.diagAddr,
    log: { format: input.log?.format ?? 'text', severity: input.log?.severity ?? 'info', output: input.log?.output ?? 'stderr' },
    warnings,
  };
}

/** True when an app's URI is an AWS console (commercial, GovCloud or China), so it serves AWS API access. */
export function isAwsApp(app: Pick<AppConfig, 'uri'>): boolean {
  return isAwsConsoleUri(app.uri);
}
