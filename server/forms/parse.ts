import type { z } from 'zod';

export type FieldErrors = Record<string, string>;

export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors; values: Record<string, unknown> };

/**
 * Parse what a browser sent with a zod schema whose messages are catalog keys.
 * On failure: one message key per field (the first), and the raw values to re-render the form.
 */
export function parseForm<S extends z.ZodType>(schema: S, body: unknown): FormResult<z.output<S>> {
  const values = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = issue.path.length > 0 ? issue.path.map(String).join('.') : '_form';
    errors[field] ??= issue.message.includes('.') ? issue.message : 'validation.invalid';
  }
  return { ok: false, errors, values };
}

/** A single text field as the browser sent it, or '' (arrays and objects are not text). */
export function textValue(values: Record<string, unknown>, name: string): string {
  const v = values[name];
  return typeof v === 'string' ? v : '';
}
