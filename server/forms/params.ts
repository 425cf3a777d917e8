import { z } from 'zod';
import { DomainError, NotFound } from '../domain/errors.js';
import { isCalendarDate } from '../domain/dates.js';

/**
 * The one place that reads ids and query values out of a URL. Ids are ASCII digits with no
 * leading zero and at most ten of them (so always a safe integer): `0`, `01`, `1e3`, `-1`, ` 1`
 * and `١` are not ids.
 */
export const ID_PATTERN = /^[1-9][0-9]{0,9}$/;

export const isId = (value: unknown): value is string => typeof value === 'string' && ID_PATTERN.test(value);

/** A positive whole number typed as ASCII digits (ids, sizes) in a form. */
export const idField = z.string({ error: 'validation.required' }).regex(ID_PATTERN, { error: 'validation.invalidChoice' }).transform(Number);

/** A record id in the path (`:id` unless named): anything but a plain positive number is a page that does not exist (404). */
export function pathId(request: { params: unknown }, name = 'id'): number {
  const value = (request.params as Record<string, unknown> | undefined)?.[name];
  if (!isId(value)) throw new NotFound();
  return Number(value);
}

/** An id in the query string that the request cannot do without: absent or malformed is 400. */
export function requiredQueryId(value: unknown): number {
  if (!isId(value)) throw new DomainError('errors.badRequest');
  return Number(value);
}

/** Query values: absent and empty (an unchosen select) are the same. */
// `.optional()` first, so a missing key stays optional after the transform.
export const queryId = z
  .union([z.literal(''), idField])
  .optional()
  .transform((v) => (v === '' ? undefined : v));
export const queryPage = z
  .union([
    z.literal(''),
    z
      .string()
      .regex(/^[1-9][0-9]{0,5}$/)
      .transform(Number),
  ])
  .optional()
  .transform((v) => (v === '' || v === undefined ? 1 : v));
export const queryToken = (pattern: RegExp) =>
  z
    .union([z.literal(''), z.string().regex(pattern)])
    .optional()
    .transform((v) => (v === '' ? undefined : v));
export const queryDate = z
  .union([z.literal(''), z.string().refine(isCalendarDate)])
  .optional()
  .transform((v) => (v === '' ? undefined : v));

/** A malformed query string is the client's mistake: 400, never 500 (SPEC conventions). */
export function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.output<S> {
  const result = schema.safeParse(query ?? {});
  if (!result.success) throw new DomainError('errors.badRequest');
  return result.data;
}
