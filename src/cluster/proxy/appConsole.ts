/**
 * How the proxy asks an app service for an AWS console sign-in URL.
 *
 * The app service is reachable only through the reverse tunnel it opened
 * (or directly, when it runs in the proxy's process), and it trusts only an
 * app certificate of the session, exactly as for API requests. So the proxy
 * speaks to it as `tsh` does: it opens an app connection carrying the
 * session's app certificate and sends one unsigned `GET /`, which the app
 * service answers with a redirect to the sign-in URL.
 *
 *   browser                         proxy                                  app service            AWS
 *   -------                         -----                                  -----------            ---
 *   POST /web/launch  ----------->  web session + CSRF + Origin checked
 *     (app, role)                   role checked against the user's set
 *                    <-----------   303 /web/launch/<one-use id, 60 s>
 *   GET /web/launch/<id> -------->  id taken (once, this session only)
 *                                   createAppSession(user, app, role, via web)
 *                                     (RBAC, audit app.session.start)
 *                                   new key pair -> app certificate
 *                                   tunnel stream /app/<name>  ----------> certificate checked
 *                                     x-tsh-client-cert: <app cert>        (this cluster, this app,
 *                                     GET / (no SigV4)                      unexpired)
 *                                                                          RBAC: role on the app
 *                                                                          AssumeRole(role,  ------> STS
 *                                                                            session = user)
 *                                                                          getSigninToken(keys) ----> federation
 *                                                                          audit aws.console.login
 *                                   <----------------------------------- 302 Location: sign-in URL
 *                    <-----------   200 page, meta refresh to the sign-in URL
 *   GET federation?Action=login&Issuer=<proxy>&Destination=<app uri>&SigninToken=<token> ---------> console
 *
 *   tsh aws console: the same GET / from tsh itself, with its own app
 *   certificate over ALPN tsh-app-v1 (the app relay checks the session).
 *
 * The temporary AWS keys exist only inside the app service and on its way
 * to the federation endpoint; the proxy sees the sign-in URL alone, and
 * never logs it.
 */
import http, { type IncomingMessage } from 'node:http';
import { TshError } from '../../shared/errors.js';
import { readAwsError } from '../../shared/http/awsError.js';
import { CLIENT_CERT_HEADER, TUNNEL_PATH } from '../../shared/api/protocol.js';
import { socketPair, type SocketLike } from '../socketLike.js';
import { StreamSocket } from '../app/streamSocket.js';
import type { TunnelRegistry } from './tunnelRegistry.js';

/** STS and the federation endpoint both sit behind this request. */
const TIMEOUT_MS = 30_000;

/** Asks the app service serving `app` for a console sign-in URL, presenting `appCertDer`; throws the app service's refusal. */
export async function requestConsoleSignin(tunnels: TunnelRegistry, app: string, appCertDer: Buffer): Promise<string> {
  const socket = openAppConnection(tunnels, app, appCertDer);
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = http.request({ method: 'GET', path: '/', headers: { host: app }, createConnection: () => socket, timeout: TIMEOUT_MS }, resolve);
    req.on('timeout', () => req.destroy(new TshError('UNAVAILABLE', `the app service for "${app}" did not answer in time`)));
    req.on('error', (err) => reject(err instanceof TshError ? err : new TshError('UNAVAILABLE', `the connection to the app service for "${app}" failed: ${err.message}`)));
    req.end();
  });
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  socket.destroy();
  const location = res.headers.location;
  if (res.statusCode === 302 && location) return location;
  throw readAwsError(res.statusCode ?? 502, Buffer.concat(chunks).toString('utf8'));
}

/** A connection to the app service serving `app`, as the app relay would make for a client with that certificate. */
function openAppConnection(tunnels: TunnelRegistry, app: string, appCertDer: Buffer): SocketLike {
  const local = tunnels.localHandler(app);
  if (local) {
    const [ours, theirs] = socketPair('in-process');
    local(theirs, appCertDer);
    return ours;
  }
  const agent = tunnels.pick(app);
  if (!agent) {
    throw new TshError('UNAVAILABLE', `no app service is serving app "${app}" right now`, { hint: 'check that the app service is running and connected (`tctl apps ls`)' });
  }
  const stream = agent.session.request({ ':method': 'POST', ':path': TUNNEL_PATH.app(app), [CLIENT_CERT_HEADER]: appCertDer.toString('base64') }, { endStream: false });
  stream.on('error', () => {});
  return new StreamSocket(stream);
}
