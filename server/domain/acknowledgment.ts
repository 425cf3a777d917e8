import type { Locale } from '../../db/schema.js';
import { categoryLabel } from './categories.js';
import { Conflict } from './errors.js';
import type { DisbursementDetail } from './disbursements.js';
import { yenInKanji } from './kanji-amount.js';

export type Paper = 'a4' | 'a5';
export const PAPERS: readonly Paper[] = ['a4', 'a5'];

/** A record a recipient can still sign for: not refused, taken back or voided. */
const PRINTABLE = new Set(['pending', 'approved']);

/**
 * What a recipient's acknowledgment (受領書) holds: date, amount, what it was for, the group.
 * Built from the record alone — no alias, contact, payee or note: the name is written by hand.
 */
export function acknowledgmentOf(detail: DisbursementDetail, locales: readonly Locale[]) {
  const { d } = detail;
  if (!PRINTABLE.has(d.status)) throw new Conflict('acknowledgment.notPrintable');
  return {
    id: d.id,
    paidOn: d.paidOn,
    total: detail.total,
    totalInKanji: yenInKanji(detail.total),
    organizationName: detail.organizationName,
    purposes: Object.fromEntries(locales.map((locale) => [locale, detail.lines.map((l) => categoryLabel(l, locale))])) as Record<Locale, string[]>,
  };
}
