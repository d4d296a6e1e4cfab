import { test } from 'node:test';
import assert from 'node:assert/strict';
import { totpCode, totpSequence, totpStep, verifyTotp } from '../../src/shared/totp.js';

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

test('a sequence of codes for repeated logins: each one the cluster accepts after the last', async () => {
  const s = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
  const step = totpStep();
  const next = totpSequence(s, step - 1);
  const now = new Date();
  const a = verifyTotp(s, await next(), now, step - 1);
  assert.ok(a !== undefined && a >= step, 'this step\'s code (or the next one, at a boundary)');
  const b = verifyTotp(s, await next(), now, a);
  assert.ok(b !== undefined && b === a + 1, 'then the next step\'s, accepted as drift');
});
