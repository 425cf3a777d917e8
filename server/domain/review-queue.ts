import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import {
  cases,
  categories,
  disbursementApprovals,
  disbursementLines,
  disbursements,
  funds,
  organizations,
  receipts,
  users,
  type DisbursementStatus,
} from '../../db/schema.js';
import { assertCan, assertVisible, scopeTo, type Actor } from './actor.js';
import { listActiveLocks } from './period-locks.js';
import { filterConditions, filterOrder, type ReviewFilter } from './review-filter.js';
import { approvalsNeededFor, listReviewRules, reviewRuleFor } from './second-approval.js';
import { allowedActions } from './workflow.js';

export const REVIEW_PAGE_SIZE = 50;

export type { ReviewFilter };
export interface ReviewPageFilter extends ReviewFilter {
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
  /** Receipts that are images: these get an inline thumbnail. */
  imageReceiptIds: number[];
  /** 2 when the fund's threshold asks for two approvers. */
  approvalsNeeded: 1 | 2;
  /** Who approved the current version (the first of two). */
  approverIds: number[];
  /** Dated inside an active period lock: nothing can be decided until it is unlocked. */
  isLocked: boolean;
}

const columns = {
  id: disbursements.id,
  version: disbursements.version,
  fundId: disbursements.fundId,
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
type Row = Omit<ReviewItem, 'lines' | 'total' | 'receiptIds' | 'imageReceiptIds' | 'approvalsNeeded' | 'approverIds' | 'isLocked'> & { fundId: number };

function withDetails(tx: Tx, rows: Row[]): ReviewItem[] {
  const ids = rows.map((r) => r.id);
  if (ids.length === 0) return [];
  const locks = listActiveLocks(tx);
  const lines = tx
    .select({
      disbursementId: disbursementLines.disbursementId,
      categoryCode: categories.code,
      labelJa: categories.labelJa,
      labelEn: categories.labelEn,
      amount: disbursementLines.amount,
    })
    .from(disbursementLines)
    .innerJoin(categories, eq(categories.id, disbursementLines.categoryId))
    .where(inArray(disbursementLines.disbursementId, ids))
    .orderBy(asc(disbursementLines.disbursementId), asc(disbursementLines.position))
    .all();
  const files = tx
    .select({ id: receipts.id, disbursementId: receipts.disbursementId, mediaType: receipts.mediaType })
    .from(receipts)
    .where(inArray(receipts.disbursementId, ids))
    .orderBy(asc(receipts.id))
    .all();
  const approvals = tx
    .select({ disbursementId: disbursementApprovals.disbursementId, by: disbursementApprovals.approvedBy, versionAfter: disbursementApprovals.versionAfter })
    .from(disbursementApprovals)
    .where(inArray(disbursementApprovals.disbursementId, ids))
    .all();
  const rules = listReviewRules(tx);
  return rows.map((row) => {
    const own = lines.filter((l) => l.disbursementId === row.id).map(({ disbursementId: _d, ...line }) => line);
    const ownFiles = files.filter((f) => f.disbursementId === row.id);
    const total = own.reduce((sum, l) => sum + l.amount, 0);
    return {
      ...row,
      lines: own,
      total,
      receiptIds: ownFiles.map((f) => f.id),
      imageReceiptIds: ownFiles.filter((f) => f.mediaType.startsWith('image/') && f.mediaType !== 'image/heic').map((f) => f.id),
      approvalsNeeded: approvalsNeededFor(total, rules.get(row.fundId) ?? reviewRuleFor(tx, row.fundId)),
      approverIds: row.status === 'pending' ? approvals.filter((a) => a.disbursementId === row.id && a.versionAfter === row.version).map((a) => a.by) : [],
      isLocked: locks.some((lock) => lock.startsOn <= row.paidOn && row.paidOn <= lock.endsOn),
    };
  });
}

/** Anyone who may approve something may open the queue: coordinators (SPEC §5). */
export function assertCanReview(actor: Actor): void {
  assertCan(actor, 'disbursement.approve');
}

function queueWhere(tx: Tx, actor: Actor, filter: ReviewFilter): SQL | undefined {
  return and(eq(disbursements.status, 'pending'), scopeTo(actor, disbursements.organizationId), ...filterConditions(tx, filter));
}

/** The coordinator's queue (SPEC §6 /review): pending records, oldest submission first unless sorted otherwise. */
export function listReviewQueue(tx: Tx, actor: Actor, filter: ReviewPageFilter) {
  assertCanReview(actor);
  const where = queueWhere(tx, actor, filter);
  const total =
    tx
      .select({ n: sql<number>`count(*)` })
      .from(disbursements)
      .where(where)
      .get()?.n ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / REVIEW_PAGE_SIZE));
  const page = Math.min(Math.max(1, filter.page), pageCount);
  const rows = baseQuery(tx, where)
    .orderBy(...filterOrder(filter.sort))
    .limit(REVIEW_PAGE_SIZE)
    .offset((page - 1) * REVIEW_PAGE_SIZE)
    .all();
  return { items: withDetails(tx, rows), total, page, pageCount };
}

/**
 * Approve-and-next: the first record of the same filtered queue this actor can still approve
 * (not their own, not one they approved already, not in a locked period). Null when none is left.
 */
export function findNextToReview(tx: Tx, actor: Actor, filter: ReviewFilter): number | null {
  assertCanReview(actor);
  const where = queueWhere(tx, actor, filter);
  for (let offset = 0; ; offset += REVIEW_PAGE_SIZE) {
    const rows = baseQuery(tx, where)
      .orderBy(...filterOrder(filter.sort))
      .limit(REVIEW_PAGE_SIZE)
      .offset(offset)
      .all();
    if (rows.length === 0) return null;
    const next = withDetails(tx, rows).find((item) =>
      allowedActions(actor, item, { isLocked: item.isLocked, approverIds: item.approverIds }).includes('approve'),
    );
    if (next) return next.id;
  }
}

/** One record in the reviewer's shape, through the actor's scope (404 when not visible). */
export function getReviewItem(tx: Tx, actor: Actor, id: number): ReviewItem {
  const row = assertVisible(actor, baseQuery(tx, eq(disbursements.id, id)).get());
  return withDetails(tx, [row])[0]!;
}

/** The choices of the queue's filter form. */
export function listReviewFilterOptions(tx: Tx) {
  return {
    submitters: tx
      .selectDistinct({ id: users.id, name: users.displayName })
      .from(users)
      .innerJoin(disbursements, and(eq(disbursements.submittedBy, users.id), eq(disbursements.status, 'pending')))
      .orderBy(asc(users.displayName))
      .all(),
    organizations: tx.select({ id: organizations.id, name: organizations.name }).from(organizations).orderBy(asc(organizations.code)).all(),
    funds: tx.select({ id: funds.id, name: funds.name }).from(funds).orderBy(asc(funds.id)).all(),
    categories: tx
      .select({ code: categories.code, labelJa: categories.labelJa, labelEn: categories.labelEn })
      .from(categories)
      .orderBy(asc(categories.sortOrder), asc(categories.id))
      .all(),
  };
}
