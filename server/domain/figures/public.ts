import type { Locale } from '../../../db/schema.js';
import { formatYen, formatYenCampaign } from '../format.js';
import { dataLocale } from '../../i18n/languages.js';

/**
 * 約658万円 / approx. ¥6,580,000: every amount in campaign text is rounded to 10,000 yen (SPEC §8
 * rule f), so a sentence copied to a web page never carries an exact sum; exact yen stay in the
 * table, and only for the cells that pass disclosure control.
 */
export function approximateYen(amount: number, locale: Locale): string {
  if (amount > 0 && amount < 5_000) return dataLocale(locale) === 'ja' ? '1万円未満' : 'under ¥10,000';
  const rounded = Math.round(amount / 10_000) * 10_000;
  const exact = rounded === amount;
  if (dataLocale(locale) === 'ja') return `${exact ? '' : '約'}${formatYenCampaign(rounded)}`;
  return `${exact ? '' : 'approx. '}${formatYen(rounded)}`;
}
