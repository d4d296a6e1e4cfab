/**
 * The auth service: the cluster's state and its certificate authorities.
 *
 * It owns the backend and answers the cluster API ({@link AuthService.call})
 * for callers the transport has already authenticated by certificate. The
 * proxy calls it in-process; `tctl -c` on the auth host reaches it on its
 * own mTLS listener with the local admin identity it writes to the data dir.
 */
import { mkdir, readFile, writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { TshError, isCode } from '../../shared/errors.js';
import { generateKeyPair } from '../../shared/pki/generateKeyPair.js';
import { isSignedBy, readCertificate } from '../../shared/pki/readCertificate.js';
import { identityOf, expectedIssuer, type Identity } from '../../shared/identity/identity.js';
import type { Backend } from '../storage/backend.js';
import type { TeleportConfig } from '../config/teleportConfig.js';
import { AccessChecker } from './accessChecker.js';
import { AuditLog } from './auditLog.js';
import { builtinRoles } from './builtinRoles.js';
import { clusterStatus, ensureCertAuthorities, issueCertificate } from './certAuthorities.js';
import { keys, loadRoles, type AuthContext, type Caller, type StoredUser } from './authContext.js';
import { LockWatcher, lockError } from './locks.js';
import { isApiMethod, rpcMethods } from './rpcMethods.js';
import type { ApiMethod, ApiParams, ApiResult, Untrusted } from '../../shared/api/clusterApi.js';
import { validateToken } from './tokens.js';
import { checkPublicKey } from './login.js';

/** Where the local admin identity lives in the data dir. */
export function adminIdentityPaths(dataDir: string): { key: string; cert: string; ca: string } {
  return { key: join(dataDir, 'admin', 'admin.key'), cert: join(dataDir, 'admin', 'admin.crt'), ca: join(dataDir, 'admin', 'host-ca.pem') };
}

/** Host certificates last a year; agents renew by rejoining before then. */
const HOST_CERT_TTL_MS = 365 * 86_400_000;
const ADMIN_CERT_TTL_MS = 365 * 86_400_000;

/** The running auth service (see the module comment); a teleport process whose config enables auth_service makes one with AuthService.start. */
export class AuthService {
  private sweeper?: NodeJS.Timeout;
  private unwatch?: () => void;
  /** Moves whenever a user, role or lock changes: callers worked out before then are worked out again. */
  callerGeneration = 0;

  private constructor(
    readonly ctx: AuthContext,
    readonly config: TeleportConfig,
  ) {}

  /** Opens the cluster state: CAs and built-in roles on first start, the admin identity every start. */
  static async start(config: TeleportConfig, backend: Backend, opts: { clock?: () => Date; proxyPublicAddr: () => string; onAuditFileError?: (err: unknown, file: string) => void }): Promise<AuthService> {
    const clock = opts.clock ?? (() => new Date());
    const clusterName = config.auth.clusterName;
    const where = config.storage.type === 'postgres' ? 'the PostgreSQL database' : config.dataDir;
    const cas = await ensureCertAuthorities(backend, clusterName, clock(), where);
    for (const role of builtinRoles) {
      await backend.create(keys.role(role.metadata.name), role).catch((err) => {
        if (!isCode(err, 'ALREADY_EXISTS')) throw err;
      });
    }
    const audit = new AuditLog(backend, config.dataDir, clock, opts.onAuditFileError);
    const locks = await LockWatcher.start(backend, clock);
    const ctx: AuthContext = { backend, clock, clusterName, secondFactor: config.auth.secondFactor, cas, audit, proxyPublicAddr: opts.proxyPublicAddr, locks };
    const svc = new AuthService(ctx, config);
    // A caller is worked out once per connection (peerCaller); a change to users, roles or locks anywhere makes every one stale.
    svc.unwatch = backend.watch([keys.users, keys.roles, keys.locks], { changes: () => svc.callerGeneration++, reset: () => svc.callerGeneration++ });
    await svc.writeAdminIdentity();
    svc.sweeper = setInterval(() => void backend.sweepExpired().catch(() => {}), 60_000);
    svc.sweeper.unref();
    return svc;
  }

  /** Cluster name, version and the CA pin agents use to verify the proxy. */
  status(): { clusterName: string; version: string; caPin: string } {
    return clusterStatus(this.ctx);
  }

  /**
   * Turns a verified TLS peer certificate into a caller: the certificate must
   * be signed by the CA its kind requires, unexpired, and (for users) name a
   * user that still exists and is not locked.
   */
  async authenticate(certDer: Buffer): Promise<Caller> {
    const cert = readCertificate(certDer);
    const identity = identityOf(cert);
    const ca = this.ctx.cas[expectedIssuer(identity.kind)];
    if (identity.cluster !== this.ctx.clusterName || !isSignedBy(certDer, ca.certPem)) {
      throw new TshError('CERTIFICATE', 'the certificate was not issued by this cluster', { hint: 'log in again with `tsh login`' });
    }
    if (cert.notAfter.getTime() <= this.ctx.clock().getTime()) {
      throw new TshError('SESSION_EXPIRED', 'your session has expired', { hint: 'log in again with `tsh login`' });
    }
    return this.callerFor(identity);
  }

  /** Builds the caller for an identity the transport has verified. */
  async callerFor(identity: Identity): Promise<Caller> {
    if (identity.kind === 'admin') return { identity, checker: new AccessChecker([], {}), isAdmin: true };
    if (identity.kind === 'host') return { identity, checker: new AccessChecker([], {}), isAdmin: false };
    const user = await this.ctx.backend.get<StoredUser>(keys.user(identity.username));
    if (!user) throw new TshError('ACCESS_DENIED', `user "${identity.username}" no longer exists`, { hint: 'ask an administrator' });
    const lock = this.ctx.locks.lockFor(identity);
    if (lock) throw lockError(lock);
    return { identity, checker: new AccessChecker(await loadRoles(this.ctx, identity.roles), identity.traits), isAdmin: false };
  }

  /**
   * Runs one cluster API method for a caller: what `POST /v1/rpc/<method>`
   * and the in-process callers (the web UI, an app service in this process)
   * both come to. A name off the wire that is not in the contract is NOT_FOUND.
   */
  async call<M extends ApiMethod>(method: M, caller: Caller, params: Untrusted<ApiParams<M>>): Promise<ApiResult<M>> {
    if (!isApiMethod(method)) throw new TshError('NOT_FOUND', `unknown API method "${method}"`, { hint: 'the client and the cluster may be of different versions' });
    if (caller.identity.kind === 'app') {
      throw new TshError('ACCESS_DENIED', 'app certificates cannot call the cluster API', { hint: 'use the login certificate' });
    }
    const params_ = typeof params === 'object' && params !== null && !Array.isArray(params) ? params : {};
    return (rpcMethods[method] as (ctx: AuthContext, c: Caller, p: Untrusted<ApiParams<M>>) => Promise<ApiResult<M>>)(this.ctx, caller, params_);
  }

  /** An app service joins with a token and gets a host certificate plus the cluster's CAs. */
  async join(req: { token: string; publicKey: string; hostname: string }): Promise<{ hostId: string; cert: string; userCa: string; hostCa: string; clusterName: string }> {
    checkPublicKey(req.publicKey);
    await validateToken(this.ctx, String(req.token ?? ''), 'app');
    const hostId = randomUUID();
    const cert = this.issueHostCert({ hostId, hostRole: 'app', publicKey: req.publicKey });
    await this.ctx.audit.emit('instance.join', { host_id: hostId, hostname: String(req.hostname ?? ''), role: 'app', method: 'token' });
    return { hostId, cert, userCa: this.ctx.cas.user.certPem, hostCa: this.ctx.cas.host.certPem, clusterName: this.ctx.clusterName };
  }

  /** A host certificate (for the proxy in this process, or a joining agent). */
  issueHostCert(opts: { hostId: string; hostRole: 'auth' | 'proxy' | 'app'; publicKey: string; dnsNames?: string[]; ipAddresses?: string[] }): string {
    const now = this.ctx.clock();
    const identity: Identity = {
      kind: 'host',
      username: opts.hostId,
      cluster: this.ctx.clusterName,
      roles: [opts.hostRole],
      traits: {},
      awsRoleArns: [],
      expires: '',
      hostRole: opts.hostRole,
    };
    return issueCertificate(this.ctx.cas.host, {
      identity,
      publicKey: opts.publicKey,
      notBefore: new Date(now.getTime() - 60_000),
      notAfter: new Date(now.getTime() + HOST_CERT_TTL_MS),
      usage: 'both',
      dnsNames: opts.dnsNames,
      ipAddresses: opts.ipAddresses,
    });
  }

  /** The PEM of the user CA and host CA certificates. */
  caCerts(): { userCa: string; hostCa: string } {
    return { userCa: this.ctx.cas.user.certPem, hostCa: this.ctx.cas.host.certPem };
  }

  async close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    this.unwatch?.();
    this.ctx.locks.close();
  }

  /**
   * Writes (or refreshes) the local administrator's key and certificate in
   * `<data_dir>/admin/`, 0600, for `tctl -c teleport.yaml` on this host.
   */
  private async writeAdminIdentity(): Promise<void> {
    const paths = adminIdentityPaths(this.config.dataDir);
    try {
      const cert = await readFile(paths.cert, 'utf8');
      const parsed = readCertificate(cert);
      if (isSignedBy(cert, this.ctx.cas.user.certPem) && parsed.notAfter.getTime() - this.ctx.clock().getTime() > 30 * 86_400_000) {
        await writeSecure(paths.ca, this.ctx.cas.host.certPem);
        return;
      }
    } catch {
      // missing or unreadable: write a new one
    }
    await mkdir(join(paths.key, '..'), { recursive: true, mode: 0o700 });
    const keysPair = await generateKeyPair();
    const now = this.ctx.clock();
    const notAfter = new Date(now.getTime() + ADMIN_CERT_TTL_MS);
    const identity: Identity = { kind: 'admin', username: 'admin', cluster: this.ctx.clusterName, roles: ['admin'], traits: {}, awsRoleArns: [], expires: notAfter.toISOString() };
    const cert = issueCertificate(this.ctx.cas.user, { identity, publicKey: keysPair.publicKey, notAfter, usage: 'client' });
    await writeSecure(paths.key, keysPair.privateKey);
    await writeSecure(paths.cert, cert);
    await writeSecure(paths.ca, this.ctx.cas.host.certPem);
  }
}

/** Writes a file 0600 through a temporary name, so it is never briefly readable by others. */
export async function writeSecure(path: string, data: string): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, data, { mode: 0o600 });
  await rename(tmp, path);
}
