import { z } from 'zod';
import { requiredText } from './fields.js';

export const LOCK_NOTE_MAX = 500;
export const UNLOCK_REASON_MAX = 1000;

/** A real calendar date written YYYY-MM-DD (no 2025-02-30). */
export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

const lockDate = z
  .string({ error: 'validation.required' })
  .trim()
  .min(1, { error: 'validation.required' })
  .refine(isCalendarDate, { error: 'locks.invalidDate' })
  .refine((v) => v >= '2000-01-01', { error: 'locks.tooEarly' });

export const periodLockForm = z.object({
  startsOn: lockDate,
  endsOn: lockDate,
  note: requiredText(LOCK_NOTE_MAX),
});

export const unlockForm = z.object({ reason: requiredText(UNLOCK_REASON_MAX) });
