/**
 * App traffic through the proxy.
 *
 * A connection that negotiated ALPN tsh-app-v1 is authorised once: its
 * client certificate must be an app certificate signed by this cluster's
 * user CA, and its app session must still exist and belong to the same user.
 * Then its bytes are relayed, unparsed, over one HTTP/2 stream through the
 * tunnel of an agent serving the app; the agent reads the HTTP requests and
 * checks the certificate again itself (the proxy passes the certificate, not
 * a claim about it). Per-request work stays out of the proxy.
 *
 * The connection is closed when the session ends (`tsh apps logout`), when
 * the certificate expires, or when the tunnel goes away. A refusal is
 * answered as one HTTP response in AWS's JSON error shape, so the SDK or CLI
 * on the other end prints the reason.
 */
import http from 'node:http';
import type { TLSSocket } from 'node:tls';
import { TshError } from '../../shared/errors.js';
import { sendAwsError } from '../../shared/http/awsError.js';
import { readCertificate, isSignedBy } from '../../shared/pki/readCertificate.js';
import { identityOf, type Identity } from '../../shared/identity/identity.js';
import type { AuthService } from '../auth/authService.js';
import { getAppSession } from '../auth/apps.js';
import type { TunnelRegistry } from './tunnelRegistry.js';
import { CLIENT_CERT_HEADER, appStreamPath } from '../../shared/api/protocol.js';
import type { Logger } from '../logger.js';
import { metrics, startTimer } from '../diag/metrics.js';

/** How often live connections are re-checked against the backend (sessions ended on another proxy). */
const RECHECK_MS = 10_000;

/** The proxy's handler for app connections (see the module comment); it also keeps track of them by app session so ending a session closes them. */
export class AppRelay {
  private readonly refusals = new WeakMap<object, TshError>();
  private readonly refuser: http.Server;
  private readonly bySession = new Map<string, Set<TLSSocket>>();
  private readonly recheck: NodeJS.Timeout;

  constructor(
    private readonly auth: AuthService,
    private readonly tunnels: TunnelRegistry,
    private readonly log: Logger,
  ) {
    this.refuser = http.createServer((req, res) => {
      const err = this.refusals.get(req.socket) ?? new TshError('INTERNAL', 'refused');
      res.setHeader('connection', 'close');
      sendAwsError(res, err);
      req.resume();
    });
    auth.onAppSessionEnd((id) => this.endSession(id));
    this.recheck = setInterval(() => void this.recheckSessions(), RECHECK_MS);
    this.recheck.unref();
  }

  /** Takes a socket that negotiated the app protocol. */
  accept(socket: TLSSocket): void {
    const elapsed = startTimer();
    void this.route(socket).then(
      () => metrics.proxyConnection('relayed', elapsed()),
      (err) => {
        metrics.proxyConnection('refused', elapsed());
        this.refuse(socket, err);
      },
    );
  }

  private async route(socket: TLSSocket): Promise<void> {
    const identity = await this.authorize(socket);
    const app = identity.app!;
    const local = this.tunnels.localHandler(app.name);
    if (local) {
      // The app service runs in this process: hand the connection over, no tunnel hop.
      this.watch(app.sessionId, identity, socket);
      local(socket, socket.getPeerCertificate(false).raw);
      return;
    }
    const session = this.tunnels.pick(app.name);
    if (!session) {
      throw new TshError('UNAVAILABLE', `no app service is serving app "${app.name}" right now`, { hint: 'check that the app service is running and connected (`tctl apps ls`)' });
    }
    const stream = session.request(
      { ':method': 'POST', ':path': appStreamPath(app.name), [CLIENT_CERT_HEADER]: socket.getPeerCertificate(false).raw.toString('base64') },
      { endStream: false },
    );
    this.watch(app.sessionId, identity, socket);
    const done = () => {
      if (!socket.destroyed) socket.destroy();
      if (!stream.destroyed) stream.close();
    };
    socket.on('close', done);
    socket.on('error', done);
    stream.on('close', done);
    stream.on('error', done);
    socket.pipe(stream);
    stream.pipe(socket);
  }

  /** Tracks a connection under its session until it closes, and closes it when its certificate expires. */
  private watch(sessionId: string, identity: Identity, socket: TLSSocket): void {
    this.track(sessionId, socket);
    const msLeft = Date.parse(identity.expires) - Date.now();
    const expiry = setTimeout(() => socket.destroy(), Math.max(0, Math.min(msLeft, 2 ** 31 - 1)));
    expiry.unref();
    socket.once('close', () => {
      clearTimeout(expiry);
      this.untrack(sessionId, socket);
    });
  }

  /** Checks the certificate and its session; returns the identity or throws the refusal. */
  private async authorize(socket: TLSSocket): Promise<Identity> {
    const peer = socket.getPeerCertificate(false);
    if (!peer?.raw) throw new TshError('CERTIFICATE', 'an app certificate is required', { hint: 'log in to the app with `tsh apps login APP`' });
    if (!socket.authorized) {
      if (String(socket.authorizationError) === 'CERT_HAS_EXPIRED') {
        throw new TshError('SESSION_EXPIRED', 'the app certificate has expired', { hint: 'log in to the app again with `tsh apps login`' });
      }
      throw new TshError('CERTIFICATE', 'the certificate was not issued by this cluster', { hint: 'log in with `tsh login` and `tsh apps login`' });
    }
    const identity = identityOf(readCertificate(peer.raw));
    if (identity.kind !== 'app' || !identity.app || identity.cluster !== this.auth.ctx.clusterName || !isSignedBy(peer.raw, this.auth.caCerts().userCa)) {
      throw new TshError('CERTIFICATE', 'this is not an app certificate of this cluster', { hint: 'log in to the app with `tsh apps login APP`' });
    }
    const s = await getAppSession(this.auth.ctx, identity.app.sessionId);
    if (!s) throw new TshError('ACCESS_DENIED', `the app session for "${identity.app.name}" has ended (logged out or expired)`, { hint: 'log in to the app again with `tsh apps login`' });
    if (s.user !== identity.username || s.app !== identity.app.name) {
      await this.auth.ctx.audit.emit('auth', { user: identity.username, success: false, error: `session owner "${s.user}" does not match caller "${identity.username}"` });
      throw new TshError('ACCESS_DENIED', 'this app session belongs to another user');
    }
    return identity;
  }

  private refuse(socket: TLSSocket, err: unknown): void {
    const e = err instanceof TshError ? err : new TshError('INTERNAL', 'internal error in the proxy');
    if (!(err instanceof TshError)) this.log.error('PROXY', `app connection failed: ${(err as Error)?.stack ?? err}`);
    this.refusals.set(socket, e);
    this.refuser.emit('connection', socket);
  }

  private track(id: string, socket: TLSSocket): void {
    let set = this.bySession.get(id);
    if (!set) this.bySession.set(id, (set = new Set()));
    set.add(socket);
  }

  private untrack(id: string, socket: TLSSocket): void {
    const set = this.bySession.get(id);
    set?.delete(socket);
    if (set && set.size === 0) this.bySession.delete(id);
  }

  /** Closes every connection of an ended session. */
  private endSession(id: string): void {
    for (const s of this.bySession.get(id) ?? []) s.destroy();
    this.bySession.delete(id);
  }

  private async recheckSessions(): Promise<void> {
    for (const id of [...this.bySession.keys()]) {
      if (!(await getAppSession(this.auth.ctx, id).catch(() => true))) this.endSession(id);
    }
  }

  closeAll(): void {
    clearInterval(this.recheck);
    for (const id of [...this.bySession.keys()]) this.endSession(id);
  }
}
