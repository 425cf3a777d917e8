import type { Locale } from '../../../db/schema.js';
import { formatYen, formatYenCampaign } from '../format.js';
import { dataLocale } from '../../i18n/languages.js';
import { translator } from '../../i18n/index.js';

/**
 * 約658万円 / approx. ¥6,580,000: every amount in campaign text is rounded to 10,000 yen (SPEC §8
 * rule f), so a sentence copied to a web page never carries an exact sum; exact yen stay in the
 * table, and only for the cells that pass disclosure control.
 */
export function approximateYen(amount: number, locale: Locale): string {
  const t = translator(locale);
  if (amount > 0 && amount < 5_000) return t('figures.underTenThousand');
  const rounded = Math.round(amount / 10_000) * 10_000;
  // Yen stay ¥6,580,000 in every language; Japanese text writes 658万円.
  const text = dataLocale(locale) === 'ja' ? formatYenCampaign(rounded) : formatYen(rounded);
  return rounded === amount ? text : t('figures.approx', { amount: text });
}
