import { and, asc, eq, exists, inArray, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { cases, categories, disbursementLines, disbursements, funds, organizations, receipts, users, type DisbursementStatus } from '../../db/schema.js';
import { assertCan, assertVisible, scopeTo, type Actor } from './actor.js';
import { listActiveLocks } from './period-locks.js';

export const REVIEW_PAGE_SIZE = 50;

export interface ReviewFilter {
  organizationId?: number | undefined;
  fundId?: number | undefined;
  categoryCode?: string | undefined;
  page: number;
}

export interface ReviewLine {
  categoryCode: string;
  labelJa: string;
  labelEn: string;
  amount: number;
}

/** One disbursement as a reviewer sees it: the case code, never the person. */
export interface ReviewItem {
  id: number;
  version: number;
  status: DisbursementStatus;
  organizationId: number;
  organizationName: string;
  caseCode: string;
  fundName: string;
  paidOn: string;
  method: string;
  peopleCovered: number;
  payee: string | null;
  note: string | null;
  submittedBy: number;
  submittedByName: string;
  submittedAt: string;
  rejectReason: string | null;
  voidReason: string | null;
  lines: ReviewLine[];
  total: number;
  receiptIds: number[];
  /** Dated inside an active period lock: nothing can be decided until it is unlocked. */
  isLocked: boolean;
}

const columns = {
  id: disbursements.id,
  version: disbursements.version,
  status: disbursements.status,
  organizationId: disbursements.organizationId,
  organizationName: organizations.name,
  caseCode: cases.code,
  fundName: funds.name,
  paidOn: disbursements.paidOn,
  method: disbursements.method,
  peopleCovered: disbursements.peopleCovered,
  payee: disbursements.payee,
  note: disbursements.note,
  submittedBy: disbursements.submittedBy,
  submittedByName: users.displayName,
  submittedAt: disbursements.submittedAt,
  rejectReason: disbursements.rejectReason,
  voidReason: disbursements.voidReason,
};

function baseQuery(tx: Tx, where: SQL | undefined) {
  return tx
    .select(columns)
    .from(disbursements)
    .innerJoin(cases, eq(cases.id, disbursements.caseId))
    .innerJoin(organizations, eq(organizations.id, disbursements.organizationId))
    .innerJoin(funds, eq(funds.id, disbursements.fundId))
    .innerJoin(users, eq(users.id, disbursements.submittedBy))
    .where(where);
}

/** Lines and receipts for a page of records: two queries, not two per record. */
function withDetails(tx: Tx, rows: Omit<ReviewItem, 'lines' | 'total' | 'receiptIds' | 'isLocked'>[]): ReviewItem[] {
  const ids = rows.map((r) => r.id);
  if (ids.length === 0) return [];
  const locks = listActiveLocks(tx);
  const lines = tx
    .select({ disbursementId: disbursementLines.disbursementId, categoryCode: categories.code, labelJa: categories.labelJa, labelEn: categories.labelEn, amount: disbursementLines.amount })
    .from(disbursementLines)
    .innerJoin(categories, eq(categories.id, disbursementLines.categoryId))
    .where(inArray(disbursementLines.disbursementId, ids))
    .orderBy(asc(disbursementLines.disbursementId), asc(disbursementLines.position))
    .all();
  const files = tx
    .select({ id: receipts.id, disbursementId: receipts.disbursementId })
    .from(receipts)
    .where(inArray(receipts.disbursementId, ids))
    .orderBy(asc(receipts.id))
    .all();
  return rows.map((row) => {
    const own = lines.filter((l) => l.disbursementId === row.id).map(({ disbursementId: _d, ...line }) => line);
    return {
      ...row,
      lines: own,
      total: own.reduce((sum, l) => sum + l.amount, 0),
      receiptIds: files.filter((f) => f.disbursementId === row.id).map((f) => f.id),
      isLocked: locks.some((lock) => lock.startsOn <= row.paidOn && row.paidOn <= lock.endsOn),
    };
  });
}

/** Anyone who may approve something may open the queue: coordinators (SPEC §5). */
export function assertCanReview(actor: Actor): void {
  assertCan(actor, 'disbursement.approve');
}

/** The coordinator's queue (SPEC §6 /review): pending records, oldest submission first. */
export function listReviewQueue(tx: Tx, actor: Actor, filter: ReviewFilter) {
  assertCanReview(actor);
  const conditions = [eq(disbursements.status, 'pending'), scopeTo(actor, disbursements.organizationId)];
  if (filter.organizationId !== undefined) conditions.push(eq(disbursements.organizationId, filter.organizationId));
  if (filter.fundId !== undefined) conditions.push(eq(disbursements.fundId, filter.fundId));
  if (filter.categoryCode !== undefined) {
    const code = filter.categoryCode;
    conditions.push(
      exists(
        tx
          .select({ one: sql`1` })
          .from(disbursementLines)
          .innerJoin(categories, eq(categories.id, disbursementLines.categoryId))
          .where(and(eq(disbursementLines.disbursementId, disbursements.id), eq(categories.code, code))),
      ),
    );
  }
  const where = and(...conditions);
  const total = tx.select({ n: sql<number>`count(*)` }).from(disbursements).where(where).get()?.n ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / REVIEW_PAGE_SIZE));
  const page = Math.min(Math.max(1, filter.page), pageCount);
  const rows = baseQuery(tx, where)
    .orderBy(asc(disbursements.submittedAt), asc(disbursements.id))
    .limit(REVIEW_PAGE_SIZE)
    .offset((page - 1) * REVIEW_PAGE_SIZE)
    .all();
  return { items: withDetails(tx, rows), total, page, pageCount };
}

/** One record in the reviewer's shape, through the actor's scope (404 when not visible). */
export function getReviewItem(tx: Tx, actor: Actor, id: number): ReviewItem {
  const row = assertVisible(actor, baseQuery(tx, eq(disbursements.id, id)).get());
  return withDetails(tx, [row])[0]!;
}

/** The choices of the queue's filter form. */
export function listReviewFilterOptions(tx: Tx) {
  return {
    organizations: tx.select({ id: organizations.id, name: organizations.name }).from(organizations).orderBy(asc(organizations.code)).all(),
    funds: tx.select({ id: funds.id, name: funds.name }).from(funds).orderBy(asc(funds.id)).all(),
    categories: tx
      .select({ code: categories.code, labelJa: categories.labelJa, labelEn: categories.labelEn })
      .from(categories)
      .orderBy(asc(categories.sortOrder), asc(categories.id))
      .all(),
  };
}
