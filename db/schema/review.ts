import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { disbursements, funds } from './money.js';
import { users } from './people.js';

const nowIso = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;

/** Preset rejection reasons an admin keeps; the reviewer picks one and may add free text. */
export const rejectionReasons = sqliteTable(
  'rejection_reasons',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    text: text().notNull(),
    sortOrder: integer().notNull().default(0),
    isActive: integer({ mode: 'boolean' }).notNull().default(true),
    createdAt: text().notNull().default(nowIso),
  },
  (t) => [check('rejection_reasons_text', sql`length(trim(${t.text})) BETWEEN 1 AND 200`)],
);

/**
 * Review rules per fund, kept beside the fund rather than in it so budgets and rules can change
 * independently. Absent row = one approval, receipts due after 14 days.
 */
export const fundReviewRules = sqliteTable(
  'fund_review_rules',
  {
    fundId: integer()
      .primaryKey()
      .references(() => funds.id),
    /** Yen; a disbursement whose total is above it needs two approvals. Null = never. */
    twoApprovalsAbove: integer(),
    receiptDueDays: integer().notNull().default(14),
    updatedBy: integer().references(() => users.id),
    updatedAt: text().notNull().default(nowIso),
  },
  (t) => [
    check('fund_review_rules_threshold', sql`${t.twoApprovalsAbove} IS NULL OR ${t.twoApprovalsAbove} >= 0`),
    check('fund_review_rules_due_days', sql`${t.receiptDueDays} BETWEEN 1 AND 365`),
  ],
);

/**
 * A first approval of a record that needs two. It counts only while the record still has the
 * version it produced: an edit after it (a new version) leaves it behind.
 */
export const disbursementApprovals = sqliteTable(
  'disbursement_approvals',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    disbursementId: integer()
      .notNull()
      .references(() => disbursements.id),
    approvedBy: integer()
      .notNull()
      .references(() => users.id),
    approvedAt: text().notNull(),
    /** The record's version right after this approval. */
    versionAfter: integer().notNull(),
  },
  (t) => [index('disbursement_approvals_disbursement_idx').on(t.disbursementId, t.versionAfter)],
);

export const RECEIVED_BY = ['person', 'household_member', 'provider', 'other'] as const;

/**
 * 領収書紛失届: the supporter declares a receipt lost; a coordinator accepts it, and the record
 * leaves the missing-receipts queue. "Who received the money" is a kind, never a name.
 */
export const lostReceiptDeclarations = sqliteTable(
  'lost_receipt_declarations',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    disbursementId: integer()
      .notNull()
      .unique()
      .references(() => disbursements.id),
    reason: text().notNull(),
    amountConfirmed: integer().notNull(),
    receivedBy: text({ enum: RECEIVED_BY }).notNull(),
    declaredBy: integer()
      .notNull()
      .references(() => users.id),
    declaredAt: text().notNull(),
    acceptedBy: integer().references(() => users.id),
    acceptedAt: text(),
  },
  (t) => [
    check('lost_receipt_reason', sql`length(trim(${t.reason})) BETWEEN 1 AND 1000`),
    check('lost_receipt_amount', sql`${t.amountConfirmed} > 0`),
    check('lost_receipt_received_by', sql`${t.receivedBy} IN ('person', 'household_member', 'provider', 'other')`),
  ],
);
