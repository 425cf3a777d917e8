import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';

/** Time is injected so tests can move it; production uses the system clock. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests can set and advance. */
export function manualClock(start: Date | string = '2025-06-15T03:00:00Z'): Clock & {
  set(at: Date | string): void;
  advance(ms: number): void;
} {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    set: (at) => {
      current = new Date(at);
    },
    advance: (ms) => {
      current = new Date(current.getTime() + ms);
    },
  };
}

export const TIME_ZONE = 'Asia/Tokyo';

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
 * XLSX date cells carry no time zone and exceljs writes a Date's UTC fields. Japan has no DST.
 */
export function tokyoWallClock(iso: string): Date {
  return new Date(Date.parse(iso) + 9 * 60 * 60 * 1000);
}
