import { and, asc, desc, eq, exists, gte, lte, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { categories, disbursementLines, disbursements, receipts } from '../../db/schema.js';

export const REVIEW_SORTS = ['age', 'newest', 'date', 'amount', 'amount_asc'] as const;
export type ReviewSort = (typeof REVIEW_SORTS)[number];

/** What narrows the queue (and the list of disbursements): every key optional but the sort. */
export interface ReviewFilter {
  organizationId?: number | undefined;
  fundId?: number | undefined;
  categoryCode?: string | undefined;
  /** paid_on range, inclusive, YYYY-MM-DD. */
  from?: string | undefined;
  to?: string | undefined;
  /** Total of the record's lines, yen, inclusive. */
  minAmount?: number | undefined;
  maxAmount?: number | undefined;
  submittedBy?: number | undefined;
  hasReceipt?: boolean | undefined;
  sort: ReviewSort;
}

/** The record's total, as SQL over its lines (a correlated sum on the lines' index). */
export const totalSql = sql<number>`(select coalesce(sum(${disbursementLines.amount}), 0) from ${disbursementLines} where ${disbursementLines.disbursementId} = ${disbursements.id})`;

export function filterConditions(tx: Tx, filter: ReviewFilter): SQL[] {
  const c: SQL[] = [];
  if (filter.organizationId !== undefined) c.push(eq(disbursements.organizationId, filter.organizationId));
  if (filter.fundId !== undefined) c.push(eq(disbursements.fundId, filter.fundId));
  if (filter.submittedBy !== undefined) c.push(eq(disbursements.submittedBy, filter.submittedBy));
  if (filter.from !== undefined) c.push(gte(disbursements.paidOn, filter.from));
  if (filter.to !== undefined) c.push(lte(disbursements.paidOn, filter.to));
  if (filter.minAmount !== undefined) c.push(sql`${totalSql} >= ${filter.minAmount}`);
  if (filter.maxAmount !== undefined) c.push(sql`${totalSql} <= ${filter.maxAmount}`);
  if (filter.categoryCode !== undefined) {
    const code = filter.categoryCode;
    c.push(
      exists(
        tx
          .select({ one: sql`1` })
          .from(disbursementLines)
          .innerJoin(categories, eq(categories.id, disbursementLines.categoryId))
          .where(and(eq(disbursementLines.disbursementId, disbursements.id), eq(categories.code, code))),
      ),
    );
  }
  if (filter.hasReceipt !== undefined) {
    const any = exists(
      tx
        .select({ one: sql`1` })
        .from(receipts)
        .where(eq(receipts.disbursementId, disbursements.id)),
    );
    c.push(filter.hasReceipt ? any : sql`not ${any}`);
  }
  return c;
}

/** age: waiting longest first (the default, SPEC §6); date: paid most recently first; amount: largest first. */
export function filterOrder(sort: ReviewSort): SQL[] {
  switch (sort) {
    case 'newest':
      return [desc(disbursements.submittedAt), desc(disbursements.id)];
    case 'date':
      return [desc(disbursements.paidOn), asc(disbursements.id)];
    case 'amount':
      return [desc(totalSql), asc(disbursements.id)];
    case 'amount_asc':
      return [asc(totalSql), asc(disbursements.id)];
    default:
      return [asc(disbursements.submittedAt), asc(disbursements.id)];
  }
}
