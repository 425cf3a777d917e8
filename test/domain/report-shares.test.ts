import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { largestRemainder, percentShares } from '../../server/domain/shares.js';

const amounts = fc.array(fc.integer({ min: 0, max: 50_000_000_000 }), { minLength: 1, maxLength: 12 });

describe('largest-remainder shares (SPEC §3)', () => {
  it('always sums to exactly 1000 tenths when anything was spent', () => {
    fc.assert(
      fc.property(amounts, (xs) => {
        fc.pre(xs.some((x) => x > 0));
        expect(largestRemainder(xs).reduce((s, x) => s + x, 0)).toBe(1000);
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps each share within one tenth of the exact value', () => {
    fc.assert(
      fc.property(amounts, (xs) => {
        const total = xs.reduce((s, x) => s + BigInt(x), 0n);
        fc.pre(total > 0n);
        largestRemainder(xs).forEach((tenths, i) => {
          // |tenths − 1000·x/total| < 1, in exact integers: |tenths·total − 1000·x| < total.
          const diff = BigInt(tenths) * total - 1000n * BigInt(xs[i]!);
          expect(diff < total && -diff < total).toBe(true);
        });
      }),
      { numRuns: 1000 },
    );
  });

  it('gives nothing to a zero amount and all zeros when the total is zero', () => {
    fc.assert(
      fc.property(amounts, (xs) => {
        const shares = largestRemainder(xs);
        xs.forEach((x, i) => {
          if (x === 0) expect(shares[i]).toBe(0);
        });
      }),
      { numRuns: 500 },
    );
    expect(largestRemainder([0, 0, 0])).toEqual([0, 0, 0]);
    expect(percentShares([0, 0])).toEqual([0, 0]);
  });

  it('breaks ties by the larger remainder, then the earlier category', () => {
    // Three equal thirds: 333.33… each; the one spare tenth goes to the first.
    expect(largestRemainder([1, 1, 1])).toEqual([334, 333, 333]);
    // Larger remainder first (the 166.67s beat the 333.33s) …
    expect(largestRemainder([2, 1, 1, 2])).toEqual([333, 167, 167, 333]);
    // … then category order: seven equal sevenths, the six spare tenths go to the first six.
    expect(largestRemainder([5, 5, 5, 5, 5, 5, 5])).toEqual([143, 143, 143, 143, 143, 143, 142]);
    // 0.72 beats 0.18, 0.07 and 0.03.
    expect(percentShares([80_000, 20_000, 8_000, 3_000])).toEqual([72.1, 18.0, 7.2, 2.7]);
  });

  it('is deterministic and does not depend on the input order beyond ties', () => {
    fc.assert(
      fc.property(amounts, (xs) => {
        expect(largestRemainder(xs)).toEqual(largestRemainder([...xs]));
      }),
      { numRuns: 200 },
    );
  });

  it('stays exact where amount × 1000 passes 2^53', () => {
    const big = [Number.MAX_SAFE_INTEGER - 1, 1];
    expect(largestRemainder(big)).toEqual([1000, 0]);
    expect(() => largestRemainder([1.5])).toThrow(RangeError);
    expect(() => largestRemainder([-1])).toThrow(RangeError);
  });

  it("reproduces the campaign's published shares", () => {
    // SPEC §1: shelter 37.3%, food 26.9%, medical 14.4%, utilities 11.3% of ¥17,644,244.
    const shares = percentShares([6_581_303, 4_746_301, 2_540_771, 1_993_800, 900_000, 600_000, 282_069]);
    expect(shares.slice(0, 4)).toEqual([37.3, 26.9, 14.4, 11.3]);
    expect(Math.round(shares.reduce((s, x) => s + x * 10, 0))).toBe(1000);
  });
});
