import { describe, expect, it } from 'vitest';
import { manualClock } from '../../server/domain/clock.js';
import { daysInMonth, isCalendarDate, todayInTokyo, tokyoDateTime, tokyoDayEnd, tokyoDayStart, tokyoWallClock } from '../../server/domain/dates.js';
import { periodLockForm } from '../../server/forms/period-lock.js';
import { auditQuery } from '../../server/forms/audit-filter.js';

describe('calendar dates (one module for forms, queries and periods)', () => {
  it('accepts real days, leap days included', () => {
    for (const d of ['2024-02-29', '2000-02-29', '2025-12-31', '2025-01-01', '2025-04-30', '0000-02-29']) expect(isCalendarDate(d), d).toBe(true);
  });

  it('refuses days that do not exist and other spellings', () => {
    for (const d of [
      '2023-02-29',
      '1900-02-29',
      '2025-13-01',
      '2025-00-10',
      '2025-04-31',
      '2025-01-00',
      '2025-1-1',
      '2025-01-1',
      '25-01-01',
      '2025/01/01',
      '2025-01-01T00:00',
      ' 2025-01-01',
      '２０２５-01-01',
      '',
    ]) {
      expect(isCalendarDate(d), d).toBe(false);
    }
  });

  it('counts the days of every month, years below 100 too', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => daysInMonth(2024, m))).toEqual([31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);
    expect(daysInMonth(2023, 2)).toBe(28);
    expect(daysInMonth(4, 2)).toBe(29);
    expect(daysInMonth(100, 2)).toBe(28);
  });

  it('the period-lock form and the audit filter use the same rule', () => {
    const lock = (d: string) => periodLockForm.safeParse({ startsOn: d, endsOn: d, note: 'n' }).success;
    expect(lock('2024-02-29')).toBe(true);
    expect(lock('2023-02-29')).toBe(false);
    expect(auditQuery.safeParse({ from: '2024-02-29' }).success).toBe(true);
    expect(auditQuery.safeParse({ from: '2025-13-01' }).success).toBe(false);
    expect(auditQuery.safeParse({ from: '2025-1-1' }).success).toBe(false);
  });
});

describe('Japan time', () => {
  it('the day turns at 15:00 UTC', () => {
    expect(todayInTokyo(manualClock('2025-06-30T14:59:59.999Z'))).toBe('2025-06-30');
    expect(todayInTokyo(manualClock('2025-06-30T15:00:00Z'))).toBe('2025-07-01');
    expect(todayInTokyo(manualClock('2024-02-28T15:00:00Z'))).toBe('2024-02-29');
  });

  it('a Tokyo day as UTC instants', () => {
    expect(tokyoDayStart('2024-03-01')).toBe('2024-02-29T15:00:00.000Z');
    expect(tokyoDayEnd('2024-02-29')).toBe('2024-02-29T15:00:00.000Z');
    expect(tokyoDayEnd('2025-12-31')).toBe('2025-12-31T15:00:00.000Z');
  });

  it('instants shown as Japan wall time', () => {
    expect(tokyoDateTime('2025-12-31T15:00:00Z')).toBe('2026-01-01 00:00:00');
    expect(tokyoWallClock('2025-12-31T15:00:00Z').toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });
});
