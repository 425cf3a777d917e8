import { z } from 'zod';
import { isCalendarDate } from '../domain/dates.js';
import { requiredText } from './fields.js';

export const LOCK_NOTE_MAX = 500;
export const UNLOCK_REASON_MAX = 1000;

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
