import { SEEDED_CATEGORIES } from '../../db/reference-data.js';
import { largestRemainder, percentShares } from '../../server/domain/shares.js';
import { isCalendarDate } from '../../server/domain/dates.js';

export const DEMO_CATEGORIES = SEEDED_CATEGORIES.map((c) => c.code);
export type DemoCategory = (typeof DEMO_CATEGORIES)[number];

/** What the demo's report must show over `from`..`to`, approved and not voided (SPEC §4). */
export interface DemoTargets {
  from: string;
  to: string;
  /** Σ line amounts, yen. */
  total: number;
  /** のべ人数: Σ people covered. */
  peopleCumulative: number;
  /** Published shares (one decimal). Categories not named share what is left. */
  shares: Partial<Record<DemoCategory, number>>;
}

/** The network's published campaign, SPEC §1. */
export const CAMPAIGN_TARGETS: DemoTargets = {
  from: '2023-07-01',
  to: '2025-08-31',
  total: 17_644_244,
  peopleCumulative: 491,
  shares: { shelter: 37.3, food: 26.9, medical: 14.4, utilities: 11.3 },
};

// How the unnamed categories split what is left: repatriation is rare but large, "other" small.
const REST_WEIGHTS: Record<DemoCategory, number> = { shelter: 30, food: 25, medical: 15, utilities: 10, repatriation: 50, tuition: 30, other: 20 };

export class ImplausibleTargets extends Error {}

export function assertTargetsPlausible(t: DemoTargets): void {
  const problems: string[] = [];
  if (!isCalendarDate(t.from) || !isCalendarDate(t.to) || t.from > t.to) problems.push('from..to must be a date range');
  if (!Number.isSafeInteger(t.peopleCumulative) || t.peopleCumulative < 1) problems.push('peopleCumulative must be ≥ 1');
  // ≥ ¥10,000 keeps every rounded share exact (see allocateCategoryAmounts); ≥ ¥1,000 a person keeps it plausible.
  if (!Number.isSafeInteger(t.total) || t.total < 10_000 || t.total < t.peopleCumulative * 1_000)
    problems.push('total must be ≥ ¥10,000 and ≥ ¥1,000 per person');
  for (const [code, share] of Object.entries(t.shares)) {
    if (!(DEMO_CATEGORIES as readonly string[]).includes(code)) problems.push(`unknown category ${code}`);
    const tenths = Number(share) * 10;
    if (!(tenths >= 0) || Math.abs(tenths - Math.round(tenths)) > 1e-9) problems.push(`share of ${code} must be a percentage with one decimal`);
  }
  if (problems.length > 0) throw new ImplausibleTargets(problems.join('; '));
}

/**
 * Every category's target share in tenths of a percent, summing to 1000: the named shares as
 * published, the rest split over the unnamed categories by REST_WEIGHTS.
 */
export function targetTenths(shares: DemoTargets['shares']): number[] {
  const named = DEMO_CATEGORIES.map((c) => (shares[c] === undefined ? null : Math.round(shares[c] * 10)));
  const rest = 1000 - named.reduce<number>((sum, n) => sum + (n ?? 0), 0);
  if (rest < 0) throw new ImplausibleTargets('the named shares add up to more than 100%');
  const unnamedWeights = DEMO_CATEGORIES.map((c, i) => (named[i] === null ? REST_WEIGHTS[c] : 0));
  if (rest > 0 && unnamedWeights.every((w) => w === 0)) throw new ImplausibleTargets('the named shares must add up to 100% when every category is named');
  const split = largestRemainder(unnamedWeights, rest);
  return named.map((n, i) => n ?? split[i]!);
}

/**
 * Category amounts summing exactly to `total` whose largest-remainder shares (one decimal) are
 * exactly `tenths`/10. Splitting the total in proportion to the tenths, itself by largest
 * remainder, puts each amount within one yen of its exact share: with total > 2,000 yen every
 * share is then either just above its target (rounds down to it) or just below (its remainder is
 * near 1, so it gets the extra tenth). The check below proves it for the numbers at hand.
 */
export function allocateCategoryAmounts(total: number, tenths: readonly number[]): number[] {
  if (tenths.reduce((s, t) => s + t, 0) !== 1000) throw new RangeError('tenths must sum to 1000');
  const amounts = largestRemainder(tenths, total);
  const landed = percentShares(amounts).map((s) => Math.round(s * 10));
  if (landed.some((t, i) => t !== tenths[i])) throw new ImplausibleTargets(`cannot reach the shares exactly with a total of ${total}`);
  return amounts;
}
