import { z } from 'zod';
import { REVEAL_REASONS } from '../domain/identity-reveals.js';
import { choice } from './fields.js';

/** 「本人情報を表示」: a preset reason, and words (required for "other"). */
export const revealForm = z
  .object({
    reason: choice(REVEAL_REASONS),
    reasonText: z.string().trim().max(300, { error: 'reveal.reasonTooLong' }).optional().default(''),
  })
  .refine((v) => v.reason !== 'other' || v.reasonText !== '', { path: ['reasonText'], error: 'reveal.reasonTextRequired' });

/** ?month=YYYY-MM on the report; absent means the newest month with reveals. */
export const revealReportQuery = z.object({
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
    .optional(),
});

/** Erasing a case's identity on request: the reason is required and kept in the audit trail. */
export const purgeForm = z.object({
  purgeReason: z.string({ error: 'validation.required' }).trim().min(1, { error: 'validation.required' }).max(300, { error: 'reveal.reasonTooLong' }),
});

/** Years a closed case keeps its identity: 1 at least (the floor), 50 at most. */
export const retentionForm = z.object({
  identityYears: z
    .string({ error: 'validation.required' })
    .trim()
    .regex(/^[0-9]{1,2}$/, { error: 'retention.range' })
    .transform(Number)
    .refine((n) => n >= 1 && n <= 50, { error: 'retention.range' }),
  /** Receipt files of erased cases: 7 years at least (bookkeeping), 50 at most. */
  receiptYears: z
    .string({ error: 'validation.required' })
    .trim()
    .regex(/^[0-9]{1,2}$/, { error: 'retention.receiptRange' })
    .transform(Number)
    .refine((n) => n >= 7 && n <= 50, { error: 'retention.receiptRange' }),
});
