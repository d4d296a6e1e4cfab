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
 *
 * Start-up is in two steps so that `tsh aws` can start the aws CLI at once:
 * the listener is bound and the client's settings are known after reading
 * the profile only; the secret store, certificates and local CA load in the
 * background (`ready`), while the CLI spends its own start-up time.
 * Connections that arrive before then wait.
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import type { ClientEnv } from '../clientEnv.js';
import type { AppCredentials, AppCredentialsOptions } from './appCredentials.js';
import { startEndpointServer } from './endpointServer.js';
import { makeFakeCredentials, type FakeCredentials } from './fakeCredentials.js';
import { startForwardProxy } from './forwardProxy.js';
import { planAppLogin } from './planAppLogin.js';
import { refuseConnect } from '../../shared/http/requestTarget.js';
import { refuseMalformedRequest } from '../../shared/http/malformedRequest.js';
import type { TlsTerminator } from './tlsTerminator.js';
import type { UpstreamPool } from './upstream.js';
import { chooseRegion } from '../aws/region.js';

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
  /**
   * Resolve as soon as the listener is bound (the caller awaits `ready`
   * itself). By default the proxy is fully loaded when this resolves.
   */
  early?: boolean;
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
  /** The CA file is in place and stays as it is while the proxy loads (a client may start before `ready`). */
  caReady: boolean;
  fake: FakeCredentials;
  /**
   * The variables a client needs: the fake keys and AWS_CA_BUNDLE, plus
   * HTTPS_PROXY in proxy mode (in endpoint mode the client is given the URL),
   * and AWS_REGION when the user's own settings name no region (see aws/region.ts).
   */
  settings: Record<string, string>;
  /** Resolves when certificates are loaded and requests can be served; rejects with the TshError that stops it. */
  ready: Promise<void>;
  /** Stops listening, closes connections and timers. */
  close(): Promise<void>;
}

/** What is loaded in the background. */
interface Core {
  creds: AppCredentials;
  terminator: TlsTerminator;
  upstream: UpstreamPool;
  handle: (req: http.IncomingMessage, res: http.ServerResponse) => void;
}

/** Starts a local AWS proxy for the user's AWS app login. Throws TshError on any setup problem. */
export async function startLocalAwsProxy(ce: ClientEnv, opts: LocalAwsProxyOptions = {}): Promise<LocalAwsProxy> {
  const fake = makeFakeCredentials(ce.env);
  const credOpts = { ...opts.credentials, app: opts.app };
  const plan = await planAppLogin(ce, credOpts);

  let core: Core | undefined;
  const loading = (async (): Promise<Core> => {
    // Loaded here rather than at the top: certificate code (node-forge) and the rest load while
    // `tsh aws` has already started the aws CLI.
    const [{ AppCredentials }, { AssumedRoleStore }, { createAwsRequestHandler }, { TlsTerminator }, { UpstreamPool }] = await Promise.all([
      import('./appCredentials.js'),
      import('./assumedRoles.js'),
      import('./awsRequestHandler.js'),
      import('./tlsTerminator.js'),
      import('./upstream.js'),
    ]);
    const creds = await AppCredentials.open(ce, credOpts, plan);
    const terminator = new TlsTerminator(creds.ca);
    const upstream = new UpstreamPool({ addr: creds.proxyAddr, clusterCas: creds.clusterCas, insecure: ce.insecure, identity: creds.identity });
    creds.onIdentity((id) => upstream.setIdentity(id));
    creds.onCa((ca) => terminator.replaceCa(ca));
    const handle = createAwsRequestHandler({
      fake,
      assumedRoles: new AssumedRoleStore(opts.credentials?.clock),
      upstream,
      servedHost: (socket) => terminator.hostOf(socket),
      refusal: () => creds.refusal(),
      clock: opts.credentials?.clock,
      log: opts.log,
    });
    core = { creds, terminator, upstream, handle };
    return core;
  })();
  loading.catch(() => {}); // reported through `ready`

  const inner = http.createServer({ keepAliveTimeout: 60_000, requestTimeout: 0 }, (req, res) => core!.handle(req, res));
  inner.on('clientError', refuseMalformedRequest);
  inner.on('connect', refuseConnect);
  const intercept = (socket: Socket, host: string): void => {
    if (core) {
      inner.emit('connection', core.terminator.wrap(socket, host));
      return;
    }
    socket.pause(); // the client's TLS hello waits in the socket until the local CA is loaded
    loading.then(
      (c) => {
        if (!socket.destroyed) inner.emit('connection', c.terminator.wrap(socket, host));
      },
      () => socket.destroy(),
    );
  };

  let server: { port: number; url: string; close(): Promise<void> };
  try {
    server = opts.endpointUrl
      ? await startEndpointServer({ host: opts.host, port: opts.port, intercept })
      : await startForwardProxy({ host: opts.host, port: opts.port, intercept, env: ce.env, insecure: ce.insecure });
  } catch (err) {
    await shutDown(loading);
    throw err;
  }
  const ready = loading.then((c) => c.creds.start());
  ready.catch(() => {}); // the caller awaits it (early mode) or it is awaited below
  if (!opts.early) {
    try {
      await ready;
    } catch (err) {
      await server.close();
      throw err;
    }
  }

  const settings: Record<string, string> = {
    AWS_ACCESS_KEY_ID: fake.accessKeyId,
    AWS_SECRET_ACCESS_KEY: fake.secretAccessKey,
    AWS_CA_BUNDLE: plan.caPath,
  };
  if (!opts.endpointUrl) settings.HTTPS_PROXY = server.url;
  const region = chooseRegion(ce.env, plan.login);
  if (region.region) settings.AWS_REGION = region.region;
  if (region.note) ce.warn(region.note);
  return {
    mode: opts.endpointUrl ? 'endpoint' : 'proxy',
    port: server.port,
    url: server.url,
    app: plan.login.name,
    role: plan.login.awsRoleArn,
    caPath: plan.caPath,
    caReady: plan.caReady,
    fake,
    settings,
    ready,
    async close() {
      await server.close();
      await shutDown(loading);
    },
  };
}

/** Stops what the background load started, once it has finished (or failed). */
async function shutDown(loading: Promise<Core>): Promise<void> {
  const c = await loading.catch(() => undefined);
  if (!c) return;
  await c.creds.close();
  c.upstream.close();
}
