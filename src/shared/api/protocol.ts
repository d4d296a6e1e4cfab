/**
 * Names on the wire between tsh, the proxy and app services, in one place
 * so that both ends of each link agree.
 *
 * One TLS port on the proxy carries three protocols, told apart by ALPN.
 */
export const ALPN = {
  /** App service -> proxy reverse tunnel (host certificate). */
  tunnel: 'tsh-tunnel-v1',
  /** tsh local proxy -> proxy app traffic (app certificate). */
  app: 'tsh-app-v1',
  /** Browsers, tsh and tctl API calls. */
  http: 'http/1.1',
} as const;

/** HTTP/2 flow-control window on both ends of a tunnel: large enough for 16 MiB bodies over a slow link. */
export const TUNNEL_WINDOW = 8 << 20;

/** Tunnel stream header carrying the client's certificate (base64 DER) from the proxy to the app service. */
export const CLIENT_CERT_HEADER = 'x-tsh-client-cert';

/** Set by the tsh local proxy on requests signed with credentials from a chained AssumeRole (role chaining). */
export const CHAINED_ROLE_HEADER = 'x-tsh-aws-assumed-role';

/** The tunnel stream the proxy opens to an agent for one client connection to an app. */
export const appStreamPath = (app: string): string => `/app/${encodeURIComponent(app)}`;
