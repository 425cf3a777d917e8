import type { SummaryWithCells } from '../figures.js';
import { percentShares } from '../shares.js';

/**
 * Disclosure control for everything published from the figures (SPEC §8, §10): the public page,
 * its JSON, the campaign text and share links all pass through `discloseSummary`, and nothing
 * else reads a summary for the public.
 */

/** One row of a published breakdown: both numbers, or neither. */
export type PublicCell<K> =
  { key: K; suppressed: false; amount: number; disbursements: number | null } | { key: K; suppressed: true; amount: null; disbursements: null };

export type PublishedSummary = {
  published: true;
  period: { from: string; to: string };
  threshold: number;
  total: number;
  disbursements: number;
  peopleCumulative: number;
  cases: number;
  peopleUnique: number;
  categories: (PublicCell<string> & { labelJa: string; labelEn: string; share: number | null })[];
  /** Hidden categories together: derivable as total minus the shown ones, so it costs nothing. */
  hiddenCategories: { amount: number; share: number } | null;
  months: PublicCell<string>[];
  organizations: (PublicCell<number> & { name: string })[];
  funds: (PublicCell<number> & { name: string })[];
};
/** Fewer distinct cases than the threshold in the whole period: no figure at all. */
export type WithheldSummary = { published: false; period: { from: string; to: string }; threshold: number };
export type PublicSummary = PublishedSummary | WithheldSummary;

interface RawCell<K> {
  key: K;
  amount: number;
  disbursements: number;
  cases: number;
}

/**
 * Which cells of one breakdown to hide. (e) zero rows are not listed; (b) a cell with fewer
 * distinct cases than the threshold is hidden; (c) when that leaves exactly one hidden cell, the
 * smallest shown one is hidden too, so no hidden value equals the total minus the shown ones.
 * The breakdown always adds up to the published total, so one hidden cell would be recoverable.
 */
export function suppressCells<K>(cells: readonly RawCell<K>[], threshold: number): { cell: RawCell<K>; hidden: boolean }[] {
  const listed = cells.filter((c) => c.amount > 0 || c.disbursements > 0);
  const hidden = new Set(listed.filter((c) => c.cases < threshold));
  if (hidden.size === 1) {
    const smallest = listed.filter((c) => !hidden.has(c)).sort((a, b) => a.amount - b.amount || a.disbursements - b.disbursements || a.cases - b.cases)[0];
    // With a single listed cell every case is in it, so it passed whenever the period did.
    if (smallest) hidden.add(smallest);
  }
  return listed.map((cell) => ({ cell, hidden: hidden.has(cell) }));
}

function toCells<K>(cells: readonly RawCell<K>[], threshold: number, withCount: boolean): PublicCell<K>[] {
  return suppressCells(cells, threshold).map(({ cell, hidden }) =>
    hidden
      ? { key: cell.key, suppressed: true, amount: null, disbursements: null }
      : { key: cell.key, suppressed: false, amount: cell.amount, disbursements: withCount ? cell.disbursements : null },
  );
}

/**
 * (a) a period with fewer distinct cases than the threshold publishes nothing; (d) people counts
 * rest on the period's case count, so they are shown only with it; a shown cell's count is at
 * least its distinct cases, hence at least the threshold.
 */
export function discloseSummary(summary: SummaryWithCells, threshold: number): PublicSummary {
  const { period, cellCases } = summary;
  if (summary.cases < threshold) return { published: false, period, threshold };

  const categoryCells = toCells(
    summary.byCategory.map((c) => ({ key: c.code, amount: c.amount, disbursements: c.lines, cases: cellCases.byCategory[c.code] ?? 0 })),
    threshold,
    false,
  );
  const shown = categoryCells.filter((c) => !c.suppressed);
  const hiddenAmount = summary.total - shown.reduce((sum, c) => sum + (c.amount ?? 0), 0);
  // Shares among the shown cells and one bucket for the hidden ones, so a rounding step cannot
  // carry anything about an individual hidden cell.
  const shares = percentShares([...shown.map((c) => c.amount ?? 0), hiddenAmount]);
  const byCode = new Map(summary.byCategory.map((c) => [c.code, c]));
  const categories = categoryCells.map((c) => {
    const labels = byCode.get(c.key)!;
    const index = (shown as PublicCell<string>[]).indexOf(c);
    return { ...c, labelJa: labels.labelJa, labelEn: labels.labelEn, share: index >= 0 ? shares[index]! : null };
  });

  const months = toCells(
    summary.byMonth.map((m) => ({ key: m.month, amount: m.amount, disbursements: m.disbursements, cases: cellCases.byMonth[m.month] ?? 0 })),
    threshold,
    true,
  );
  const names = <T extends { id: number; name: string }>(rows: readonly T[]) => new Map(rows.map((r) => [r.id, r.name]));
  const orgNames = names(summary.byOrganization);
  const organizations = toCells(
    summary.byOrganization.map((o) => ({ key: o.id, amount: o.amount, disbursements: o.disbursements, cases: cellCases.byOrganization[o.id] ?? 0 })),
    threshold,
    true,
  ).map((c) => ({ ...c, name: orgNames.get(c.key)! }));
  const fundNames = names(summary.byFund);
  const funds = toCells(
    summary.byFund.map((f) => ({ key: f.id, amount: f.amount, disbursements: f.disbursements, cases: cellCases.byFund[f.id] ?? 0 })),
    threshold,
    true,
  ).map((c) => ({ ...c, name: fundNames.get(c.key)! }));

  return {
    published: true,
    period,
    threshold,
    total: summary.total,
    disbursements: summary.disbursements,
    peopleCumulative: summary.peopleCumulative,
    cases: summary.cases,
    peopleUnique: summary.peopleUnique,
    categories,
    hiddenCategories: hiddenAmount > 0 ? { amount: hiddenAmount, share: shares[shown.length]! } : null,
    months,
    organizations,
    funds,
  };
}
