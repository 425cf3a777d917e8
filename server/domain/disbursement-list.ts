import { and, asc, count, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { cases, categories, disbursementLines, disbursements, funds, organizations, users, type DisbursementStatus } from '../../db/schema.js';
import { scopeTo, type Actor } from './actor.js';
import { filterConditions, filterOrder, totalSql, type ReviewFilter } from './review-filter.js';

export const DISBURSEMENT_LIST_PAGE_SIZE = 50;

export interface DisbursementListFilter extends ReviewFilter {
  status?: DisbursementStatus | undefined;
  page: number;
}

export interface LineSummary {
  disbursementId: number;
  labelJa: string;
  labelEn: string;
  amount: number;
}

/** Category lines of some records, in their order: what the money was for. */
export function linesOf(tx: Tx, ids: number[]): LineSummary[] {
  if (ids.length === 0) return [];
  return tx
    .select({ disbursementId: disbursementLines.disbursementId, labelJa: categories.labelJa, labelEn: categories.labelEn, amount: disbursementLines.amount })
    .from(disbursementLines)
    .innerJoin(categories, eq(categories.id, disbursementLines.categoryId))
    .where(inArray(disbursementLines.disbursementId, ids))
    .orderBy(asc(disbursementLines.disbursementId), asc(disbursementLines.position))
    .all();
}

/** GET /disbursements: every record the actor may see, with the queue's filters plus status. */
export function listDisbursementsFor(tx: Tx, actor: Actor, filter: DisbursementListFilter) {
  const where = and(
    scopeTo(actor, disbursements.organizationId),
    filter.status === undefined ? undefined : eq(disbursements.status, filter.status),
    ...filterConditions(tx, filter),
  );
  const total = tx.select({ n: count() }).from(disbursements).where(where).get()?.n ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / DISBURSEMENT_LIST_PAGE_SIZE));
  const page = Math.min(Math.max(1, filter.page), pageCount);
  const rows = tx
    .select({
      id: disbursements.id,
      paidOn: disbursements.paidOn,
      status: disbursements.status,
      caseId: disbursements.caseId,
      caseCode: cases.code,
      organizationName: organizations.name,
      fundName: funds.name,
      submittedAt: disbursements.submittedAt,
      total: totalSql,
    })
    .from(disbursements)
    .innerJoin(cases, eq(cases.id, disbursements.caseId))
    .innerJoin(organizations, eq(organizations.id, disbursements.organizationId))
    .innerJoin(funds, eq(funds.id, disbursements.fundId))
    .where(where)
    .orderBy(...filterOrder(filter.sort))
    .limit(DISBURSEMENT_LIST_PAGE_SIZE)
    .offset((page - 1) * DISBURSEMENT_LIST_PAGE_SIZE)
    .all();
  const lines = linesOf(
    tx,
    rows.map((r) => r.id),
  );
  return { rows: rows.map((r) => ({ ...r, lines: lines.filter((l) => l.disbursementId === r.id) })), total, page, pageCount };
}

/** People who recorded something the actor may see: a supporter never learns other groups' names. */
export function listSubmitterOptions(tx: Tx, actor: Actor) {
  return tx
    .selectDistinct({ id: users.id, name: users.displayName })
    .from(users)
    .innerJoin(disbursements, eq(disbursements.submittedBy, users.id))
    .where(scopeTo(actor, disbursements.organizationId))
    .orderBy(asc(users.displayName))
    .all();
}
