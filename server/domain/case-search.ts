import { and, asc, count, desc, eq, gte, inArray, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { cases, disbursements, organizations, type CASE_STATUSES, type RESIDENCE_STATUSES } from '../../db/schema.js';
import { scopeTo, type Actor } from './actor.js';
import { canSearchByAlias, CASES_PAGE_SIZE } from './cases.js';
import type { FieldCipher } from './field-crypto.js';

export const CASE_SORTS = ['newest', 'code', 'last_aid', 'household'] as const;
export type CaseSort = (typeof CASE_SORTS)[number];
export const HOUSEHOLD_FILTERS = ['1', '2', '3', '4', '5plus'] as const;

export interface CaseSearch {
  /** Any part of a case code: 「0015」, 「15」, 「TKY」, 「TKY-2025-0015」. */
  code?: string | undefined;
  /** Exact alias, found through its keyed fingerprint (never stored or compared in clear). */
  alias?: string | undefined;
  organizationId?: number | undefined;
  status?: (typeof CASE_STATUSES)[number] | undefined;
  household?: (typeof HOUSEHOLD_FILTERS)[number] | undefined;
  nationality?: string | undefined;
  residenceStatus?: (typeof RESIDENCE_STATUSES)[number] | undefined;
  prefecture?: string | undefined;
  /** The date of the latest counted aid (pending or approved), inclusive range. */
  lastAidFrom?: string | undefined;
  lastAidTo?: string | undefined;
  sort: CaseSort;
  page: number;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The latest date aid reached the case, among records that are or may become money given. */
const lastAidSql = sql<
  string | null
>`(select max(${disbursements.paidOn}) from ${disbursements} where ${disbursements.caseId} = ${cases.id} and ${disbursements.status} in ('pending', 'approved'))`;

function conditions(actor: Actor, s: CaseSearch, cipher: FieldCipher): SQL[] {
  const c: SQL[] = [];
  const scope = scopeTo(actor, cases.organizationId);
  if (scope) c.push(scope);
  const code = s.code?.normalize('NFKC').trim().toUpperCase();
  if (code) c.push(sql`upper(${cases.code}) LIKE ${`%${escapeLike(code)}%`} ESCAPE '\\'`);
  // Only those who may read identity in their whole scope may find by it; others match nothing.
  if (s.alias !== undefined) c.push(canSearchByAlias(actor) ? inArray(cases.aliasIndex, cipher.aliasIndexes(s.alias.normalize('NFKC').trim())) : sql`0`);
  if (s.organizationId !== undefined) c.push(eq(cases.organizationId, s.organizationId));
  if (s.status !== undefined) c.push(eq(cases.status, s.status));
  if (s.household !== undefined) c.push(s.household === '5plus' ? gte(cases.householdSize, 5) : eq(cases.householdSize, Number(s.household)));
  if (s.nationality !== undefined) c.push(eq(cases.nationality, s.nationality));
  if (s.residenceStatus !== undefined) c.push(eq(cases.residenceStatus, s.residenceStatus));
  if (s.prefecture !== undefined) c.push(eq(cases.prefecture, s.prefecture));
  if (s.lastAidFrom !== undefined) c.push(sql`${lastAidSql} >= ${s.lastAidFrom}`);
  if (s.lastAidTo !== undefined) c.push(sql`${lastAidSql} <= ${s.lastAidTo}`);
  return c;
}

function order(sort: CaseSort): SQL[] {
  switch (sort) {
    case 'code':
      return [asc(cases.code)];
    case 'last_aid':
      // Cases never helped go last.
      return [sql`${lastAidSql} IS NULL`, desc(lastAidSql), desc(cases.id)];
    case 'household':
      return [desc(cases.householdSize), desc(cases.id)];
    default:
      return [desc(cases.id)];
  }
}

/** The case list in the actor's scope: search, filters, sort and pages (issue 13 §3). */
export function searchCasesFor(tx: Tx, actor: Actor, s: CaseSearch, cipher: FieldCipher) {
  const where = and(...conditions(actor, s, cipher));
  const total = tx.select({ n: count() }).from(cases).where(where).get()?.n ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / CASES_PAGE_SIZE));
  const page = Math.min(Math.max(1, s.page), pageCount);
  const rows = tx
    .select({
      id: cases.id,
      code: cases.code,
      status: cases.status,
      householdSize: cases.householdSize,
      openedOn: cases.openedOn,
      residenceStatus: cases.residenceStatus,
      organizationName: organizations.name,
      lastAidOn: lastAidSql,
    })
    .from(cases)
    .innerJoin(organizations, eq(organizations.id, cases.organizationId))
    .where(where)
    .orderBy(...order(s.sort))
    .limit(CASES_PAGE_SIZE)
    .offset((page - 1) * CASES_PAGE_SIZE)
    .all();
  return { rows, total, page, pageCount };
}
