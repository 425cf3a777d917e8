// Dates and months as each UI language writes them (Intl.DateTimeFormat). Display only:
// inputs (type=date), CSV/XLSX cells and URLs keep ISO dates.
import type { Locale } from '../../db/schema.js';
import { intlLocale } from '../i18n/languages.js';
import { isCalendarDate, TIME_ZONE } from './dates.js';

// Plain `en` is US style (Apr 1, 2025); the network writes 1 Apr 2025, as in the UK.
const dateLocale = (locale: Locale) => (locale === 'en' ? 'en-GB' : intlLocale(locale));

const cache = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: Locale, kind: 'day' | 'month' | 'monthShort' | 'year' | 'time'): Intl.DateTimeFormat {
  const id = `${locale}:${kind}`;
  let f = cache.get(id);
  if (!f) {
    const options: Intl.DateTimeFormatOptions =
      kind === 'day'
        ? { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }
        : kind === 'month' || kind === 'monthShort'
          ? { year: 'numeric', month: kind === 'month' ? 'long' : 'short', timeZone: 'UTC' }
          : kind === 'year'
            ? { year: 'numeric', timeZone: 'UTC' }
            : { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: TIME_ZONE };
    f = new Intl.DateTimeFormat(dateLocale(locale), options);
    cache.set(id, f);
  }
  return f;
}

const utc = (y: number, m: number, d: number) => {
  const date = new Date(0);
  date.setUTCFullYear(y, m - 1, d);
  return date;
};

/** A calendar date YYYY-MM-DD: 2025年4月1日 / 1 Apr 2025 / 1 thg 4, 2025 … Anything else is shown as given. */
export function formatDate(date: string, locale: Locale): string {
  if (!isCalendarDate(date)) return date;
  return formatter(locale, 'day').format(utc(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))));
}

/** A month YYYY-MM (or any date in it): 2025年4月 / April 2025 / tháng 4 năm 2025 … */
export function formatMonth(month: string, locale: Locale): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])/.test(month)) return month;
  return formatter(locale, 'month').format(utc(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 1));
}

/** A month in few characters, for a chart's axis: 2025年4月 / Apr 2025 / thg 4 2025 … */
export function formatMonthShort(month: string, locale: Locale): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])/.test(month)) return month;
  return formatter(locale, 'monthShort').format(utc(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 1));
}

/** A calendar year: 2025年 / 2025 / २०२५. */
export function formatYear(year: number, locale: Locale): string {
  return formatter(locale, 'year').format(utc(year, 7, 1));
}

/** A year as a bare number in the language's digits (for FY{year}): 2024 / २०२४. */
export function formatYearNumber(year: number, locale: Locale): string {
  return new Intl.NumberFormat(intlLocale(locale), { useGrouping: false }).format(year);
}

/** An instant, in Japan time: 2025年4月1日 09:05 / 1 Apr 2025, 09:05. */
export function formatDateTime(value: string | Date, locale: Locale): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return formatter(locale, 'time').format(date);
}
