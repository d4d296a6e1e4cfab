/**
 * The local AWS proxy that `tsh aws` and `tsh proxy aws` run: the pieces of
 * this folder put together.
 *
 *   AWS client (this machine)            tsh                                        cluster
 *   -------------------------   --------------------------------------------   -----------------
 *   HTTPS_PROXY mode:  CONNECT -> forward proxy -> TLS terminator --+
 *   endpoint mode:     TLS     -> endpoint server -> TLS terminator -+-> inner HTTP server
 *                                                                       | verify SigV4 (fake keys)
 *                                                                       v
 *                                                                 upstream pool ==mTLS==> proxy -> app service -> AWS
 *                                      AppCredentials: renews the app cert and local CA, swaps them into
 *                                      the upstream pool and the TLS terminator; refuses when the login is gone
 */
import http from 'node:http';
import type { ClientEnv } from '../clientEnv.js';
import { AppCredentials, type AppCredentialsOptions } from './appCredentials.js';
import { AssumedRoleStore } from './assumedRoles.js';
import { createAwsRequestHandler } from './awsRequestHandler.js';
import { startEndpointServer } from './endpointServer.js';
import { makeFakeCredentials, type FakeCredentials } from './fakeCredentials.js';
import { startForwardProxy } from './forwardProxy.js';
import { TlsTerminator } from './tlsTerminator.js';
import { UpstreamPool } from './upstream.js';

/** How to run the proxy. */
export interface LocalAwsProxyOptions {
  /** --app: which AWS app login to use. */
  app?: string;
  /** Loopback address; default 127.0.0.1 (anything else is refused). */
  host?: string;
  /** --port; default a free one. */
  port?: number;
  /** Serve an endpoint URL instead of an HTTPS proxy. */
  endpointUrl?: boolean;
  /** One line per request (--debug). */
  log?: (line: string) => void;
  /** Timing knobs and message sink for renewals (tests shorten them). */
  credentials?: Omit<AppCredentialsOptions, 'app'>;
}

/** A running local proxy and what clients need to use it. */
export interface LocalAwsProxy {
  mode: 'proxy' | 'endpoint';
  port: number;
  /** `http://127.0.0.1:PORT` (HTTPS_PROXY) or `https://127.0.0.1:PORT` (endpoint URL). */
  url: string;
  /** The app and IAM role in use. */
  app: string;
  role: string;
  /** The local CA file (AWS_CA_BUNDLE). */
  caPath: string;
  fake: FakeCredentials;
  /**
   * The variables a client needs: the fake keys and AWS_CA_BUNDLE, plus
   * HTTPS_PROXY in proxy mode (in endpoint mode the client is given the URL).
   */
  settings: Record<string, string>;
  /** Stops listening, closes connections and timers. */
  close(): Promise<void>;
}

/** Starts a local AWS proxy for the user's AWS app login. Throws TshError on any setup problem. */
export async function startLocalAwsProxy(ce: ClientEnv, opts: LocalAwsProxyOptions = {}): Promise<LocalAwsProxy> {
  const fake = makeFakeCredentials(ce.env);
  const creds = await AppCredentials.open(ce, { ...opts.credentials, app: opts.app });
  const terminator = new TlsTerminator(creds.ca);
  const upstream = new UpstreamPool({ addr: creds.proxyAddr, clusterCas: creds.clusterCas, insecure: ce.insecure, identity: creds.identity });
  creds.onIdentity((id) => upstream.setIdentity(id));
  creds.onCa((ca) => terminator.replaceCa(ca));

  const handler = createAwsRequestHandler({
    fake,
    assumedRoles: new AssumedRoleStore(opts.credentials?.clock),
    upstream,
    servedHost: (socket) => terminator.hostOf(socket),
    refusal: () => creds.refusal(),
    clock: opts.credentials?.clock,
    log: opts.log,
  });
  const inner = http.createServer({ keepAliveTimeout: 60_000, requestTimeout: 0 }, handler);
  inner.on('clientError', (_err, socket) => socket.destroy());

  let server: { port: number; url: string; close(): Promise<void> };
  try {
    server = opts.endpointUrl
      ? await startEndpointServer({ host: opts.host, port: opts.port, terminator, inner })
      : await startForwardProxy({ host: opts.host, port: opts.port, terminator, inner, env: ce.env, insecure: ce.insecure });
  } catch (err) {
    upstream.close();
    await creds.close();
    throw err;
  }
  creds.start();

  const settings: Record<string, string> = {
    AWS_ACCESS_KEY_ID: fake.accessKeyId,
    AWS_SECRET_ACCESS_KEY: fake.secretAccessKey,
    AWS_CA_BUNDLE: creds.caPath,
  };
  if (!opts.endpointUrl) settings.HTTPS_PROXY = server.url;
  return {
    mode: opts.endpointUrl ? 'endpoint' : 'proxy',
    port: server.port,
    url: server.url,
    app: creds.login.name,
    role: creds.login.awsRoleArn,
    caPath: creds.caPath,
    fake,
    settings,
    async close() {
      await creds.close();
      await server.close();
      inner.closeAllConnections();
      upstream.close();
    },
  };
}
