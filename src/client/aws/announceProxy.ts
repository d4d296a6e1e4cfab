/**
 * What `tsh proxy aws` prints when its proxy is up: where it listens and the
 * variables a client needs, in the syntax of the user's shell (`-f`), or one
 * JSON object for scripts.
 *
 *   Started AWS proxy on http://127.0.0.1:23456.
 *   [To avoid port randomization, you can choose the listening port using the --port flag.]
 *
 *   Use the following credentials and HTTPS proxy setting to connect to the proxy:
 *     export AWS_ACCESS_KEY_ID="..."
 *     ...
 */

/** The -f values. */
export const proxyFormats = ['unix', 'text', 'command-prompt', 'powershell', 'fish', 'json'] as const;
/** One of {@link proxyFormats}: the shell syntax (or json) the settings are printed in. */
export type ProxyFormat = (typeof proxyFormats)[number];

/** The running proxy, as far as the announcement is concerned. */
export interface ProxyAnnouncementInput {
  mode: 'proxy' | 'endpoint';
  port: number;
  url: string;
  app: string;
  role: string;
  /** AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_CA_BUNDLE (+ HTTPS_PROXY in proxy mode), in print order. */
  settings: Record<string, string>;
  pid: number;
}

/**
 * The announcement: `stdout` is the data (the settings; for json, only the
 * object), `stderr` what is for the human when stdout must stay parseable.
 * `portChosen` is false when the port was picked at random (then the
 * --port hint is shown).
 */
export function announceProxy(p: ProxyAnnouncementInput, format: ProxyFormat, portChosen: boolean): { stdout: string; stderr: string } {
  const started =
    p.mode === 'endpoint' ? `Started AWS proxy which serves as an AWS endpoint URL at ${p.url}.` : `Started AWS proxy on ${p.url}.`;
  const hint = portChosen ? '' : '[To avoid port randomization, you can choose the listening port using the --port flag.]\n';
  if (format === 'json') {
    const data: Record<string, unknown> = { ...p.settings };
    if (p.mode === 'endpoint') data.endpoint_url = p.url;
    Object.assign(data, { port: p.port, app: p.app, role: p.role, pid: p.pid });
    return { stdout: JSON.stringify(data, null, 2) + '\n', stderr: `${started}\n` };
  }
  const intro =
    p.mode === 'endpoint'
      ? 'In addition to the endpoint URL, use the following credentials to connect to the proxy:'
      : 'Use the following credentials and HTTPS proxy setting to connect to the proxy:';
  const lines = Object.entries(p.settings).map(([k, v]) => `  ${formatVariable(format, k, v)}`);
  return { stdout: `${started}\n${hint}\n${intro}\n${lines.join('\n')}\n`, stderr: '' };
}

/** One `K=V` assignment in a shell's syntax, quoted so that the value comes through as is. */
export function formatVariable(format: Exclude<ProxyFormat, 'json'>, name: string, value: string): string {
  switch (format) {
    case 'unix':
      return `export ${name}="${value.replace(/(["\\$`])/g, '\\$1')}"`;
    case 'fish':
      return `set -gx ${name} "${value.replace(/(["\\$])/g, '\\$1')}"`;
    case 'powershell':
      return `$Env:${name}="${value.replace(/(["`$])/g, '`$1')}"`;
    case 'command-prompt':
      return `set ${name}=${value}`;
    case 'text':
      return `${name}=${value}`;
  }
}
