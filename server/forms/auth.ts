import { z } from 'zod';
import { choice } from './fields.js';

export const loginForm = z.object({
  email: z.string({ error: 'validation.required' }).trim().min(1, { error: 'validation.required' }).max(254, { error: 'validation.invalid' }),
  // Never trimmed or truncated: a password is exactly what was typed.
  password: z.string({ error: 'validation.required' }).min(1, { error: 'validation.required' }).max(1024, { error: 'password.tooLong' }),
  next: z.string().optional(),
});

export const passwordChangeForm = z
  .object({
    currentPassword: z.string({ error: 'validation.required' }).min(1, { error: 'validation.required' }).max(1024, { error: 'password.tooLong' }),
    newPassword: z.string({ error: 'validation.required' }).min(1, { error: 'validation.required' }).max(1024, { error: 'password.tooLong' }),
    confirmPassword: z.string({ error: 'validation.required' }),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { path: ['confirmPassword'], error: 'account.mismatch' });

export const localeForm = z.object({ locale: choice(['ja', 'en'] as const) });

/** Only same-site paths: never an absolute URL or a protocol-relative one. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[\x21-\x7e]*$/.test(next) ? next : '/';
}
