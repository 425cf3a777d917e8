import type { Summary } from '../figures.js';
import type { Locale } from '../../../db/schema.js';
import { formatYen, formatYenCampaign } from '../format.js';

/** A count that may be published: its value, or suppressed (shown as `<threshold`). */
export type PublicCount = { value: number; suppressed: false } | { value: null; suppressed: true };

export interface PublicSummary {
  period: { from: string; to: string };
  total: number;
  disbursements: PublicCount;
  peopleCumulative: PublicCount;
  cases: PublicCount;
  peopleUnique: PublicCount;
  categories: { code: string; labelJa: string; labelEn: string; amount: number; share: number }[];
  /** amount null: fewer than the threshold of disbursements that month, so not shown. */
  months: { month: string; amount: number | null; disbursements: PublicCount }[];
  threshold: number;
}

/** SPEC §8: counts from 1 to threshold−1 could single someone out; zero cannot. */
export function publicCount(value: number, threshold: number): PublicCount {
  return value > 0 && value < threshold ? { value: null, suppressed: true } : { value, suppressed: false };
}

/**
 * What may be published from a summary: totals, category amounts and shares, monthly totals;
 * small counts suppressed, and a month's amount hidden when few disbursements make it up (it
 * would come close to one person's aid). No ledger rows, no payee, no dates.
 */
export function toPublicSummary(summary: Summary, threshold: number): PublicSummary {
  return {
    period: summary.period,
    total: summary.total,
    disbursements: publicCount(summary.disbursements, threshold),
    peopleCumulative: publicCount(summary.peopleCumulative, threshold),
    cases: publicCount(summary.cases, threshold),
    peopleUnique: publicCount(summary.peopleUnique, threshold),
    categories: summary.byCategory.map(({ code, labelJa, labelEn, amount, share }) => ({ code, labelJa, labelEn, amount, share })),
    months: summary.byMonth.map((m) => {
      const disbursements = publicCount(m.disbursements, threshold);
      return { month: m.month, amount: disbursements.suppressed ? null : m.amount, disbursements };
    }),
    threshold,
  };
}

/** 約658万円 / approx. ¥6,580,000: rounded to 10,000 yen for campaign text; small amounts stay exact. */
export function approximateYen(amount: number, locale: Locale): string {
  const rounded = amount < 10_000 ? amount : Math.round(amount / 10_000) * 10_000;
  const exact = rounded === amount;
  if (locale === 'ja') return `${exact ? '' : '約'}${formatYenCampaign(rounded)}`;
  return `${exact ? '' : 'approx. '}${formatYen(rounded)}`;
}
