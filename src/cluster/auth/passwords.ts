import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { TshError } from '../../shared/errors.js';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number, opts: { N: number; r: number; p: number }) => Promise<Buffer>;
const params = { N: 16384, r: 8, p: 1 };

/** Teleport's minimum; long passphrases beat complexity rules. */
export const MIN_PASSWORD_LENGTH = 12;

/** A salted scrypt hash, self-describing so parameters can change later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, 32, params);
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** Constant-time check of a password against a stored hash. */
export async function verifyPassword(password: string, stored: string | undefined): Promise<boolean> {
  // With no stored hash, still spend the same time, so the answer does not reveal whether the user exists.
  const [, n, r, p, salt, hash] = (stored ?? `scrypt$16384$8$1$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(32).toString('base64')}`).split('$');
  const expected = Buffer.from(hash, 'base64');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return stored !== undefined && timingSafeEqual(actual, expected);
}

/** Refuses passwords too short to be worth having. */
export function checkPasswordStrength(password: string): void {
  if (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH) {
    throw new TshError('BAD_INPUT', `the password must be at least ${MIN_PASSWORD_LENGTH} characters long`, { hint: 'use a passphrase of a few words' });
  }
}
