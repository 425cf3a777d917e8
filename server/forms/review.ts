import { z } from 'zod';
import { DomainError, NotFound } from '../domain/errors.js';
import { idField, requiredText } from './fields.js';

export const REASON_MAX = 1000;

/** The hidden version a decision form carries: the state the page showed. */
const versionField = z.string({ error: 'validation.required' }).regex(/^[1-9][0-9]{0,9}$/, { error: 'validation.invalid' }).transform(Number);

export const decisionForm = z.object({ version: versionField });
export const reasonForm = z.object({ version: versionField, reason: requiredText(REASON_MAX) });

/** A record id in a path: anything but a plain positive number is a page that does not exist. */
export function parseIdParam(value: unknown): number {
  if (typeof value !== 'string' || !/^[1-9][0-9]{0,9}$/.test(value)) throw new NotFound();
  return Number(value);
}

/** Query values: absent and empty (an unchosen select) are the same. */
// `.optional()` first, so a missing key stays optional after the transform.
export const queryId = z
  .union([z.literal(''), idField])
  .optional()
  .transform((v) => (v === '' ? undefined : v));
export const queryPage = z
  .union([z.literal(''), z.string().regex(/^[1-9][0-9]{0,5}$/).transform(Number)])
  .optional()
  .transform((v) => (v === '' || v === undefined ? 1 : v));
export const queryToken = (pattern: RegExp) =>
  z
    .union([z.literal(''), z.string().regex(pattern)])
    .optional()
    .transform((v) => (v === '' ? undefined : v));

export const reviewQuery = z.object({
  org: queryId,
  fund: queryId,
  category: queryToken(/^[a-z][a-z0-9_]{1,31}$/),
  page: queryPage,
});

/** A malformed query string is the client's mistake: 400, never 500 (SPEC conventions). */
export function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.output<S> {
  const result = schema.safeParse(query ?? {});
  if (!result.success) throw new DomainError('errors.badRequest');
  return result.data;
}
