import { and, asc, eq, isNull, notExists, sql } from 'drizzle-orm';
import { writeTransaction, type Db, type Tx } from '../../db/client.js';
import { cases, disbursements, fundReviewRules, lostReceiptDeclarations, organizations, receipts, type RECEIVED_BY } from '../../db/schema.js';
import { assertCan, assertVisible, scopeTo, type Actor } from './actor.js';
import { recordAudit } from './audit.js';
import { Conflict, Forbidden } from './errors.js';
import { totalSql } from './review-filter.js';
import { DEFAULT_RECEIPT_DUE_DAYS } from './second-approval.js';
import { resolveReportScope, scopeWhere, type ReportQuery } from './figures/scope.js';

export interface LostReceiptInput {
  reason: string;
  amountConfirmed: number;
  receivedBy: (typeof RECEIVED_BY)[number];
}

const dueDays = sql<number>`coalesce(${fundReviewRules.receiptDueDays}, ${DEFAULT_RECEIPT_DUE_DAYS})`;

/**
 * Approved records still without a receipt N days (the fund's rule, default 14) after approval,
 * and without an accepted lost-receipt declaration: the owning group's and the coordinators' to-do.
 */
export function listMissingReceipts(tx: Tx, actor: Actor, now: Date) {
  return tx
    .select({
      id: disbursements.id,
      caseCode: cases.code,
      organizationName: organizations.name,
      paidOn: disbursements.paidOn,
      decidedAt: disbursements.decidedAt,
      total: totalSql,
      dueDays,
      submittedBy: disbursements.submittedBy,
      organizationId: disbursements.organizationId,
      declarationId: lostReceiptDeclarations.id,
      declaredBy: lostReceiptDeclarations.declaredBy,
      reason: lostReceiptDeclarations.reason,
      amountConfirmed: lostReceiptDeclarations.amountConfirmed,
      receivedBy: lostReceiptDeclarations.receivedBy,
    })
    .from(disbursements)
    .innerJoin(cases, eq(cases.id, disbursements.caseId))
    .innerJoin(organizations, eq(organizations.id, disbursements.organizationId))
    .leftJoin(fundReviewRules, eq(fundReviewRules.fundId, disbursements.fundId))
    .leftJoin(lostReceiptDeclarations, eq(lostReceiptDeclarations.disbursementId, disbursements.id))
    .where(
      and(
        eq(disbursements.status, 'approved'),
        scopeTo(actor, disbursements.organizationId),
        notExists(
          tx
            .select({ one: sql`1` })
            .from(receipts)
            .where(eq(receipts.disbursementId, disbursements.id)),
        ),
        isNull(lostReceiptDeclarations.acceptedAt),
        sql`julianday(${now.toISOString()}) - julianday(${disbursements.decidedAt}) >= ${dueDays}`,
      ),
    )
    .orderBy(asc(disbursements.decidedAt), asc(disbursements.id))
    .all();
}

/** In the order refusals are given: not visible (404), not allowed (403), not approved (409). */
function loadApproved(tx: Tx, actor: Actor, id: number, permission: 'receipt.attach' | 'disbursement.void') {
  const d = assertVisible(actor, tx.select().from(disbursements).where(eq(disbursements.id, id)).get());
  // Accepting is a coordinator's review act; the record's submitter may be anyone.
  assertCan(actor, permission, permission === 'receipt.attach' ? d : { organizationId: d.organizationId });
  if (d.status !== 'approved') throw new Conflict('lostReceipt.notApproved');
  return d;
}

/** Whether this actor may declare this record's receipt lost: refusals before reading any form. */
export function checkLostReceiptDeclaration(tx: Tx, actor: Actor, id: number): void {
  loadApproved(tx, actor, id, 'receipt.attach');
}

/** 領収書紛失届: the owning group (or a coordinator) declares the receipt lost, once. */
export function declareLostReceipt(db: Db, actor: Actor, id: number, input: LostReceiptInput, now: Date): void {
  writeTransaction(db, (tx) => {
    loadApproved(tx, actor, id, 'receipt.attach');
    const existing = tx.select().from(lostReceiptDeclarations).where(eq(lostReceiptDeclarations.disbursementId, id)).get();
    if (existing) throw new Conflict('lostReceipt.already');
    tx.insert(lostReceiptDeclarations)
      .values({ disbursementId: id, ...input, declaredBy: actor.userId, declaredAt: now.toISOString() })
      .run();
    recordAudit(tx, {
      action: 'receipt.lost_declared',
      actorUserId: actor.userId,
      entityType: 'disbursement',
      entityId: id,
      after: { reason: input.reason, amountConfirmed: input.amountConfirmed, receivedBy: input.receivedBy },
      at: now,
    });
  });
}

/** A coordinator other than the one who declared it accepts the declaration (four eyes). */
export function acceptLostReceipt(db: Db, actor: Actor, id: number, now: Date): void {
  writeTransaction(db, (tx) => {
    loadApproved(tx, actor, id, 'disbursement.void');
    const declaration = tx.select().from(lostReceiptDeclarations).where(eq(lostReceiptDeclarations.disbursementId, id)).get();
    if (!declaration) throw new Conflict('lostReceipt.none');
    if (declaration.acceptedAt !== null) throw new Conflict('lostReceipt.alreadyAccepted');
    if (declaration.declaredBy === actor.userId) throw new Forbidden('lostReceipt.ownDeclaration');
    tx.update(lostReceiptDeclarations)
      .set({ acceptedBy: actor.userId, acceptedAt: now.toISOString() })
      .where(eq(lostReceiptDeclarations.id, declaration.id))
      .run();
    recordAudit(tx, {
      action: 'receipt.lost_accepted',
      actorUserId: actor.userId,
      entityType: 'disbursement',
      entityId: id,
      after: { declarationId: declaration.id },
      at: now,
    });
  });
}

/**
 * The report page's note: of the records its figures count, how many have neither a receipt nor
 * an accepted lost-receipt declaration. Same scope and period as the figures.
 */
export function countCountedWithoutReceipt(db: Db, actor: Actor, query: ReportQuery): number {
  const { where, params } = scopeWhere(resolveReportScope(db, actor, query), 'd', { idColumn: 'id' });
  const row = db.$client
    .prepare(
      `SELECT count(*) AS n FROM disbursements d WHERE ${where}
       AND NOT EXISTS (SELECT 1 FROM receipts r WHERE r.disbursement_id = d.id)
       AND NOT EXISTS (SELECT 1 FROM lost_receipt_declarations l WHERE l.disbursement_id = d.id AND l.accepted_at IS NOT NULL)`,
    )
    .get(...params) as { n: number };
  return row.n;
}
