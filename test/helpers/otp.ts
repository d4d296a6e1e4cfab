import { totpCode } from '../../src/shared/totp.js';

const STEP_MS = 30_000;

/**
 * One-time codes for repeated logins of one user: each code works once and
 * the cluster accepts the current 30 s step or the next, so the third login
 * within a step waits for the next step to begin (at most 30 s). The
 * current step's code counts as spent: enrolling the authenticator (the
 * invite, just before) used it.
 */
export function otpSequence(secret: string): () => Promise<string> {
  let last = Math.floor(Date.now() / STEP_MS);
  return async () => {
    for (;;) {
      const now = Math.floor(Date.now() / STEP_MS);
      const next = Math.max(now, last + 1);
      if (next <= now + 1) {
        last = next;
        return totpCode(secret, new Date(next * STEP_MS));
      }
      await new Promise((r) => setTimeout(r, (now + 1) * STEP_MS - Date.now() + 50));
    }
  };
}
