import { DEMO_ACCOUNTS, planOrganizations, planUsers } from './accounts.js';
import { addDays, daysBetween, monthsBetween, type MonthSpan } from './dates.js';
import { finishCases, finishDisbursements, planFunds, planLocks, setBudgets } from './plan-finish.js';
import { assignLines, planLineCounts, splitAmount } from './plan-lines.js';
import { planNoise } from './plan-noise.js';
import { planCountedVisits } from './plan-visits.js';
import { SeededRandom } from './random.js';
import { allocateCategoryAmounts, assertTargetsPlausible, CAMPAIGN_TARGETS, DEMO_CATEGORIES, targetTenths, type DemoTargets } from './targets.js';
import type { DemoPlan, VisitDraft } from './types.js';

/** The seed of the published demo: the same data on every machine, every run. */
export const DEMO_SEED = 20_250_831;

/** Rent is paid at the start of the month; everything else any day. */
function dayFor(rng: SeededRandom, visit: VisitDraft, span: MonthSpan): string {
  const primary = visit.lines.reduce((a, b) => (b.amount > a.amount ? b : a)).category;
  const days = daysBetween(span.first, span.last);
  return addDays(span.first, rng.int(0, primary === 'shelter' ? Math.min(9, days) : days));
}

/**
 * The whole demonstration dataset, built from the targets: the approved disbursements inside the
 * period add up to exactly `total` yen for exactly `peopleCumulative` people covered, with
 * category amounts whose largest-remainder shares are exactly the target shares; around them,
 * records that must not count. Pure: the same targets and seed give the same plan.
 */
export function planDemo(targets: DemoTargets = CAMPAIGN_TARGETS, seed = DEMO_SEED): DemoPlan {
  assertTargetsPlausible(targets);
  const rng = new SeededRandom(seed);
  const months = monthsBetween(targets.from, targets.to);

  const { visits, cases } = planCountedVisits(rng, months, targets.peopleCumulative);
  const tenths = targetTenths(targets.shares);
  const amounts = allocateCategoryAmounts(targets.total, tenths);
  const counts = planLineCounts(amounts, visits.length);
  const lines = DEMO_CATEGORIES.flatMap((category, i) => splitAmount(rng, category, amounts[i]!, counts[i]!).map((amount) => ({ category, amount })));
  assignLines(rng, visits, lines);
  for (const visit of visits) visit.paidOn = dayFor(rng, visit, months[visit.month]!);

  const noise = planNoise(rng, targets, visits, cases, tenths);
  const all = [...visits, ...noise];
  const users = planUsers();
  const plannedCases = finishCases(rng, cases, all, users, targets);
  const funds = planFunds(targets);
  const disbursements = finishDisbursements(rng, all, plannedCases, users, funds);
  setBudgets(funds, disbursements);
  const admin = DEMO_ACCOUNTS.find((a) => a.isAdmin)!.email;

  return {
    targets,
    seed,
    organizations: planOrganizations(),
    users,
    funds: funds.map(({ fiscalYear: _fy, ...fund }) => fund),
    cases: [...plannedCases.values()],
    disbursements,
    periodLocks: planLocks(targets, admin),
  };
}
