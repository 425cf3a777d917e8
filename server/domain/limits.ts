import { addDays, format, parseISO } from 'date-fns';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { writeTransaction, type Db, type Tx } from '../../db/client.js';
import { categories, categoryBudgets, categoryCaps, disbursementFlags, disbursementLines, funds } from '../../db/schema.js';
import { assertCan, type Actor } from './actor.js';
import { recordAudit } from './audit.js';
import { InvalidInput, NotFound } from './errors.js';

/** Issue 14 §2: a payment this close in time and amount to another for the same case and category is a possible duplicate. */
export const DUPLICATE_WINDOW_DAYS = 14;
/** "Similar amount": within ±10% of the new line's amount. */
export const DUPLICATE_TOLERANCE_PERCENT = 10;

export interface CapWarning {
  kind: 'over_cap';
  category: string;
  cap: number;
  periodDays: number;
  already: number;
  adding: number;
}
export interface DuplicateWarning {
  kind: 'duplicate';
  category: string;
  otherId: number;
  otherPaidOn: string;
  otherAmount: number;
}
/** A disbursement that takes a fund's budget, or a category's budget within it, past what is left. */
export interface OverdrawWarning {
  kind: 'overdraw';
  scope: 'fund' | 'category';
  category: string | null;
  budget: number;
  committed: number;
  adding: number;
}
export type LimitWarning = CapWarning | DuplicateWarning | OverdrawWarning;

/** What the submitter said when going past a warning: a reason for a cap, a tick for a duplicate. */
export interface Acknowledgement {
  overCapReason: string | null;
  duplicateConfirmed: boolean;
}

/** Warnings were found and not acknowledged: the form re-renders them with the fields to go past. */
export class WarningsUnacknowledged extends InvalidInput {
  constructor(
    readonly warnings: LimitWarning[],
    fieldErrors: Record<string, string>,
  ) {
    super(fieldErrors);
  }
}

const shift = (date: string, days: number) => format(addDays(parseISO(date), days), 'yyyy-MM-dd');
/** Statuses whose money is committed: a rejected, withdrawn or voided record is no longer paid. */
const COMMITTED = ['pending', 'approved'] as const;

/** ±10% of `amount`, in integers: |a − b| × 100 ≤ 10 × amount. */
export function isSimilarAmount(amount: number, other: number): boolean {
  return Math.abs(amount - other) * 100 <= DUPLICATE_TOLERANCE_PERCENT * amount;
}

/**
 * The warnings a disbursement raises (issue 14 §2): over a fund × category cap per case within the
 * cap's rolling window ending on its date, and possible duplicates. `exceptId` is the record being edited.
 */
export function assessLimits(
  tx: Tx,
  input: { caseId: number; fundId: number; paidOn: string; lines: { categoryId: number; amount: number; code: string }[] },
  exceptId: number | null,
): LimitWarning[] {
  const warnings: LimitWarning[] = [];
  const others = (extra: ReturnType<typeof and>) =>
    and(
      eq(disbursementLines.caseId, input.caseId),
      inArray(disbursementLines.status, [...COMMITTED]),
      exceptId === null ? undefined : sql`${disbursementLines.disbursementId} <> ${exceptId}`,
      extra,
    );
  const byCategory = new Map<number, { code: string; amount: number }>();
  for (const l of input.lines) byCategory.set(l.categoryId, { code: l.code, amount: (byCategory.get(l.categoryId)?.amount ?? 0) + l.amount });
  for (const [categoryId, { code, amount }] of byCategory) {
    const cap = tx
      .select()
      .from(categoryCaps)
      .where(and(eq(categoryCaps.fundId, input.fundId), eq(categoryCaps.categoryId, categoryId)))
      .get();
    if (!cap) continue;
    const from = shift(input.paidOn, -(cap.periodDays - 1));
    const already =
      tx
        .select({ n: sql<number>`coalesce(sum(${disbursementLines.amount}), 0)` })
        .from(disbursementLines)
        .where(
          others(
            and(
              eq(disbursementLines.fundId, input.fundId),
              eq(disbursementLines.categoryId, categoryId),
              sql`${disbursementLines.paidOn} BETWEEN ${from} AND ${input.paidOn}`,
            ),
          ),
        )
        .get()?.n ?? 0;
    if (already + amount > cap.amount)
      warnings.push({ kind: 'over_cap', category: code, cap: cap.amount, periodDays: cap.periodDays, already, adding: amount });
  }
  for (const line of input.lines) {
    const near = tx
      .select({ id: disbursementLines.disbursementId, paidOn: disbursementLines.paidOn, amount: disbursementLines.amount })
      .from(disbursementLines)
      .where(
        others(
          and(
            eq(disbursementLines.categoryId, line.categoryId),
            sql`${disbursementLines.paidOn} BETWEEN ${shift(input.paidOn, -DUPLICATE_WINDOW_DAYS)} AND ${shift(input.paidOn, DUPLICATE_WINDOW_DAYS)}`,
          ),
        ),
      )
      .orderBy(asc(disbursementLines.paidOn))
      .all();
    const match = near.find((o) => isSimilarAmount(line.amount, o.amount));
    if (match && !warnings.some((w) => w.kind === 'duplicate' && w.otherId === match.id)) {
      warnings.push({ kind: 'duplicate', category: line.code, otherId: match.id, otherPaidOn: match.paidOn, otherAmount: match.amount });
    }
  }
  warnings.push(...assessBudgets(tx, input.fundId, byCategory, exceptId));
  return warnings;
}

/** Committed money (pending + approved) against the fund's budget and its category budgets. */
function assessBudgets(tx: Tx, fundId: number, byCategory: Map<number, { code: string; amount: number }>, exceptId: number | null): OverdrawWarning[] {
  const committed = (categoryId: number | null) =>
    tx
      .select({ n: sql<number>`coalesce(sum(${disbursementLines.amount}), 0)` })
      .from(disbursementLines)
      .where(
        and(
          eq(disbursementLines.fundId, fundId),
          inArray(disbursementLines.status, [...COMMITTED]),
          categoryId === null ? undefined : eq(disbursementLines.categoryId, categoryId),
          exceptId === null ? undefined : sql`${disbursementLines.disbursementId} <> ${exceptId}`,
        ),
      )
      .get()?.n ?? 0;
  const warnings: OverdrawWarning[] = [];
  for (const [categoryId, { code, amount }] of byCategory) {
    const budget = tx
      .select()
      .from(categoryBudgets)
      .where(and(eq(categoryBudgets.fundId, fundId), eq(categoryBudgets.categoryId, categoryId)))
      .get();
    if (!budget) continue;
    const already = committed(categoryId);
    if (already + amount > budget.amount)
      warnings.push({ kind: 'overdraw', scope: 'category', category: code, budget: budget.amount, committed: already, adding: amount });
  }
  const fund = tx.select({ budget: funds.budget }).from(funds).where(eq(funds.id, fundId)).get();
  const adding = [...byCategory.values()].reduce((s, c) => s + c.amount, 0);
  if (fund?.budget !== null && fund?.budget !== undefined) {
    const already = committed(null);
    if (already + adding > fund.budget) warnings.push({ kind: 'overdraw', scope: 'fund', category: null, budget: fund.budget, committed: already, adding });
  }
  return warnings;
}

/** Refuse unless every warning is acknowledged; the fields name what is missing. */
export function assertAcknowledged(warnings: LimitWarning[], ack: Acknowledgement | undefined): void {
  const errors: Record<string, string> = {};
  if (warnings.some((w) => w.kind === 'over_cap' || w.kind === 'overdraw') && !ack?.overCapReason) errors.overCapReason = 'limits.overCapReasonRequired';
  if (warnings.some((w) => w.kind === 'duplicate') && !ack?.duplicateConfirmed) errors.duplicateConfirmed = 'limits.duplicateConfirmRequired';
  if (Object.keys(errors).length > 0) throw new WarningsUnacknowledged(warnings, errors);
}

/** Replace the record's flags with what its current content raises (same transaction as the write). */
export function recordFlags(tx: Tx, disbursementId: number, warnings: LimitWarning[], ack: Acknowledgement | undefined): void {
  tx.delete(disbursementFlags).where(eq(disbursementFlags.disbursementId, disbursementId)).run();
  const caps = warnings.filter((w): w is CapWarning => w.kind === 'over_cap');
  const dups = warnings.filter((w): w is DuplicateWarning => w.kind === 'duplicate');
  const overdraws = warnings.filter((w): w is OverdrawWarning => w.kind === 'overdraw');
  if (overdraws.length > 0)
    tx.insert(disbursementFlags)
      .values({ disbursementId, kind: 'overdraw', detail: JSON.stringify(overdraws), reason: ack?.overCapReason ?? null })
      .run();
  if (caps.length > 0)
    tx.insert(disbursementFlags)
      .values({ disbursementId, kind: 'over_cap', detail: JSON.stringify(caps), reason: ack?.overCapReason ?? null })
      .run();
  if (dups.length > 0)
    tx.insert(disbursementFlags)
      .values({ disbursementId, kind: 'duplicate', detail: JSON.stringify(dups), reason: null })
      .run();
}

/** The flags of some records, for the record page and the review queue. */
export function listFlags(tx: Tx, disbursementIds: number[]) {
  if (disbursementIds.length === 0) return new Map<number, { kind: string; warnings: LimitWarning[]; reason: string | null }[]>();
  const rows = tx.select().from(disbursementFlags).where(inArray(disbursementFlags.disbursementId, disbursementIds)).orderBy(asc(disbursementFlags.id)).all();
  const map = new Map<number, { kind: string; warnings: LimitWarning[]; reason: string | null }[]>();
  for (const r of rows)
    map.set(r.disbursementId, [...(map.get(r.disbursementId) ?? []), { kind: r.kind, warnings: JSON.parse(r.detail) as LimitWarning[], reason: r.reason }]);
  return map;
}

export interface CapInput {
  fundId: number;
  categoryCode: string;
  amount: number;
  periodDays: number;
}

/** Admin sets (or replaces) the cap of a fund × category. */
export function setCategoryCap(db: Db, actor: Actor, input: CapInput, now: Date): void {
  assertCan(actor, 'admin.manage');
  writeTransaction(db, (tx) => {
    const fund = tx.select().from(funds).where(eq(funds.id, input.fundId)).get();
    if (!fund) throw new NotFound();
    const category = tx.select().from(categories).where(eq(categories.code, input.categoryCode)).get();
    if (!category) throw new InvalidInput({ categoryCode: 'validation.invalidChoice' });
    const before = tx
      .select()
      .from(categoryCaps)
      .where(and(eq(categoryCaps.fundId, fund.id), eq(categoryCaps.categoryId, category.id)))
      .get();
    if (before) tx.update(categoryCaps).set({ amount: input.amount, periodDays: input.periodDays }).where(eq(categoryCaps.id, before.id)).run();
    else
      tx.insert(categoryCaps)
        .values({
          fundId: fund.id,
          categoryId: category.id,
          amount: input.amount,
          periodDays: input.periodDays,
          createdBy: actor.userId,
          createdAt: now.toISOString(),
        })
        .run();
    recordAudit(tx, {
      action: 'category_cap.set',
      actorUserId: actor.userId,
      entityType: 'fund',
      entityId: fund.id,
      at: now,
      before: before ? { category: category.code, amount: before.amount, periodDays: before.periodDays } : null,
      after: { category: category.code, amount: input.amount, periodDays: input.periodDays },
    });
  });
}

export function removeCategoryCap(db: Db, actor: Actor, fundId: number, categoryCode: string, now: Date): void {
  assertCan(actor, 'admin.manage');
  writeTransaction(db, (tx) => {
    const category = tx.select().from(categories).where(eq(categories.code, categoryCode)).get();
    const before =
      category &&
      tx
        .select()
        .from(categoryCaps)
        .where(and(eq(categoryCaps.fundId, fundId), eq(categoryCaps.categoryId, category.id)))
        .get();
    if (!before || !category) throw new NotFound();
    tx.delete(categoryCaps).where(eq(categoryCaps.id, before.id)).run();
    recordAudit(tx, {
      action: 'category_cap.removed',
      actorUserId: actor.userId,
      entityType: 'fund',
      entityId: fundId,
      at: now,
      before: { category: category.code, amount: before.amount, periodDays: before.periodDays },
      after: null,
    });
  });
}

export function listCaps(tx: Tx, fundId: number) {
  return tx
    .select({
      code: categories.code,
      labelJa: categories.labelJa,
      labelEn: categories.labelEn,
      amount: categoryCaps.amount,
      periodDays: categoryCaps.periodDays,
    })
    .from(categoryCaps)
    .innerJoin(categories, eq(categories.id, categoryCaps.categoryId))
    .where(eq(categoryCaps.fundId, fundId))
    .orderBy(asc(categories.sortOrder))
    .all();
}
