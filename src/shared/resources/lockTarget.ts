import type { Lock } from './types.js';

/** A lock's target as Teleport writes it in messages and listings: `User:"alice"`, `Role:"contractor"`. */
export function lockTarget(lock: Lock): string {
  const t = lock.spec.target;
  return t.user !== undefined ? `User:"${t.user}"` : `Role:"${t.role}"`;
}
