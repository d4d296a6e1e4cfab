/**
 * App traffic through the proxy.
 *
 * A connection that negotiated ALPN tsh-app-v1 is authorised once: its
 * client certificate must be an app certificate signed by this cluster's
 * user CA, its app session must still exist and belong to the same user, and
 * no lock may be in force against it.
 * Then its bytes are relayed, unparsed, over one HTTP/2 stream through the
 * tunnel of an agent serving the app; the agent reads the HTTP requests and
 * checks the certificate again itself (the proxy passes the certificate, not
 * a claim about it). Per-request work stays out of the proxy.
 *
 * Each connection goes to the next of the app services serving its app (they
 * take connections in turn); one that dies under a request that has no
 * answer yet hands the request to another (see relayedConnection).
 *
 * The connection is closed when the session ends (`tsh apps logout`, `tctl
 * users rm`, on this proxy or any other: the change feed tells), when a lock
 * comes into force against its user or a role of its certificate, when the
 * certificate expires, or when the tunnel goes away; a request caught in
 * flight then is answered with the reason (503 when no app service is left,
 * 502 when one died while answering). A refusal is answered as one HTTP
 * response in the AWS error shape of the service called, so the SDK or CLI
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
import { CLIENT_CERT_HEADER, TUNNEL_PATH } from '../../shared/api/protocol.js';
import { lockError } from '../auth/locks.js';
import type { Logger } from '../logger.js';
import { RelayedConnection, type RelayTarget } from './relayedConnection.js';
import { keys } from '../auth/authContext.js';
import { metrics, startTimer } from '../diag/metrics.js';

/** A live app connection, with whom it serves and how to end it. */
interface LiveConnection {
  identity: Identity;
  /** Ends it; a request in flight is answered with `err` where the relay can still do so. */
  end(err: TshError): void;
}

const sessionEnded = (app: string) =>
  new TshError('ACCESS_DENIED', `the app session for "${app}" has ended (logged out or expired)`, { hint: 'log in to the app again with `tsh apps login`' });
const certificateExpired = () => new TshError('SESSION_EXPIRED', 'the app certificate has expired', { hint: 'log in to the app again with `tsh apps login`' });

/** The proxy's handler for app connections (see the module comment); it also keeps track of them by app session so ending a session closes them. */
export class AppRelay {
  private readonly refusals = new WeakMap<object, { err: TshError; status?: number }>();
  private readonly refuser: http.Server;
  private readonly bySession = new Map<string, Set<LiveConnection>>();
  private readonly unwatch: () => void;

  constructor(
    private readonly auth: AuthService,
    private readonly tunnels: TunnelRegistry,
    private readonly log: Logger,
  ) {
    this.refuser = http.createServer((req, res) => {
      const refusal = this.refusals.get(req.socket) ?? { err: new TshError('INTERNAL', 'refused') };
      res.setHeader('connection', 'close');
      sendAwsError(res, refusal.err, refusal.status);
      req.resume();
    });
    // Sessions ended anywhere (apps logout, users rm, on any instance) end their connections here.
    this.unwatch = auth.ctx.backend.watch([keys.appSessions], {
      changes: (changes) => {
        for (const c of changes) if (c.op === 'delete') this.endSession(c.key.slice(keys.appSessions.length));
      },
      reset: () => void this.recheckSessions(),
    });
    auth.ctx.locks.onChange(() => this.endLocked());
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
      this.watch(socket, { identity, end: () => socket.destroy() });
      local(socket, socket.getPeerCertificate(false).raw);
      return;
    }
    const certHeader = socket.getPeerCertificate(false).raw.toString('base64');
    const open = (exclude: ReadonlySet<string>): RelayTarget | undefined => {
      const agent = this.tunnels.pick(app.name, exclude);
      if (!agent) return undefined;
      const stream = agent.session.request({ ':method': 'POST', ':path': TUNNEL_PATH.app(app.name), [CLIENT_CERT_HEADER]: certHeader }, { endStream: false });
      return { hostId: agent.hostId, stream };
    };
    const first = open(new Set());
    if (!first) {
      throw new TshError('UNAVAILABLE', `no app service is serving app "${app.name}" right now`, { hint: 'check that the app service is running and connected (`tctl apps ls`)' });
    }
    const relayed = new RelayedConnection(socket, first, {
      open,
      refuse: (s, err, status) => this.refuse(s, err, status),
      lost: () =>
        new TshError('UNAVAILABLE', `the app service serving "${app.name}" went away while the request was in flight`, {
          hint: 'retry it (AWS SDKs do so by themselves); `tctl apps ls` shows whether an app service is connected',
        }),
      brokenAnswer: () =>
        new TshError('UNAVAILABLE', `the app service serving "${app.name}" failed while answering; the request may have been carried out`, {
          hint: 'check the outcome before retrying a change; `tctl apps ls` shows the app services connected',
        }),
      retried: () => metrics.relayRetry(),
    });
    this.watch(socket, { identity, end: (err) => relayed.end(err) });
    relayed.relay();
  }

  /** Tracks a connection under its session until it closes, and ends it when its certificate expires. */
  private watch(socket: TLSSocket, live: LiveConnection): void {
    const sessionId = live.identity.app!.sessionId;
    let set = this.bySession.get(sessionId);
    if (!set) this.bySession.set(sessionId, (set = new Set()));
    set.add(live);
    const msLeft = Date.parse(live.identity.expires) - Date.now();
    const expiry = setTimeout(() => live.end(certificateExpired()), Math.max(0, Math.min(msLeft, 2 ** 31 - 1)));
    expiry.unref();
    socket.once('close', () => {
      clearTimeout(expiry);
      set.delete(live);
      if (set.size === 0 && this.bySession.get(sessionId) === set) this.bySession.delete(sessionId);
    });
  }

  /** Checks the certificate and its session; returns the identity or throws the refusal. */
  private async authorize(socket: TLSSocket): Promise<Identity> {
    const peer = socket.getPeerCertificate(false);
    if (!peer?.raw) throw new TshError('CERTIFICATE', 'an app certificate is required', { hint: 'log in to the app with `tsh apps login APP`' });
    if (!socket.authorized) {
      if (String(socket.authorizationError) === 'CERT_HAS_EXPIRED') throw certificateExpired();
      throw new TshError('CERTIFICATE', 'the certificate was not issued by this cluster', { hint: 'log in with `tsh login` and `tsh apps login`' });
    }
    const identity = identityOf(readCertificate(peer.raw));
    if (identity.kind !== 'app' || !identity.app || identity.cluster !== this.auth.ctx.clusterName || !isSignedBy(peer.raw, this.auth.caCerts().userCa)) {
      throw new TshError('CERTIFICATE', 'this is not an app certificate of this cluster', { hint: 'log in to the app with `tsh apps login APP`' });
    }
    const s = await getAppSession(this.auth.ctx, identity.app.sessionId);
    if (!s) throw sessionEnded(identity.app.name);
    if (s.user !== identity.username || s.app !== identity.app.name) {
      await this.auth.ctx.audit.emit('auth', { user: identity.username, success: false, error: `session owner "${s.user}" does not match caller "${identity.username}"` });
      throw new TshError('ACCESS_DENIED', 'this app session belongs to another user');
    }
    const lock = this.auth.ctx.locks.lockFor(identity);
    if (lock) throw lockError(lock);
    return identity;
  }

  private refuse(socket: TLSSocket, err: unknown, status?: number): void {
    const e = err instanceof TshError ? err : new TshError('INTERNAL', 'internal error in the proxy');
    if (!(err instanceof TshError)) this.log.error('PROXY', `app connection failed: ${(err as Error)?.stack ?? err}`);
    this.refusals.set(socket, { err: e, status });
    this.refuser.emit('connection', socket);
  }

  /** Ends every connection of an ended session. */
  private endSession(id: string): void {
    const set = this.bySession.get(id);
    if (!set) return;
    this.bySession.delete(id);
    for (const live of set) live.end(sessionEnded(live.identity.app!.name));
  }

  /** A lock came into force: the connections it targets end now, a request in flight told why. */
  private endLocked(): void {
    for (const set of this.bySession.values()) {
      for (const live of set) {
        const lock = this.auth.ctx.locks.lockFor(live.identity);
        if (lock) live.end(lockError(lock));
      }
    }
  }

  /** The feed may have missed session ends: look each live session up again. */
  private async recheckSessions(): Promise<void> {
    for (const id of [...this.bySession.keys()]) {
      if (!(await getAppSession(this.auth.ctx, id).catch(() => true))) this.endSession(id);
    }
  }

  /** The proxy is stopping: requests in flight are told so with a 503, which SDKs retry. */
  closeAll(): void {
    this.unwatch();
    const stopping = new TshError('UNAVAILABLE', 'the proxy is restarting or shutting down', { hint: 'retry in a moment' });
    for (const set of this.bySession.values()) for (const live of set) live.end(stopping);
    this.bySession.clear();
  }
}
