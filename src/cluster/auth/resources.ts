/**
 * `tctl create`, `tctl get` and `tctl rm` on roles, users, tokens and locks:
 * all documents of a file are checked first and written in one batch, so a
 * file is applied whole or not at all.
 */
import { TshError } from '../../shared/errors.js';
import { checkResources } from '../../shared/resources/checkResources.js';
import type { Lock, Resource, Role, User } from '../../shared/resources/types.js';
import type { BatchOp } from '../storage/backend.js';
import type { TokenRecord } from '../../shared/api/types.js';
import { keys, requireRule, userResource, type AuthContext, type Caller, type StoredUser } from './authContext.js';
import { requireRolesExist } from './users.js';
import { checkLock, deleteLock, lockWrite, locksWritten, readLocks } from './locks.js';
import { endUserAppSessions } from './apps.js';

/** Creates (or with overwrite, replaces) roles and users. Returns what was written and warnings. */
export async function createResources(ctx: AuthContext, caller: Caller, docs: unknown[], overwrite: boolean): Promise<{ written: string[]; warnings: string[] }> {
  if (!Array.isArray(docs) || docs.length === 0) throw new TshError('BAD_INPUT', 'no resources to create');
  const { resources, warnings } = checkResources(docs.map((value, i) => ({ value, origin: { file: 'request', label: `document ${i + 1}` } })));
  const createdRoles = resources.filter((r): r is Role => r.kind === 'role').map((r) => r.metadata.name);
  const ops: BatchOp[] = [];
  const written: string[] = [];
  const locks: Lock[] = [];
  for (const r of resources) {
    const key = r.kind === 'role' ? keys.role(r.metadata.name) : r.kind === 'lock' ? keys.lock(r.metadata.name) : keys.user(r.metadata.name);
    const existing = await ctx.backend.get(key);
    requireRule(caller, r.kind, existing ? 'update' : 'create');
    if (existing && !overwrite) {
      throw new TshError('ALREADY_EXISTS', `${r.kind} "${r.metadata.name}" already exists`, { hint: 'use `tctl create -f` to overwrite it' });
    }
    if (r.kind === 'role') {
      ops.push({ op: 'put', key, value: r });
    } else if (r.kind === 'lock') {
      const lock = checkLock(r, caller.identity.username, ctx.clock());
      locks.push(lock);
      ops.push(lockWrite(lock));
    } else {
      const u = r as User;
      await requireRolesExist(ctx, u.spec.roles, createdRoles);
      const prev = existing?.value as StoredUser | undefined;
      const stored: StoredUser = {
        ...(prev ?? { createdAt: ctx.clock().toISOString() }),
        name: u.metadata.name,
        roles: u.spec.roles,
        traits: u.spec.traits ?? {},
      } as StoredUser;
      ops.push({ op: 'put', key, value: stored });
    }
    written.push(`${r.kind} "${r.metadata.name}" has been ${existing ? 'updated' : 'created'}`);
  }
  await ctx.backend.batch(ops);
  for (const r of resources) {
    if (r.kind === 'lock') continue;
    await ctx.audit.emit(r.kind === 'role' ? 'role.created' : 'user.create', { user: caller.identity.username, name: r.metadata.name });
  }
  if (locks.length) await locksWritten(ctx, locks);
  return { written, warnings };
}

/** Reads roles, users or tokens (all of a kind, or one by name). */
export async function getResources(ctx: AuthContext, caller: Caller, kind: string, name?: string): Promise<Array<Resource | TokenRecord>> {
  switch (kind) {
    case 'role': {
      requireRule(caller, 'role', name ? 'read' : 'list');
      if (name) return [must(await ctx.backend.get<Role>(keys.role(name)), 'role', name)];
      return (await ctx.backend.getRange<Role>(keys.roles)).map((i) => i.value);
    }
    case 'user': {
      requireRule(caller, 'user', name ? 'read' : 'list');
      if (name) return [userResource(must(await ctx.backend.get<StoredUser>(keys.user(name)), 'user', name))];
      return (await ctx.backend.getRange<StoredUser>(keys.users)).map((i) => userResource(i.value));
    }
    case 'token': {
      requireRule(caller, 'token', name ? 'read' : 'list');
      if (name) return [must(await ctx.backend.get<TokenRecord>(keys.token(name)), 'token', name)];
      return (await ctx.backend.getRange<TokenRecord>(keys.tokens)).map((i) => i.value);
    }
    case 'lock': {
      requireRule(caller, 'lock', name ? 'read' : 'list');
      if (name) return [must(await ctx.backend.get<Lock>(keys.lock(name)), 'lock', name)];
      return readLocks(ctx.backend);
    }
    default:
      throw new TshError('BAD_INPUT', `unknown resource kind "${kind}"`, { hint: 'use roles, users, tokens or locks' });
  }
}

/** Removes one role, user, token or lock; a removed user's app sessions end with it. */
export async function deleteResource(ctx: AuthContext, caller: Caller, kind: string, name: string): Promise<void> {
  const key = kind === 'role' ? keys.role(name) : kind === 'user' ? keys.user(name) : kind === 'token' ? keys.token(name) : kind === 'lock' ? keys.lock(name) : undefined;
  if (!key) throw new TshError('BAD_INPUT', `cannot remove "${kind}/${name}"`, { hint: 'use role/NAME, user/NAME, token/NAME or lock/ID' });
  requireRule(caller, kind, 'delete');
  if (kind === 'lock') return deleteLock(ctx, caller.identity.username, name);
  if (kind === 'role') {
    const users = await ctx.backend.getRange<StoredUser>(keys.users);
    const holders = users.filter((u) => u.value.roles.includes(name)).map((u) => u.value.name);
    if (holders.length) throw new TshError('BAD_INPUT', `role "${name}" is still assigned to ${holders.join(', ')}`, { hint: 'remove it from those users first with `tctl users update NAME --set-roles ...`' });
  }
  if (!(await ctx.backend.delete(key))) throw new TshError('NOT_FOUND', `${kind} "${name}" not found`);
  if (kind === 'user') await endUserAppSessions(ctx, name);
  await ctx.audit.emit(kind === 'role' ? 'role.deleted' : kind === 'user' ? 'user.delete' : 'join_token.delete', { user: caller.identity.username, name: kind === 'token' ? name.slice(0, 6) + '…' : name });
}

function must<T>(p: { value: T } | undefined, kind: string, name: string): T {
  if (!p) throw new TshError('NOT_FOUND', `${kind} "${name}" not found`);
  return p.value;
}

/** Types re-exported for the API layer. */
export type { Resource };
