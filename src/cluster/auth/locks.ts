/**
 * Locks, as Teleport's administrators know them: `tctl lock --user=NAME` (or
 * `--role=NAME`) stops the target at once, everywhere, until the lock
 * expires or `tctl rm lock/ID` lifts it.
 *
 *   tctl lock ──> locks.create ──> backend /locks/<id> ──> LockWatcher (each auth+proxy process:
 *                                                        at once here, through the change feed elsewhere)
 *        LockWatcher.onChange ──> proxy: live app connections of the target are ended
 *                             └─> tunnel registry: the set is pushed to every app service
 *   checked on: login · every cluster API call · every app connection at the proxy
 *               · every AWS request at the app service (against the pushed set)
 *
 * A lock on a role stops every certificate that carries the role (and every
 * login of a user who holds it).
 */
import { randomUUID } from 'node:crypto';
import { TshError } from '../../shared/errors.js';
import { parseDuration } from '../../shared/duration.js';
import { NAME_PATTERN, type Lock } from '../../shared/resources/types.js';
import { lockTarget } from '../../shared/resources/lockTarget.js';
import type { Backend, BatchOp } from '../storage/backend.js';
import { keys, type AuthContext } from './authContext.js';
import { Reloader } from '../storage/reloader.js';

const MAX_MESSAGE = 1_000;

/** Who a lock can stop: a user name and the roles a certificate (or a user) carries. */
export interface LockSubject {
  username: string;
  roles: string[];
}

/** What `tctl lock` asks for; exactly one target. */
export interface LockRequest {
  user?: string;
  role?: string;
  message?: string;
  /** A duration ("10h", "30m"): the lock expires this long from now. */
  ttl?: string;
  /** An RFC 3339 time: the lock expires then. */
  expires?: string;
}

/** The refusal a locked subject meets, with the lock's message. */
export function lockError(lock: Lock): TshError {
  const message = lock.spec.message ? `: ${lock.spec.message}` : '';
  return new TshError('ACCESS_DENIED', `lock targeting ${lockTarget(lock)} is in force${message}`, {
    hint: 'an administrator lifts it with `tctl rm lock/ID` (`tctl locks ls` lists the locks)',
  });
}

/** The first lock in force at `now` that targets the subject, if any. */
export function findLock(locks: Lock[], who: LockSubject, now: Date): Lock | undefined {
  return locks.find((l) => inForce(l, now) && (l.spec.target.user === who.username || (l.spec.target.role !== undefined && who.roles.includes(l.spec.target.role))));
}

function inForce(lock: Lock, now: Date): boolean {
  return !lock.spec.expires || Date.parse(lock.spec.expires) > now.getTime();
}

/** Checks a lock document (from `tctl lock` or `tctl create`) and fills what the cluster records. */
export function checkLock(lock: Lock, by: string, now: Date): Lock {
  const { user, role } = lock.spec.target ?? {};
  if (user === undefined && role === undefined) throw new TshError('BAD_INPUT', 'a lock needs a target', { hint: 'pass --user=NAME or --role=NAME' });
  if (user !== undefined && role !== undefined) throw new TshError('BAD_INPUT', 'a lock has one target: a user or a role, not both', { hint: 'make one lock for the user and another for the role' });
  const name = (user ?? role)!;
  if (!NAME_PATTERN.test(name)) throw new TshError('BAD_INPUT', `invalid ${user !== undefined ? 'user' : 'role'} name "${name}" for a lock`, { hint: 'names use letters, digits and @ _ . + -' });
  if (lock.spec.message !== undefined && lock.spec.message.length > MAX_MESSAGE) throw new TshError('BAD_INPUT', `the lock message is longer than ${MAX_MESSAGE} characters`);
  if (lock.spec.expires !== undefined) {
    const at = Date.parse(lock.spec.expires);
    if (Number.isNaN(at)) throw new TshError('BAD_INPUT', `invalid lock expiry "${lock.spec.expires}"`, { hint: 'write it in RFC 3339, e.g. 2030-01-02T15:04:05Z' });
    if (at <= now.getTime()) throw new TshError('BAD_INPUT', `the lock expiry ${lock.spec.expires} is in the past`);
  }
  return {
    kind: 'lock',
    version: 'v2',
    metadata: { ...lock.metadata },
    spec: { ...lock.spec, target: user !== undefined ? { user } : { role }, created_by: lock.spec.created_by ?? by, created_at: lock.spec.created_at ?? now.toISOString() },
  };
}

function lockFromRequest(req: LockRequest, now: Date): Lock {
  if (req.ttl !== undefined && req.expires !== undefined) throw new TshError('BAD_INPUT', 'a lock takes --ttl or --expires, not both');
  let expires = req.expires;
  if (req.ttl !== undefined) {
    const ms = parseDuration(req.ttl, '--ttl');
    if (ms <= 0) throw new TshError('BAD_INPUT', `--ttl must be longer than zero, not "${req.ttl}"`, { hint: 'leave --ttl out for a lock that holds until it is removed' });
    expires = new Date(now.getTime() + ms).toISOString();
  }
  const target = { ...(req.user !== undefined && { user: req.user }), ...(req.role !== undefined && { role: req.role }) };
  return { kind: 'lock', version: 'v2', metadata: { name: randomUUID() }, spec: { target, message: req.message || undefined, expires } };
}

/** The write that stores a checked lock (new, or replacing one of the same id); the backend drops it when it expires. */
export function lockWrite(lock: Lock): BatchOp {
  return { op: 'put', key: keys.lock(lock.metadata.name), value: lock, expires: lock.spec.expires ? new Date(lock.spec.expires) : undefined };
}

/** After locks were written: audits them and puts them in force in this process at once (others hear through the change feed). */
export async function locksWritten(ctx: AuthContext, locks: Lock[]): Promise<void> {
  await ctx.audit.emitMany(locks.map((l) => ({ event: 'lock.created', fields: { user: l.spec.created_by, name: l.metadata.name, target: lockTarget(l), message: l.spec.message, expires: l.spec.expires } })));
  await ctx.locks.refresh();
}

/** `tctl lock`: makes the lock the flags describe and returns it. */
export async function createLock(ctx: AuthContext, by: string, req: LockRequest): Promise<Lock> {
  const now = ctx.clock();
  const lock = checkLock(lockFromRequest(req, now), by, now);
  await ctx.backend.batch([lockWrite(lock)]);
  await locksWritten(ctx, [lock]);
  return lock;
}

/** Lifts a lock; NOT_FOUND names it when there is none with that id. */
export async function deleteLock(ctx: AuthContext, by: string, id: string): Promise<void> {
  if (!(await ctx.backend.delete(keys.lock(id)))) throw new TshError('NOT_FOUND', `lock "${id}" not found`, { hint: 'list the locks with `tctl locks ls`' });
  await ctx.audit.emit('lock.deleted', { user: by, name: id });
  await ctx.locks.refresh();
}

/** Locks in force, oldest first. */
export async function readLocks(backend: Backend): Promise<Lock[]> {
  return (await backend.getRange<Lock>(keys.locks)).map((i) => i.value).sort((a, b) => String(a.spec.created_at).localeCompare(String(b.spec.created_at)));
}

/**
 * The locks of this process, kept in memory so that every check is a look-up
 * and not a query, read again when the change feed says they changed, and
 * told to whoever acts on a change (see the module comment).
 */
export class LockWatcher {
  private locks: Lock[] = [];
  private fingerprint = '';
  private readonly listeners = new Set<(locks: Lock[]) => void>();
  private readonly reloader: Reloader;

  private constructor(
    private readonly backend: Backend,
    private readonly clock: () => Date,
  ) {
    this.reloader = new Reloader(backend, [keys.locks], () => this.load());
  }

  static async start(backend: Backend, clock: () => Date): Promise<LockWatcher> {
    const w = new LockWatcher(backend, clock);
    await w.refresh();
    return w;
  }

  /** The lock in force against the subject, if any. */
  lockFor(who: LockSubject): Lock | undefined {
    return findLock(this.locks, who, this.clock());
  }

  /** Every lock in force now (what app services are sent). */
  current(): Lock[] {
    const now = this.clock();
    return this.locks.filter((l) => inForce(l, now));
  }

  /** Calls the listener with the locks whenever they change. */
  onChange(listener: (locks: Lock[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Re-reads the backend now (after a write here; writes elsewhere come through the feed). */
  refresh(): Promise<void> {
    return this.reloader.reload();
  }

  private async load(): Promise<void> {
    const locks = await readLocks(this.backend);
    const fingerprint = JSON.stringify(locks);
    if (fingerprint === this.fingerprint) return;
    this.locks = locks;
    this.fingerprint = fingerprint;
    for (const l of this.listeners) l(this.current());
  }

  close(): void {
    this.reloader.close();
  }
}
