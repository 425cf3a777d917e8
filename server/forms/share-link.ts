import { z } from 'zod';
import { isCalendarDate } from '../domain/dates.js';

const date = z
  .string({ error: 'validation.required' })
  .trim()
  .min(1, { error: 'validation.required' })
  .refine(isCalendarDate, { error: 'periods.invalidDate' });

/** A share link: the period it shows and the last day it works (checked against today in the domain). */
export const shareLinkForm = z.object({ from: date, to: date, expiresOn: date });

/** The token in /share/:token; anything else is simply unknown (404). */
export const shareTokenParam = z.object({ token: z.string().regex(/^[a-z2-7]{32}$/) });
