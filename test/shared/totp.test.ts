import { test } from 'node:test';
import assert from 'node:assert/strict';
import { totpCode, verifyTotp } from '../../src/shared/totp.js';

// RFC 6238 appendix B, SHA-1, secret "12345678901234567890" (base32 below), last 6 digits.
const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

test('matches the RFC 6238 test vectors', () => {
  assert.equal(totpCode(secret, new Date(59_000)), '287082');
  assert.equal(totpCode(secret, new Date(1111111109_000)), '081804');
  assert.equal(totpCode(secret, new Date(2000000000_000)), '279037');
});

test('accepts one step of drift, refuses reuse and wrong codes', () => {
  const now = new Date(1111111109_000);
  const prev = totpCode(secret, new Date(now.getTime() - 30_000));
  const counter = verifyTotp(secret, prev, now);
  assert.ok(counter !== undefined);
  assert.equal(verifyTotp(secret, prev, now, counter), undefined, 'a code works once');
  assert.equal(verifyTotp(secret, '000000', now), undefined);
  assert.equal(verifyTotp(secret, totpCode(secret, new Date(now.getTime() - 120_000)), now), undefined);
});
