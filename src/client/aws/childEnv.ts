/**
 * The environment `tsh aws` gives the aws CLI (or the --exec program).
 *
 * It is tsh's own environment, so the user's region, config file, pager and
 * PATH still apply, with the local proxy's settings on top and whatever
 * would send the client around the proxy, or make it sign with other keys,
 * taken out:
 *
 *   set:     AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (fake), AWS_CA_BUNDLE (local CA),
 *            HTTPS_PROXY + https_proxy (proxy mode),
 *            AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true (an endpoint_url in ~/.aws/config
 *            would bypass the proxy; honoured by aws CLI >= 2.13, boto3 >= 1.28, JS SDK v3),
 *            AWS_ENDPOINT_URL (endpoint mode with --exec: SDKs read it)
 *   removed: AWS_SESSION_TOKEN, AWS_SECURITY_TOKEN (a token would be sent with fake keys),
 *            AWS_PROFILE, AWS_DEFAULT_PROFILE (a named profile outranks the key variables),
 *            AWS_ACCESS_KEY / AWS_SECRET_KEY (older SDKs' names), AWS_CREDENTIAL_EXPIRATION,
 *            AWS_ACCOUNT_ID (it belongs to the replaced keys and changes DynamoDB's host),
 *            AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_* (they would skip the proxy)
 *   NO_PROXY / no_proxy: entries that would cover AWS hosts (`*`, `.amazonaws.com`, ...)
 *            are dropped, and loopback is added so the endpoint URL is reached directly.
 */

/** The variables this module removes from the child's environment. */
export const REMOVED_VARIABLES = [
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_ACCESS_KEY',
  'AWS_SECRET_KEY',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_ACCOUNT_ID',
];

const awsSuffixes = ['amazonaws.com', 'amazonaws.com.cn', 'api.aws'];
const loopbackNames = ['127.0.0.1', 'localhost', '::1'];

/** What the child is pointed at. */
export interface ChildProxySettings {
  mode: 'proxy' | 'endpoint';
  /** HTTPS_PROXY value or endpoint URL. */
  url: string;
  /** AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_CA_BUNDLE (and HTTPS_PROXY in proxy mode). */
  settings: Record<string, string>;
}

/**
 * Builds the child's environment from `base` (tsh's own). `awsCli` is true
 * when the child is the aws CLI, which gets the endpoint as a flag instead of
 * AWS_ENDPOINT_URL in endpoint mode.
 */
export function awsChildEnv(base: NodeJS.ProcessEnv, proxy: ChildProxySettings, opts: { awsCli: boolean }): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const name of REMOVED_VARIABLES) delete env[name];
  for (const name of Object.keys(env)) {
    if (name === 'AWS_ENDPOINT_URL' || name.startsWith('AWS_ENDPOINT_URL_')) delete env[name];
  }
  Object.assign(env, proxy.settings);
  if (proxy.mode === 'proxy') {
    env.HTTPS_PROXY = proxy.url;
    env.https_proxy = proxy.url;
    env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS = 'true';
  } else if (opts.awsCli) {
    env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS = 'true';
  } else {
    env.AWS_ENDPOINT_URL = proxy.url;
    delete env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS;
  }
  const noProxy = fixNoProxy(base.NO_PROXY ?? base.no_proxy ?? '');
  env.NO_PROXY = noProxy;
  env.no_proxy = noProxy;
  return env;
}

/** A NO_PROXY list without entries that cover AWS hosts, with loopback added. */
export function fixNoProxy(list: string): string {
  const kept = list
    .split(/[\s,]+/)
    .map((e) => e.trim())
    .filter((e) => e !== '' && !coversAwsHosts(e));
  for (const name of loopbackNames) if (!kept.includes(name)) kept.push(name);
  return kept.join(',');
}

function coversAwsHosts(entry: string): boolean {
  let e = entry.toLowerCase().replace(/:\d+$/, '');
  if (e === '*') return true;
  e = e.replace(/^\*?\./, '');
  return awsSuffixes.some((sfx) => e === sfx || e.endsWith(`.${sfx}`) || sfx.endsWith(`.${e}`));
}
