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

/** Header of the proxy's `/hello` stream: which proxy this tunnel reached (its host id), so an agent keeps one tunnel per proxy. */
export const PROXY_ID_HEADER = 'x-tsh-proxy-id';

/**
 * Stream paths inside a reverse tunnel (the proxy opens every stream; the
 * app service answers): see proxy/tunnelRegistry and app/tunnelAgent.
 */
export const TUNNEL_PATH = {
  /** GET (with {@link PROXY_ID_HEADER}): the agent says who it is and which apps it serves, or 409 when it has a tunnel to this proxy already. */
  hello: '/hello',
  /** POST: the proxy routes to the agent from now on. */
  registered: '/registered',
  /** POST, body `{ locks: Lock[] }`: the locks in force, sent on registration and on every change. */
  locks: '/locks',
  /** POST, body `{ proxies: string[] }`: the ids of the cluster's live proxies, on registration and on every change (the agent dials until it has a tunnel to each). */
  proxies: '/proxies',
  /** POST, body `{ roles?: string[] }`: these roles changed (absent: any may have), so cached copies are stale. */
  roles: '/roles',
  /** POST: one client connection for an app, relayed as bytes. */
  app: (name: string) => `/app/${encodeURIComponent(name)}`,
} as const;
