import { largestRemainder } from '../../server/domain/shares.js';
import { lastDayOfMonth, type MonthSpan } from './dates.js';
import type { SeededRandom } from './random.js';
import { AGE_WEIGHTS, GENDER_WEIGHTS, HOUSEHOLD_SIZES, NATIONALITY_WEIGHTS, OTHER_PREFECTURES, PARTNER_GROUPS, RESIDENCE_WEIGHTS } from './reference.js';
import type { CaseDraft, VisitDraft } from './types.js';

const RETURN_PROBABILITY = 0.3;
/** A case comes back within this many months of its last visit, or not at all. */
const RETURN_WINDOW = 5;
/** Months when more people ask for help: winter, the fiscal year's turn, summer. */
const SEASON: Record<string, number> = { '12': 1.25, '01': 1.15, '03': 1.2, '04': 1.1, '08': 1.1 };

/** A new case with a plausible profile; a few profiles are left incomplete, as in real records. */
export function draftCase(rng: SeededRandom, lastMonth: number): CaseDraft {
  const group = rng.weighted(PARTNER_GROUPS.map((g) => [g.code, g.weight] as const));
  const home = PARTNER_GROUPS.find((g) => g.code === group)!.prefecture;
  const sparse = rng.chance(0.06);
  return {
    orgCode: group,
    householdSize: rng.weighted(HOUSEHOLD_SIZES),
    gender: rng.weighted(GENDER_WEIGHTS),
    ageBand: sparse ? null : rng.weighted(AGE_WEIGHTS),
    nationality: rng.weighted(NATIONALITY_WEIGHTS),
    residenceStatus: sparse ? null : rng.weighted(RESIDENCE_WEIGHTS),
    prefecture: rng.chance(0.85) ? home : rng.pick(OTHER_PREFECTURES),
    lastMonth,
    hasRepatriation: false,
  };
}

/** Relative demand per month: growing as the fund became known, with a seasonal rhythm. */
export function monthWeights(rng: SeededRandom, months: readonly MonthSpan[]): number[] {
  return months.map((span, i) => {
    const growth = 1 + (0.8 * i) / Math.max(1, months.length - 1);
    const season = SEASON[span.month.slice(5, 7)] ?? 1;
    const days = Number(span.last.slice(8, 10)) - Number(span.first.slice(8, 10)) + 1;
    const fullness = days / Number(lastDayOfMonth(span.month).slice(8, 10));
    return Math.max(1, Math.round(growth * season * (0.85 + 0.3 * rng.next()) * fullness * 1000));
  });
}

/**
 * The counted visits, month by month, consuming exactly `people` people covered (のべ人数): each
 * month gets its share of the people by largest remainder, and each visit covers the household
 * (mostly) or part of it, cut to what the month has left. New or returning cases.
 */
export function planCountedVisits(rng: SeededRandom, months: readonly MonthSpan[], people: number): { visits: VisitDraft[]; cases: CaseDraft[] } {
  const perMonth = largestRemainder(monthWeights(rng, months), people);
  const cases: CaseDraft[] = [];
  const visits: VisitDraft[] = [];
  perMonth.forEach((budget, month) => {
    let left = budget;
    while (left > 0) {
      const returning = cases.filter((c) => c.lastMonth < month && c.lastMonth >= month - RETURN_WINDOW && !c.hasRepatriation);
      let theCase: CaseDraft;
      if (returning.length > 0 && rng.chance(RETURN_PROBABILITY)) {
        theCase = rng.pick(returning);
        theCase.lastMonth = month;
      } else {
        theCase = draftCase(rng, month);
        cases.push(theCase);
      }
      const wanted = rng.chance(0.75) ? theCase.householdSize : rng.int(1, theCase.householdSize);
      const peopleCovered = Math.min(wanted, left);
      left -= peopleCovered;
      visits.push({ case: theCase, paidOn: '', month, peopleCovered, lines: [], status: 'approved', counted: true, isLastOfCase: false });
    }
  });
  const seen = new Set<CaseDraft>();
  for (let i = visits.length - 1; i >= 0; i -= 1) {
    const visit = visits[i]!;
    visit.isLastOfCase = !seen.has(visit.case);
    seen.add(visit.case);
  }
  return { visits, cases };
}
