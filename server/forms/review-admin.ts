import { z } from 'zod';
import { parseYen } from '../domain/money.js';
import { MAX_THRESHOLD } from '../domain/second-approval.js';
import { PRESET_MAX } from '../domain/rejection-reasons.js';
import { blankMissing, requiredText } from './fields.js';

export const rejectionReasonForm = blankMissing(z.object({ text: requiredText(PRESET_MAX) }));

/** 管理 → 財源 → 確認のルール: an optional yen threshold and the receipt deadline in days. */
export const reviewRuleForm = blankMissing(
  z.object({
    twoApprovalsAbove: z.string({ error: 'validation.invalid' }).transform((v, ctx) => {
      if (v.trim() === '') return null;
      const parsed = parseYen(v, MAX_THRESHOLD);
      if (!parsed.ok) {
        ctx.addIssue({
          code: 'custom',
          message:
            parsed.problem === 'money.tooLarge' ? 'reviewRules.thresholdTooLarge' : parsed.problem === 'money.tooSmall' ? 'money.invalid' : parsed.problem,
        });
        return z.NEVER;
      }
      return parsed.value;
    }),
    receiptDueDays: z
      .string({ error: 'validation.required' })
      .transform((v) => v.normalize('NFKC').trim())
      .pipe(
        z
          .string()
          .regex(/^[0-9]{1,3}$/, { error: 'reviewRules.dueDaysRange' })
          .transform(Number),
      )
      .pipe(z.number().min(1, { error: 'reviewRules.dueDaysRange' }).max(365, { error: 'reviewRules.dueDaysRange' })),
  }),
);
