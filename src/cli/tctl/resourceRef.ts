import { TshError } from '../../shared/errors.js';

/** Parses "roles", "role/NAME", "users", "user/NAME", "tokens", "token/NAME", "locks", "lock/ID". */
export function parseResourceRef(text: string, needName: boolean): { kind: 'role' | 'user' | 'token' | 'lock'; name?: string } {
  const [rawKind, ...rest] = text.split('/');
  const name = rest.join('/') || undefined;
  const kind = ({ role: 'role', roles: 'role', user: 'user', users: 'user', token: 'token', tokens: 'token', lock: 'lock', locks: 'lock' } as const)[rawKind.toLowerCase() as 'role'];
  if (!kind) throw new TshError('USAGE', `unknown resource "${text}"`, { hint: 'use roles, users, tokens, locks, role/NAME, user/NAME, token/NAME or lock/ID' });
  if (needName && !name) throw new TshError('USAGE', `"${text}" names no resource`, { hint: `write it as ${kind}/NAME` });
  return { kind, name };
}
