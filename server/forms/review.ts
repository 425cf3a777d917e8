import { z } from 'zod';
import { DomainError } from '../domain/errors.js';
import { parseYen } from '../domain/money.js';
import { DISBURSEMENT_STATUSES } from '../domain/enums.js';
import { MAX_BULK_ITEMS } from '../domain/bulk-limits.js';
import { REVIEW_SORTS, type ReviewFilter, type ReviewSort } from '../domain/review-filter.js';
import { optionalText, requiredText } from './fields.js';
import { ID_PATTERN, parseQuery, queryDate, queryId, queryPage, queryToken } from './params.js';

export const REASON_MAX = 1000;

/** The hidden version a decision form carries: the state the page showed. */
const versionField = z.string({ error: 'validation.required' }).regex(ID_PATTERN, { error: 'validation.invalid' }).transform(Number);

export const decisionForm = z.object({ version: versionField });
export const reasonForm = z.object({ version: versionField, reason: requiredText(REASON_MAX) });

/** Typed as on the disbursement form (12,000 / ¥12,000 / １２０００). */
const queryYen = z
  .union([z.literal(''), z.string().max(30)])
  .optional()
  .transform((v, ctx) => {
    if (v === undefined || v.trim() === '') return undefined;
    const parsed = parseYen(v, Number.MAX_SAFE_INTEGER);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: parsed.problem });
      return z.NEVER;
    }
    return parsed.value;
  });

export const reviewQuery = z.object({
  org: queryId,
  fund: queryId,
  category: queryToken(/^[a-z][a-z0-9_]{1,31}$/),
  from: queryDate,
  to: queryDate,
  min: queryYen,
  max: queryYen,
  submitter: queryId,
  receipt: queryToken(/^(yes|no)$/),
  sort: z
    .union([z.literal(''), z.enum(REVIEW_SORTS)])
    .optional()
    .transform((v): ReviewSort => (v === '' || v === undefined ? 'age' : v)),
  page: queryPage,
});
export type ReviewQuery = z.output<typeof reviewQuery>;

export function toReviewFilter(q: ReviewQuery): ReviewFilter {
  return {
    organizationId: q.org,
    fundId: q.fund,
    categoryCode: q.category,
    from: q.from,
    to: q.to,
    minAmount: q.min,
    maxAmount: q.max,
    submittedBy: q.submitter,
    hasReceipt: q.receipt === undefined ? undefined : q.receipt === 'yes',
    sort: q.sort,
  };
}

/** The filter as a query string (no page), to carry from the queue to a record and back. */
export function reviewQueryString(q: ReviewQuery): string {
  const params = new URLSearchParams();
  const put = (key: string, value: string | number | undefined) => {
    if (value !== undefined) params.set(key, String(value));
  };
  put('org', q.org);
  put('fund', q.fund);
  put('category', q.category);
  put('from', q.from);
  put('to', q.to);
  put('min', q.min);
  put('max', q.max);
  put('submitter', q.submitter);
  put('receipt', q.receipt);
  // Always present, so "the queue with no filter" is still a non-empty value to carry.
  params.set('sort', q.sort);
  return params.toString();
}

/**
 * The `queue` value a record page and its decision forms carry (approve-and-next): a filter query
 * string. Absent → null; malformed → 400.
 */
export function parseQueueField(value: unknown): ReviewQuery | null {
  if (value === undefined || value === '') return null;
  if (typeof value !== 'string' || value.length > 500) throw new DomainError('errors.badRequest');
  return parseQuery(reviewQuery, Object.fromEntries(new URLSearchParams(value)));
}

/** Reject: a preset reason, free text, or both; at least one. */
export const rejectForm = z
  .object({ version: versionField, preset: queryId, reason: optionalText(REASON_MAX) })
  .refine((f) => f.preset !== undefined || f.reason !== null, { path: ['reason'], error: 'validation.required' });

/** Bulk reject: the same reason for every ticked record; whether one was given is checked with the preset. */
export const bulkRejectForm = z.object({ preset: queryId, reason: optionalText(REASON_MAX) });

/** The bulk form: ticked boxes `items` = "id:version", at least one. */
export function parseBulkItems(body: unknown): { id: number; version: number }[] | null {
  const raw = (body && typeof body === 'object' ? (body as Record<string, unknown>).items : undefined) ?? [];
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length > MAX_BULK_ITEMS) throw new DomainError('errors.badRequest');
  const items: { id: number; version: number }[] = [];
  for (const value of list) {
    const m = typeof value === 'string' ? /^([1-9][0-9]{0,9}):([1-9][0-9]{0,9})$/.exec(value) : null;
    if (!m) throw new DomainError('errors.badRequest');
    items.push({ id: Number(m[1]), version: Number(m[2]) });
  }
  return items.length === 0 ? null : items;
}

/** `?queue=` on a record page opened from the queue: the normalized filter, or null when absent. */
export function queueOnRecordPage(request: { query: unknown }): string | null {
  const queue = parseQueueField((request.query as Record<string, unknown> | undefined)?.queue);
  return queue ? reviewQueryString(queue) : null;
}

/** GET /disbursements: the queue's filters plus a status. */
export const disbursementListQuery = reviewQuery.extend({
  status: z
    .union([z.literal(''), z.enum(DISBURSEMENT_STATUSES)])
    .optional()
    .transform((v) => (v === '' ? undefined : v)),
});
