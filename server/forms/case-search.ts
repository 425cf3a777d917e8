import { z } from 'zod';
import { CASE_STATUSES, RESIDENCE_STATUSES } from '../domain/enums.js';
import { CASE_SORTS, HOUSEHOLD_FILTERS, type CaseSearch } from '../domain/case-search.js';
import { NATIONALITY_CODES } from '../domain/nationalities.js';
import { PREFECTURE_CODES } from '../domain/prefectures.js';
import { queryDate, queryId, queryPage } from './params.js';

/** An optional choice from a fixed list, where '' (an unchosen select) is absent. */
const pick = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .union([z.literal(''), z.enum(values)])
    .optional()
    .transform((v) => (v === '' ? undefined : v));

const filters = {
  q: z.string().max(100).optional().default(''),
  org: queryId,
  status: pick(CASE_STATUSES),
  household: pick(HOUSEHOLD_FILTERS),
  nationality: pick(NATIONALITY_CODES as unknown as [string, ...string[]]),
  residence: pick(RESIDENCE_STATUSES),
  prefecture: pick([...PREFECTURE_CODES, 'unknown'] as unknown as [string, ...string[]]),
  aidFrom: queryDate,
  aidTo: queryDate,
  sort: z
    .union([z.literal(''), z.enum(CASE_SORTS)])
    .optional()
    .transform((v) => (v === '' || v === undefined ? 'newest' : v)),
  page: queryPage,
};

/** GET /cases: code search and filters; everything here may sit in a URL (no identity). */
export const caseListQuery = z.object(filters);
export type CaseListQuery = z.output<typeof caseListQuery>;

/** POST /cases/search: the alias travels in the body only, never in a URL or a log line. */
export const aliasSearchForm = z.object({ ...filters, alias: z.string().max(100).optional().default('') });

export function toCaseSearch(q: CaseListQuery, alias?: string): CaseSearch {
  return {
    code: q.q || undefined,
    alias: alias === undefined || alias.trim() === '' ? undefined : alias,
    organizationId: q.org,
    status: q.status,
    household: q.household,
    nationality: q.nationality,
    residenceStatus: q.residence as CaseSearch['residenceStatus'],
    prefecture: q.prefecture,
    lastAidFrom: q.aidFrom,
    lastAidTo: q.aidTo,
    sort: q.sort,
    page: q.page,
  };
}

/** The filters as a query string for page links (no alias, ever). */
export function caseListQueryString(q: CaseListQuery, page: number): string {
  const params = new URLSearchParams();
  const entries: [string, string | number | undefined][] = [
    ['q', q.q || undefined],
    ['org', q.org],
    ['status', q.status],
    ['household', q.household],
    ['nationality', q.nationality],
    ['residence', q.residence],
    ['prefecture', q.prefecture],
    ['aidFrom', q.aidFrom],
    ['aidTo', q.aidTo],
    ['sort', q.sort === 'newest' ? undefined : q.sort],
  ];
  for (const [k, v] of entries) if (v !== undefined) params.set(k, String(v));
  params.set('page', String(page));
  return params.toString();
}
