import { MAX_LINE_AMOUNT } from '../../db/schema.js';
import { largestRemainder } from '../../server/domain/shares.js';
import type { SeededRandom } from './random.js';
import { LINE_SHAPES } from './reference.js';
import { DEMO_CATEGORIES, ImplausibleTargets, type DemoCategory } from './targets.js';
import type { PlannedLine, VisitDraft } from './types.js';

/** At most this many lines on one disbursement, one per category. */
const MAX_LINES_PER_VISIT = 4;

/**
 * How many lines each category's amount is paid in: its amount over its usual line size, then
 * nudged so every visit gets at least one line and none gets more than MAX_LINES_PER_VISIT.
 */
export function planLineCounts(amounts: readonly number[], visits: number): number[] {
  const least = (a: number) => (a === 0 ? 0 : Math.ceil(a / MAX_LINE_AMOUNT));
  const most = (a: number) => Math.min(a, visits);
  const counts = amounts.map((a, i) => {
    const usual = Math.round(a / LINE_SHAPES[DEMO_CATEGORIES[i]!].typical);
    return Math.min(most(a), Math.max(least(a), a > 0 ? 1 : 0, usual));
  });
  const sum = () => counts.reduce((s, n) => s + n, 0);
  const used = amounts.filter((a) => a > 0).length;
  const ceiling = visits * Math.min(MAX_LINES_PER_VISIT, used);
  const average = (i: number) => amounts[i]! / counts[i]!;
  while (sum() < visits) {
    // Split the category whose lines are largest on average.
    const open = counts.map((_, i) => i).filter((i) => counts[i]! < most(amounts[i]!));
    if (open.length === 0) throw new ImplausibleTargets('the total is too small for that many disbursements');
    const i = open.reduce((best, j) => (average(j) > average(best) ? j : best));
    counts[i]! += 1;
  }
  while (sum() > ceiling) {
    // Merge lines of the category whose lines are smallest on average.
    const open = counts.map((_, i) => i).filter((i) => counts[i]! > Math.max(1, least(amounts[i]!)));
    if (open.length === 0) throw new ImplausibleTargets('the total is too large for so few people');
    const i = open.reduce((best, j) => (average(j) < average(best) ? j : best));
    counts[i]! -= 1;
  }
  return counts;
}

/**
 * Split `amount` into `count` positive lines that look paid by people: spread log-normally
 * around the category's usual size and rounded as such payments are (rent to ¥1,000), the
 * largest line absorbing the rounding so the sum stays exact.
 */
export function splitAmount(rng: SeededRandom, category: DemoCategory, amount: number, count: number): number[] {
  if (count === 0) return [];
  const shape = LINE_SHAPES[category];
  const weights = Array.from({ length: count }, () => Math.max(1, Math.round(rng.logNormal(shape.sigma) * 1_000_000)));
  const exact = largestRemainder(weights, amount - count).map((v) => v + 1);
  let largest = 0;
  exact.forEach((v, i) => {
    if (v > exact[largest]!) largest = i;
  });
  const rounded = exact.map((v) => Math.max(shape.roundTo, Math.round(v / shape.roundTo) * shape.roundTo));
  rounded[largest] = amount - rounded.reduce((s, v, i) => (i === largest ? s : s + v), 0);
  const lines = rounded[largest]! >= 1 ? rounded : exact;
  // Keep every line within the per-line maximum by moving any excess to the smallest line.
  for (let guard = 0; guard < count * 4 && Math.max(...lines) > MAX_LINE_AMOUNT; guard += 1) {
    const hi = lines.indexOf(Math.max(...lines));
    const lo = lines.indexOf(Math.min(...lines));
    const move = Math.min(lines[hi]! - MAX_LINE_AMOUNT, MAX_LINE_AMOUNT - lines[lo]!);
    lines[hi]! -= move;
    lines[lo]! += move;
  }
  return lines;
}

/** Where a line of this category belongs, when there is a choice. */
function fits(category: DemoCategory, visit: VisitDraft): boolean {
  if (category === 'repatriation') return visit.isLastOfCase && !visit.case.hasRepatriation;
  if (category === 'tuition') return visit.case.householdSize >= 2 || visit.case.residenceStatus === 'student';
  return true;
}

/**
 * Hang every line on a visit: each visit gets at least one, a visit holds a category once, and
 * repatriation (a ticket home) lands on a case's last visit, tuition on families and students.
 */
export function assignLines(rng: SeededRandom, visits: VisitDraft[], lines: PlannedLine[]): void {
  // The choosy categories go first, while their preferred visits are still free.
  const choosy = (c: DemoCategory) => (c === 'repatriation' ? 0 : c === 'tuition' ? 1 : 2);
  const order = rng.shuffle([...lines]).sort((a, b) => choosy(a.category) - choosy(b.category));
  let empty = visits.filter((v) => v.lines.length === 0);
  order.forEach((line, index) => {
    const remaining = order.length - index;
    const lacks = (v: VisitDraft) => !v.lines.some((l) => l.category === line.category);
    const fillEmpty = empty.length > 0 && (remaining <= empty.length || rng.chance(empty.length / remaining));
    const pool = fillEmpty ? empty : visits.filter((v) => v.lines.length > 0 && v.lines.length < MAX_LINES_PER_VISIT && lacks(v));
    const roomy = visits.filter((v) => lacks(v) && v.lines.length < MAX_LINES_PER_VISIT);
    const candidates = [pool.filter((v) => fits(line.category, v)), pool, empty, roomy, visits.filter(lacks), visits].find((c) => c.length > 0)!;
    // A second or third line goes more often to a larger household: rent, food and utilities together.
    const visit = fillEmpty ? rng.pick(candidates) : candidates[rng.weighted(candidates.map((v, i) => [i, v.peopleCovered] as const))]!;
    visit.lines.push(line);
    if (line.category === 'repatriation') visit.case.hasRepatriation = true;
    if (visit.lines.length === 1) empty = empty.filter((v) => v !== visit);
  });
  for (const visit of visits) visit.lines.sort((a, b) => rank(a.category) - rank(b.category));
}

const rank = (category: DemoCategory) => DEMO_CATEGORIES.indexOf(category);

/** One line of the kind that does not count (pending, rejected, outside the period…). */
export function noiseLine(rng: SeededRandom, category: DemoCategory): PlannedLine {
  const shape = LINE_SHAPES[category];
  const raw = shape.typical * rng.logNormal(shape.sigma);
  const amount = Math.min(MAX_LINE_AMOUNT, Math.max(shape.roundTo, Math.round(raw / shape.roundTo) * shape.roundTo));
  return { category, amount };
}
