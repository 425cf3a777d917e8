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

// Dates for display live in date-labels.ts (per language).
export { formatDate, formatDateTime, formatMonth } from './date-labels.js';
