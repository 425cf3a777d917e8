import { TZDate } from '@date-fns/tz';
import { addDays, format } from 'date-fns';
import type { Clock } from './clock.js';

/**
 * Calendar dates and Japan time, in one place. A calendar date is a string YYYY-MM-DD (SPEC §3)
 * and means a day in Asia/Tokyo; instants are stored as UTC ISO strings. Japan has no DST.
 */
export const TIME_ZONE = 'Asia/Tokyo';

/** Days in a month of the proleptic Gregorian calendar (years 0–99 too, which Date.UTC maps to 19xx). */
export function daysInMonth(year: number, month: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month, 0);
  return date.getUTCDate();
}

/** A real calendar date written YYYY-MM-DD: 2024-02-29 is one; 2023-02-29, 2025-13-01 and 2025-1-1 are not. */
export function isCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

/** Today's calendar date in Asia/Tokyo, YYYY-MM-DD (SPEC §3). */
export function todayInTokyo(clock: Clock): string {
  return format(new TZDate(clock.now().getTime(), TIME_ZONE), 'yyyy-MM-dd');
}

/** An instant (ISO string) as Japan time, `YYYY-MM-DD HH:mm:ss`: what exports show (issue 12). */
export function tokyoDateTime(iso: string): string {
  return format(new TZDate(Date.parse(iso), TIME_ZONE), 'yyyy-MM-dd HH:mm:ss');
}

/**
 * An instant as a spreadsheet cell: a Date whose UTC fields are the Tokyo wall time, because
 * XLSX date cells carry no time zone and exceljs writes a Date's UTC fields.
 */
export function tokyoWallClock(iso: string): Date {
  return new Date(Date.parse(iso) + 9 * 60 * 60 * 1000);
}

/** Start of a Tokyo calendar day as the UTC instant stored in timestamps. */
export function tokyoDayStart(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(new TZDate(y, m - 1, d, TIME_ZONE).getTime()).toISOString();
}

/** Start of the next Tokyo calendar day: the exclusive end of `date`. */
export function tokyoDayEnd(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(addDays(new TZDate(y, m - 1, d, TIME_ZONE), 1).getTime()).toISOString();
}
