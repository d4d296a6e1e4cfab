/**
 * The login lockout: every password login is counted, per user name, before
 * the password is checked, with the backend's atomic counter, so N parallel
 * guesses count N (a read-check-write would let them overwrite each other).
 * Names that are not users are counted the same way, so the lockout cannot
 * tell an attacker which accounts exist.
 *
 *   attempt n (within LOCKOUT_MS of the first)   n < 5: checked   n = 5: checked, locks   n > 5: locked
 *   right password (n <= 5)                      the count is cleared
 */
import { TshError } from '../../shared/errors.js';
import type { Item } from '../storage/backend.js';
import { keys, type AuthContext } from './authContext.js';

/** Attempts within the window that lock the account. */
export const MAX_FAILED_LOGINS = 5;
/** How far back attempts count towards the lockout, and how long a locked account stays locked. */
export const LOCKOUT_MS = 30 * 60_000;

/** One counted attempt: its number in the window, and when the window (or the lock) ends. */
export interface CountedAttempt {
  count: number;
  until: Date;
}

/** Counts one login attempt for the name (see the module comment). */
export async function countAttempt(ctx: AuthContext, user: string): Promise<CountedAttempt> {
  const item = await ctx.backend.increment(keys.loginAttempts(user), { expires: new Date(ctx.clock().getTime() + LOCKOUT_MS) });
  return counted(item);
}

/** True when this attempt is past the limit: refused whatever the password. */
export const isLockedOut = (a: CountedAttempt) => a.count > MAX_FAILED_LOGINS;

/**
 * After a failed check: true when this attempt is the one that reaches the
 * limit, and then the lock runs for LOCKOUT_MS from now (only one caller
 * sees the count equal to the limit).
 */
export async function lockIfLimitReached(ctx: AuthContext, user: string, a: CountedAttempt): Promise<boolean> {
  if (a.count !== MAX_FAILED_LOGINS) return false;
  a.until = new Date(ctx.clock().getTime() + LOCKOUT_MS);
  await ctx.backend.put(keys.loginAttempts(user), a.count, { expires: a.until });
  return true;
}

/** When the user's lock ends, or undefined when the user is not locked. */
export async function lockedUntil(ctx: AuthContext, user: string): Promise<Date | undefined> {
  const item = await ctx.backend.get<number>(keys.loginAttempts(user));
  if (!item) return undefined;
  const a = counted(item);
  return a.count >= MAX_FAILED_LOGINS ? a.until : undefined;
}

function counted(item: Item<number>): CountedAttempt {
  return { count: item.value, until: item.expires ?? new Date(0) };
}

/** The refusal of a locked name: the same words for a user and for a name that is none. */
export function lockedOutError(name: string, until: Date): TshError {
  return new TshError('LOCKED', `user "${name}" is locked until ${until.toISOString().slice(11, 16)} UTC after ${MAX_FAILED_LOGINS} failed login attempts`, {
    hint: `wait ${LOCKOUT_MS / 60_000} minutes, or ask an administrator to run \`tctl users reset ${name}\``,
  });
}
