/** Shared by the auth service (checking codes) and by scripts that log in unattended (the demo, tests). */
import { createHmac, randomBytes } from 'node:crypto';
import { base32Decode, base32Encode } from './text/base32.js';

/**
 * Time-based one-time codes (RFC 6238: HMAC-SHA1, 30 s steps, 6 digits), the
 * kind every authenticator app reads from an otpauth:// URI.
 */
const STEP_SECONDS = 30;

/** A new random secret, base32 as authenticator apps expect. */
export function newTotpSecret(): string {
  return base32Encode(randomBytes(20));
}

/** The otpauth:// URI an authenticator app scans. */
export function totpUri(secret: string, account: string, issuer: string): string {
  const label = encodeURIComponent(`${issuer}:${account}`);
  return `otpauth://totp/${label}?secret=${secret}&issuer=${encodeURIComponent(issuer)}&algorithm=SHA1&digits=6&period=${STEP_SECONDS}`;
}

/** The code for a time (default now). */
export function totpCode(secret: string, at: Date = new Date()): string {
  return codeForCounter(secret, totpStep(at));
}

/** The step counter of a time: codes change with it. */
export function totpStep(at: Date = new Date()): number {
  return Math.floor(at.getTime() / 1000 / STEP_SECONDS);
}

/**
 * Codes for one authenticator, for scripts that log in several times in a
 * row: a code works once and the cluster accepts the current step or the
 * next, so a third login within one step waits for the next step to begin.
 * `lastUsed` is the last step already spent (by enrolling, say).
 */
export function totpSequence(secret: string, lastUsed: number = totpStep()): () => Promise<string> {
  let last = lastUsed;
  return async () => {
    for (;;) {
      const now = totpStep();
      const next = Math.max(now, last + 1);
      if (next <= now + 1) {
        last = next;
        return codeForCounter(secret, next);
      }
      await new Promise((r) => setTimeout(r, (now + 1) * STEP_SECONDS * 1000 - Date.now() + 50));
    }
  };
}

/**
 * Checks a code, allowing one step of clock drift either way. Returns the
 * step counter that matched (callers store it so a code is used once), or
 * undefined.
 */
export function verifyTotp(secret: string, code: string, at: Date, lastUsedCounter = -1): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const counter = Math.floor(at.getTime() / 1000 / STEP_SECONDS);
  for (const c of [counter, counter - 1, counter + 1]) {
    if (c > lastUsedCounter && codeForCounter(secret, c) === code) return c;
  }
  return undefined;
}

function codeForCounter(secret: string, counter: number): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', base32Decode(secret)).update(msg).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const bin = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return bin.toString().padStart(6, '0');
}
