import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import type { Locale } from '../../db/schema.js';
import { TIME_ZONE } from './dates.js';

/** ¥17,644,244 — tables (SPEC §3). */
export function formatYen(amount: number): string {
  return `¥${amount.toLocaleString('en-US')}`;
}

/** 1,764万4,244円, 1億2,000万円 — the campaign style for headlines (SPEC §3). */
export function formatYenCampaign(amount: number): string {
  if (!Number.isSafeInteger(amount)) throw new RangeError('amount must be an integer');
  const sign = amount < 0 ? '-' : '';
  let rest = Math.abs(amount);
  const oku = Math.floor(rest / 100_000_000);
  rest %= 100_000_000;
  const man = Math.floor(rest / 10_000);
  const yen = rest % 10_000;
  const group = (n: number) => n.toLocaleString('en-US');
  let text = '';
  if (oku > 0) text += `${group(oku)}億`;
  if (man > 0) text += `${group(man)}万`;
  if (yen > 0 || text === '') text += group(yen);
  return `${sign}${text}円`;
}

/** Calendar dates are shown as stored, YYYY-MM-DD (西暦). */
export function formatDate(date: string): string {
  return date;
}

export function formatDateTime(value: string | Date, _locale: Locale): string {
  return format(new TZDate(new Date(value).getTime(), TIME_ZONE), 'yyyy-MM-dd HH:mm');
}
