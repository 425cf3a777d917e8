import { z } from 'zod';
import { RECEIVED_BY } from '../domain/enums.js';
import { parseYen } from '../domain/money.js';
import { blankMissing, choice, requiredText } from './fields.js';

/** 領収書紛失届: why, the amount confirmed, and what kind of person received the money (never a name). */
export const lostReceiptForm = blankMissing(
  z.object({
    reason: requiredText(1000),
    amountConfirmed: z.string({ error: 'money.required' }).transform((v, ctx) => {
      const parsed = parseYen(v);
      if (!parsed.ok) {
        ctx.addIssue({ code: 'custom', message: parsed.problem });
        return z.NEVER;
      }
      return parsed.value;
    }),
    receivedBy: choice(RECEIVED_BY),
  }),
);
