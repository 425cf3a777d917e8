import { and, eq, sql } from 'drizzle-orm';
import { writeTransaction, type Db, type Tx } from '../../db/client.js';
import { disbursementApprovals, disbursementLines, fundReviewRules } from '../../db/schema.js';
import { assertCan, type Actor } from './actor.js';
import { recordAudit } from './audit.js';
import { getFund } from './funds.js';
import { InvalidInput } from './errors.js';

/** Feature rows 25, 29: large amounts need two approvers. */
export const DEFAULT_RECEIPT_DUE_DAYS = 14;
export const MAX_THRESHOLD = 10_000_000_000;

export interface FundReviewRule {
  /** Yen; a total above it needs two approvals. Null: one approval always. */
  twoApprovalsAbove: number | null;
  /** Days after approval before a record without a receipt is listed as missing one. */
  receiptDueDays: number;
}

export function reviewRuleFor(tx: Tx, fundId: number): FundReviewRule {
  const row = tx.select().from(fundReviewRules).where(eq(fundReviewRules.fundId, fundId)).get();
  return { twoApprovalsAbove: row?.twoApprovalsAbove ?? null, receiptDueDays: row?.receiptDueDays ?? DEFAULT_RECEIPT_DUE_DAYS };
}

/** Every fund's rule that differs from the default, by fund id. */
export function listReviewRules(tx: Tx): Map<number, FundReviewRule> {
  const rows = tx.select().from(fundReviewRules).all();
  return new Map(rows.map((r) => [r.fundId, { twoApprovalsAbove: r.twoApprovalsAbove, receiptDueDays: r.receiptDueDays }]));
}

export const approvalsNeededFor = (total: number, rule: FundReviewRule): 1 | 2 => (rule.twoApprovalsAbove !== null && total > rule.twoApprovalsAbove ? 2 : 1);

function totalOf(tx: Tx, disbursementId: number): number {
  return (
    tx
      .select({ n: sql<number>`coalesce(sum(${disbursementLines.amount}), 0)` })
      .from(disbursementLines)
      .where(eq(disbursementLines.disbursementId, disbursementId))
      .get()?.n ?? 0
  );
}

export interface ApprovalState {
  needed: 1 | 2;
  /** Who approved the record as it is now (an edit since leaves earlier approvals behind). */
  approverIds: number[];
}

/** Where a pending record stands: how many approvals it needs and who has given one. */
export function approvalStateOf(tx: Tx, d: { id: number; fundId: number; version: number }): ApprovalState {
  const needed = approvalsNeededFor(totalOf(tx, d.id), reviewRuleFor(tx, d.fundId));
  const approverIds = tx
    .select({ by: disbursementApprovals.approvedBy })
    .from(disbursementApprovals)
    .where(and(eq(disbursementApprovals.disbursementId, d.id), eq(disbursementApprovals.versionAfter, d.version)))
    .all()
    .map((r) => r.by);
  return { needed, approverIds };
}

/** Inside the decision's transaction: the first of two approvals, recorded against the new version. */
export function recordFirstApproval(tx: Tx, actor: Actor, disbursementId: number, versionAfter: number, now: Date): void {
  tx.insert(disbursementApprovals).values({ disbursementId, approvedBy: actor.userId, approvedAt: now.toISOString(), versionAfter }).run();
}

/**
 * Change a fund's rule. Audited; records already decided keep their decision, and a pending one is
 * judged by the rule in force when the next approval comes.
 */
export function setFundReviewRule(db: Db, actor: Actor, fundId: number, input: FundReviewRule, now: Date): void {
  assertCan(actor, 'admin.manage');
  if (
    input.twoApprovalsAbove !== null &&
    (!Number.isSafeInteger(input.twoApprovalsAbove) || input.twoApprovalsAbove < 0 || input.twoApprovalsAbove > MAX_THRESHOLD)
  ) {
    throw new InvalidInput({ twoApprovalsAbove: 'validation.invalid' });
  }
  if (!Number.isSafeInteger(input.receiptDueDays) || input.receiptDueDays < 1 || input.receiptDueDays > 365)
    throw new InvalidInput({ receiptDueDays: 'reviewRules.dueDaysRange' });
  writeTransaction(db, (tx) => {
    getFund(tx, fundId);
    const before = reviewRuleFor(tx, fundId);
    const values = { twoApprovalsAbove: input.twoApprovalsAbove, receiptDueDays: input.receiptDueDays, updatedBy: actor.userId, updatedAt: now.toISOString() };
    tx.insert(fundReviewRules)
      .values({ fundId, ...values })
      .onConflictDoUpdate({ target: fundReviewRules.fundId, set: values })
      .run();
    recordAudit(tx, {
      action: 'fund.review_rule_changed',
      actorUserId: actor.userId,
      entityType: 'fund',
      entityId: fundId,
      before: { twoApprovalsAbove: before.twoApprovalsAbove, receiptDueDays: before.receiptDueDays },
      after: { twoApprovalsAbove: input.twoApprovalsAbove, receiptDueDays: input.receiptDueDays },
      at: now,
    });
  });
}
