import { timingSafeEqual } from 'node:crypto';

/** True when `given` is the string `expected`, compared in constant time (secrets: tokens, keys). */
export function sameSecret(given: unknown, expected: string): boolean {
  if (typeof given !== 'string' || !expected) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
