/**
 * Largest-remainder rounding (SPEC §3): split `scale` units (1000 tenths of a percent by default)
 * in proportion to `amounts`, so the parts always add up to exactly `scale`.
 * Ties in the remainder go to the earlier item (the category order), so the result is stable.
 * BigInt keeps it exact even when amount × scale passes 2^53.
 */
export function largestRemainder(amounts: readonly number[], scale = 1000): number[] {
  for (const a of amounts) {
    if (!Number.isSafeInteger(a) || a < 0) throw new RangeError('amounts must be non-negative integers');
  }
  const total = amounts.reduce((sum, a) => sum + BigInt(a), 0n);
  if (total === 0n) return amounts.map(() => 0);
  const big = BigInt(scale);
  const parts = amounts.map((a, index) => {
    const scaled = BigInt(a) * big;
    return { index, floor: scaled / total, remainder: scaled % total };
  });
  let left = big - parts.reduce((sum, p) => sum + p.floor, 0n);
  const order = [...parts].sort((x, y) => (x.remainder === y.remainder ? x.index - y.index : x.remainder > y.remainder ? -1 : 1));
  for (const p of order) {
    if (left === 0n) break;
    p.floor += 1n;
    left -= 1n;
  }
  return parts.map((p) => Number(p.floor));
}

/** Percent shares to one decimal (37.3), summing to exactly 100.0 when anything was spent. */
export function percentShares(amounts: readonly number[]): number[] {
  return largestRemainder(amounts, 1000).map((tenths) => tenths / 10);
}
