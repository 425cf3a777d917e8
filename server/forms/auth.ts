import { z } from 'zod';
import { choice } from './fields.js';
import { LOCALES } from '../domain/enums.js';

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

export const localeForm = z.object({ locale: choice(LOCALES) });

/** Only same-site paths: never an absolute URL or a protocol-relative one. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[\x21-\x7e]*$/.test(next) ? next : '/';
}

/**
 * The page to return to after sign-in, as `next=`: the path and its query without `q`, which
 * may be a search term typed by a person (an alias), so it never travels in a URL again.
 */
export function nextAfterSignIn(url: string): string {
  const at = url.indexOf('?');
  if (at === -1) return url;
  const query = new URLSearchParams(url.slice(at + 1));
  query.delete('q');
  const rest = query.toString();
  return rest === '' ? url.slice(0, at) : `${url.slice(0, at)}?${rest}`;
}
