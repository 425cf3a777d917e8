import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { percentShares } from '../../server/domain/shares.js';

const amounts = fc.array(fc.integer({ min: 0, max: 20_000_000 }), { minLength: 1, maxLength: 10 });

/**
 * What a breakdown's percentages promise (SPEC §3): one decimal, within a tenth of the exact share,
 * and together exactly 100.0 whenever anything was spent (all 0 otherwise).
 */
const sharesAreHonest = (shares: (xs: readonly number[]) => number[]) =>
  fc.property(amounts, (xs) => {
    const out = shares(xs);
    const total = xs.reduce((s, x) => s + x, 0);
    const tenths = out.map((s) => Math.round(s * 10));
    out.forEach((s, i) => {
      expect(Math.abs(s * 10 - tenths[i]!)).toBeLessThan(1e-9);
      if (total > 0) expect(Math.abs(tenths[i]! - (1000 * xs[i]!) / total)).toBeLessThan(1);
    });
    expect(tenths.reduce((s, t) => s + t, 0)).toBe(total > 0 ? 1000 : 0);
  });

/** Rounding each share on its own: what a spreadsheet does, and why its columns add up to 99.9 or 100.1. */
const plainRounding = (xs: readonly number[]) => {
  const total = xs.reduce((s, x) => s + x, 0);
  return xs.map((x) => (total === 0 ? 0 : Math.round((1000 * x) / total) / 10));
};

describe('percentShares', () => {
  it('gives three equal thirds 33.4, 33.3 and 33.3', () => {
    expect(percentShares([1, 1, 1])).toEqual([33.4, 33.3, 33.3]);
    expect(plainRounding([1, 1, 1])).toEqual([33.3, 33.3, 33.3]);
  });

  it('keeps its promise for any amounts', () => {
    fc.assert(sharesAreHonest(percentShares), { numRuns: 2000 });
  });

  it('is a property plain rounding fails', () => {
    const result = fc.check(sharesAreHonest(plainRounding), { numRuns: 2000, seed: 11 });
    expect(result.failed).toBe(true);
  });
});
