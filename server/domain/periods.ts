import type { Locale } from '../../db/schema.js';
import { translator } from '../i18n/index.js';
import { formatDate, formatMonth, formatYear, formatYearNumber } from './date-labels.js';
import { daysInMonth, isCalendarDate } from './dates.js';

/** An inclusive range of calendar dates, YYYY-MM-DD (SPEC §3). */
export interface Period {
  from: string;
  to: string;
}

export const MAX_REPORT_YEARS = 20;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function parts(date: string): [number, number, number] {
  return [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
}

export function monthPeriod(year: number, month: number): Period {
  // Month arithmetic that may run past December or before January.
  const y = year + Math.floor((month - 1) / 12);
  const m = ((((month - 1) % 12) + 12) % 12) + 1;
  return { from: `${y}-${pad(m)}-01`, to: `${y}-${pad(m)}-${pad(daysInMonth(y, m))}` };
}

/** Japanese fiscal year: FY2024 = 2024-04-01..2025-03-31. */
export function fiscalYearPeriod(fy: number): Period {
  return { from: `${fy}-04-01`, to: `${fy + 1}-03-31` };
}

export function fiscalYearOf(date: string): number {
  const [y, m] = parts(date);
  return m >= 4 ? y : y - 1;
}

export function calendarYearPeriod(year: number): Period {
  return { from: `${year}-01-01`, to: `${year}-12-31` };
}

export function thisMonth(today: string): Period {
  const [y, m] = parts(today);
  return monthPeriod(y, m);
}

export function lastMonth(today: string): Period {
  const [y, m] = parts(today);
  return monthPeriod(y, m - 1);
}

/** Every month YYYY-MM from the month of `from` to the month of `to`, in order. */
export function monthsBetween(from: string, to: string): string[] {
  const [y1, m1] = parts(from);
  const [y2, m2] = parts(to);
  const months: string[] = [];
  for (let i = y1 * 12 + m1 - 1; i <= y2 * 12 + m2 - 1; i += 1) months.push(`${Math.floor(i / 12)}-${pad((i % 12) + 1)}`);
  return months;
}

/** Why a range cannot be reported on, as a message key; null when it is fine. */
export function periodProblem(from: string, to: string): string | null {
  if (!isCalendarDate(from) || !isCalendarDate(to)) return 'periods.invalidDate';
  if (from > to) return 'periods.fromAfterTo';
  const [y, m, d] = parts(from);
  const limit = `${y + MAX_REPORT_YEARS}-${pad(m)}-${pad(d)}`;
  if (to >= limit) return 'periods.tooLong';
  return null;
}

const isMonthStart = (date: string) => date.endsWith('-01');
const isMonthEnd = (date: string) => {
  const [y, m, d] = parts(date);
  return d === daysInMonth(y, m);
};

/**
 * The heading for a range, in the viewer's language: 2023年7月〜2025年8月 / July 2023 – August 2025,
 * 2024年度 / FY2024, 2024年 / 2024, 2025年6月 / June 2025, or the exact days when the range is not whole months.
 */
export function periodLabel(period: Period, locale: Locale): string {
  const { from, to } = period;
  const [y1, m1, d1] = parts(from);
  const [y2, m2, d2] = parts(to);
  const t = translator(locale);
  const range = (a: string, b: string) => t('period.range', { from: a, to: b });
  if (m1 === 4 && d1 === 1 && m2 === 3 && d2 === 31 && y2 === y1 + 1) return t('period.fiscalYear', { year: formatYearNumber(y1, locale) });
  if (m1 === 1 && d1 === 1 && m2 === 12 && d2 === 31 && y1 === y2) return formatYear(y1, locale);
  if (isMonthStart(from) && isMonthEnd(to)) {
    if (y1 === y2 && m1 === m2) return formatMonth(from, locale);
    return range(formatMonth(from, locale), formatMonth(to, locale));
  }
  if (from === to) return formatDate(from, locale);
  return range(formatDate(from, locale), formatDate(to, locale));
}

/** A month YYYY-MM as a label: 2025年6月 / June 2025. */
export function monthLabel(month: string, locale: Locale): string {
  return formatMonth(month, locale);
}

export type PresetKind = 'this-month' | 'last-month' | 'fiscal-year' | 'calendar-year' | 'fund' | 'custom';

/** A preset as written in the query string: this-month, last-month, fy2024, cy2024, fund-3, custom. */
export type ParsedPreset =
  { kind: 'this-month' | 'last-month' | 'custom' } | { kind: 'fiscal-year' | 'calendar-year'; year: number } | { kind: 'fund'; fundId: number };

export function parsePreset(value: string): ParsedPreset | null {
  if (value === 'this-month' || value === 'last-month' || value === 'custom') return { kind: value };
  const year = /^(fy|cy)(\d{4})$/.exec(value);
  if (year) {
    const y = Number(year[2]);
    if (y < 2000 || y > 2100) return null;
    return { kind: year[1] === 'fy' ? 'fiscal-year' : 'calendar-year', year: y };
  }
  const fund = /^fund-([1-9][0-9]{0,9})$/.exec(value);
  if (fund) return { kind: 'fund', fundId: Number(fund[1]) };
  return null;
}

/** The period of a date-only preset (fund periods need the fund: see report-query). */
export function presetPeriod(preset: ParsedPreset, today: string): Period | null {
  if (preset.kind === 'this-month') return thisMonth(today);
  if (preset.kind === 'last-month') return lastMonth(today);
  if (preset.kind === 'fiscal-year') return fiscalYearPeriod(preset.year);
  if (preset.kind === 'calendar-year') return calendarYearPeriod(preset.year);
  return null;
}

/** The presets offered in the filter form, newest first, relative to today. */
export function presetChoices(today: string): { value: string; kind: PresetKind; year?: number }[] {
  const fy = fiscalYearOf(today);
  const cy = Number(today.slice(0, 4));
  return [
    { value: 'this-month', kind: 'this-month' },
    { value: 'last-month', kind: 'last-month' },
    ...[0, 1, 2, 3, 4].map((i) => ({ value: `fy${fy - i}`, kind: 'fiscal-year' as const, year: fy - i })),
    ...[0, 1, 2].map((i) => ({ value: `cy${cy - i}`, kind: 'calendar-year' as const, year: cy - i })),
  ];
}
