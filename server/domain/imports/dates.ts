/**
 * Dates as people keep them in Japanese sheets: ISO and slashed dates, 年月日, the 年号
 * (令和5年7月4日, R5.7.4, H31.4.30, 昭和64年1月7日, 令和元年) and Excel serial numbers.
 * Everything becomes YYYY-MM-DD or a reason; a day the era did not have is refused.
 */

interface Era {
  start: string;
  end: string;
  firstYear: number;
}

const ERAS: Record<string, Era> = {
  showa: { start: '1926-12-25', end: '1989-01-07', firstYear: 1926 },
  heisei: { start: '1989-01-08', end: '2019-04-30', firstYear: 1989 },
  reiwa: { start: '2019-05-01', end: '9999-12-31', firstYear: 2019 },
};

const ERA_NAMES: Record<string, keyof typeof ERAS> = {
  昭和: 'showa',
  昭: 'showa',
  s: 'showa',
  平成: 'heisei',
  平: 'heisei',
  h: 'heisei',
  令和: 'reiwa',
  令: 'reiwa',
  r: 'reiwa',
  // The one-character ligatures ㍼ ㍻ ㋿ become 昭和 平成 令和 under NFKC.
};

export type DateProblem = 'imports.date.format' | 'imports.date.notADate' | 'imports.date.outsideEra';
export type DateResult = { ok: true; value: string } | { ok: false; problem: DateProblem };

const pad = (n: number) => String(n).padStart(2, '0');

/** A real calendar day, as YYYY-MM-DD, or null. */
export function calendarDate(y: number, m: number, d: number): string | null {
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1000 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${y}-${pad(m)}-${pad(d)}`;
}

/**
 * Excel's day number (1900 system: 1 = 1900-01-01, with Lotus's phantom 1900-02-29 as 60).
 * A time of day (the fraction) is dropped: the record keeps the calendar day.
 */
export function excelSerialToDate(serial: number): string | null {
  if (!Number.isFinite(serial) || serial < 61 || serial >= 2_958_466) return null;
  const day = new Date(Date.UTC(1899, 11, 30) + Math.floor(serial) * 86_400_000);
  return `${day.getUTCFullYear()}-${pad(day.getUTCMonth() + 1)}-${pad(day.getUTCDate())}`;
}

const GREGORIAN = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/;
const ERA_DATE = /^(昭和|平成|令和|昭|平|令|[shr])\s*(元|\d{1,2})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?$/;
const SERIAL = /^\d{5}(?:\.\d+)?$/;

/** Read one date cell's text (already a string; a workbook's date cells arrive as YYYY-MM-DD). */
export function parseSheetDate(input: string): DateResult {
  // NFKC folds full-width digits and the ㍻-style ligatures; a time after the date is ignored.
  const text = input
    .normalize('NFKC')
    .trim()
    .toLowerCase()
    .replace(/[ t]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?z?$/, '');
  if (SERIAL.test(text)) {
    const value = excelSerialToDate(Number(text));
    return value ? { ok: true, value } : { ok: false, problem: 'imports.date.notADate' };
  }
  const g = GREGORIAN.exec(text);
  if (g) {
    const value = calendarDate(Number(g[1]), Number(g[2]), Number(g[3]));
    return value ? { ok: true, value } : { ok: false, problem: 'imports.date.notADate' };
  }
  const e = ERA_DATE.exec(text);
  if (e) {
    const era = ERAS[ERA_NAMES[e[1]!]!]!;
    const year = era.firstYear + (e[2] === '元' ? 1 : Number(e[2])) - 1;
    const value = calendarDate(year, Number(e[3]), Number(e[4]));
    if (!value) return { ok: false, problem: 'imports.date.notADate' };
    if (e[2] === '0' || value < era.start || value > era.end) return { ok: false, problem: 'imports.date.outsideEra' };
    return { ok: true, value };
  }
  return { ok: false, problem: 'imports.date.format' };
}
