import { z } from 'zod';
import { ID_PATTERN } from './params.js';

/** A TOTP code or a recovery code, as typed (spaces, dashes and full-width digits are fine). */
export const factorCodeForm = z.object({
  code: z.string({ error: 'validation.required' }).trim().min(1, { error: 'validation.required' }).max(64, { error: 'secondFactor.wrongCode' }),
});

/** Why an admin clears someone's factor: required, and kept in the audit trail. */
export const factorResetForm = z.object({
  reason: z.string({ error: 'validation.required' }).trim().min(1, { error: 'validation.required' }).max(500, { error: 'accounts.reasonTooLong' }),
});

/** The public handle of one of the user's own sessions. */
export const sessionRevokeForm = z.object({
  session: z.string({ error: 'validation.required' }).regex(ID_PATTERN, { error: 'validation.invalid' }).transform(Number),
});
