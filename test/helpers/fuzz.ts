/**
 * How the fast-check properties run: a few hundred runs each in `npm test`,
 * 10,000 in `npm run fuzz` (FUZZ_RUNS). The seed is random unless FUZZ_SEED
 * names one, and every property prints it, so a failure in CI is replayed
 * with `FUZZ_SEED=<seed> npm run fuzz` (fast-check also prints the failing
 * input and its path when a property fails).
 */
import type { TestContext } from 'node:test';
import { randomInt } from 'node:crypto';
import type * as fc from 'fast-check';

export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : randomInt(2 ** 31);

/** fc.assert parameters for one property; the seed and run count go to the test's diagnostics. */
export function fuzzRuns(t: TestContext, runs = FUZZ_RUNS): fc.Parameters<unknown> {
  t.diagnostic(`fast-check: ${runs} runs, seed ${SEED} (FUZZ_SEED=${SEED} FUZZ_RUNS=${runs} to replay)`);
  return { numRuns: runs, seed: SEED, includeErrorInReport: true };
}

/**
 * How long one input may take before it counts as a hang. Generous on
 * purpose (each takes well under a millisecond to a few): a bound to catch a
 * loop or a quadratic blow-up, not a speed measurement.
 */
export const HANG_MS = 2_000;
