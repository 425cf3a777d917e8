import { addDays, addMonths, daysBetween, monthsBetween, wholeMonth, type MonthSpan } from './dates.js';
import { noiseLine } from './plan-lines.js';
import { draftCase } from './plan-visits.js';
import type { SeededRandom } from './random.js';
import { LINE_SHAPES, REJECT_REASONS, VOID_DUPLICATE_REASON, VOID_REASONS } from './reference.js';
import { DEMO_CATEGORIES, type DemoTargets } from './targets.js';
import type { CaseDraft, PlannedLine, VisitDraft } from './types.js';

/**
 * What a real ledger holds around the counted figures, none of which may count: approved aid
 * just before and after the period, and inside it records that were never approved (pending,
 * rejected, withdrawn) or approved and then voided (duplicates, typing errors).
 */
export function planNoise(
  rng: SeededRandom,
  targets: DemoTargets,
  counted: readonly VisitDraft[],
  cases: CaseDraft[],
  tenths: readonly number[],
): VisitDraft[] {
  const months = monthsBetween(targets.from, targets.to);
  const perMonth = counted.length / months.length;
  const noise: VisitDraft[] = [];
  const categoryWeights = DEMO_CATEGORIES.map((c, i) => [c, tenths[i]! + 5] as const);

  const someLines = (): PlannedLine[] => {
    const first = rng.weighted(categoryWeights);
    const second = rng.chance(0.3) ? rng.weighted(categoryWeights.filter(([c]) => c !== first)) : null;
    const lines = [noiseLine(rng, first), ...(second ? [noiseLine(rng, second)] : [])];
    return lines.sort((a, b) => DEMO_CATEGORIES.indexOf(a.category) - DEMO_CATEGORIES.indexOf(b.category));
  };
  const dayIn = (span: MonthSpan) => addDays(span.first, rng.int(0, daysBetween(span.first, span.last)));
  const inPeriod = (date: string) => (date < targets.from ? targets.from : date > targets.to ? targets.to : date);
  const newCase = () => {
    const c = draftCase(rng, -1);
    cases.push(c);
    return c;
  };
  const add = (theCase: CaseDraft, paidOn: string, status: VisitDraft['status'], extra: Partial<VisitDraft> = {}) => {
    const peopleCovered = rng.chance(0.75) ? theCase.householdSize : rng.int(1, theCase.householdSize);
    noise.push({ case: theCase, paidOn, month: -1, peopleCovered, lines: someLines(), status, counted: false, isLastOfCase: false, ...extra });
  };

  const firstMonthOf = new Map<CaseDraft, number>();
  for (const v of counted) if (!firstMonthOf.has(v.case)) firstMonthOf.set(v.case, v.month);
  const earlyCases = [...firstMonthOf].filter(([, m]) => m <= 2).map(([c]) => c);
  const recentCases = [...new Set(counted.filter((v) => v.month >= months.length - 5).map((v) => v.case))].filter((c) => !c.hasRepatriation);
  const pickOr = (pool: CaseDraft[], p: number) => (pool.length > 0 && rng.chance(p) ? rng.pick(pool) : newCase());

  // Approved, in the two months before the period: some of these people come back inside it.
  for (const back of [2, 1]) {
    const span = wholeMonth(addMonths(months[0]!.month, -back));
    for (let n = Math.max(1, Math.round(perMonth * 0.7)); n > 0; n -= 1) add(pickOr(earlyCases, 0.5), dayIn(span), 'approved');
  }
  // Approved in the three months after it; the newest are still waiting for review.
  for (const ahead of [1, 2, 3]) {
    const span = wholeMonth(addMonths(months[months.length - 1]!.month, ahead));
    for (let n = Math.max(1, Math.round(perMonth * 0.8)); n > 0; n -= 1) add(pickOr(recentCases, 0.6), dayIn(span), 'approved');
    if (ahead === 3) for (let n = Math.max(2, Math.round(perMonth * 0.3)); n > 0; n -= 1) add(pickOr(recentCases, 0.6), dayIn(span), 'pending');
  }
  // Inside the period: still pending at its end, rejected, withdrawn.
  const lastSpan = months[months.length - 1]!;
  for (let n = 0; n < 2; n += 1) add(pickOr(recentCases, 1), dayIn(lastSpan), 'pending');
  const near = (v: VisitDraft) => inPeriod(addDays(v.paidOn, rng.int(-10, 10)));
  for (let n = Math.max(2, Math.round(counted.length * 0.03)); n > 0; n -= 1) {
    const v = rng.pick(counted);
    add(v.case, near(v), 'rejected', { rejectReason: rng.pick(REJECT_REASONS) });
  }
  for (let n = Math.max(2, Math.round(counted.length * 0.02)); n > 0; n -= 1) {
    const v = rng.pick(counted);
    add(v.case, near(v), 'withdrawn');
  }
  // Voided: a double entry of a counted disbursement, a mistyped amount, or the wrong case chosen.
  for (let n = Math.max(3, Math.round(counted.length * 0.025)); n > 0; n -= 1) {
    const v = rng.pick(counted);
    const lines = v.lines.map((l) => ({ ...l }));
    const voided = { ...v, lines, status: 'voided' as const, counted: false, isLastOfCase: false };
    if (n % 3 === 0) {
      noise.push({ ...voided, voidReason: VOID_DUPLICATE_REASON });
    } else if (n % 3 === 1) {
      const slip = 10 * LINE_SHAPES[lines[0]!.category].roundTo;
      lines[0]!.amount += lines[0]!.amount > 100_000 ? -slip : slip;
      noise.push({ ...voided, voidReason: VOID_REASONS[0] });
    } else {
      const other = rng.pick(counted).case;
      noise.push({ ...voided, case: other, peopleCovered: Math.min(v.peopleCovered, other.householdSize), voidReason: VOID_REASONS[1] });
    }
  }
  return noise;
}
