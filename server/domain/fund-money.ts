import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { writeTransaction, type Db, type Tx } from '../../db/client.js';
import { categories, categoryBudgets, disbursementLines, fundTargets, moneyIn, MONEY_SOURCES, type MoneySource } from '../../db/schema.js';
import { assertCan, type Actor } from './actor.js';
import { recordAudit } from './audit.js';
import { categoryLabel } from './categories.js';
import { InvalidInput } from './errors.js';
import { getFund } from './funds.js';

export { MONEY_SOURCES, type MoneySource };

export interface MoneyInInput {
  receivedOn: string;
  amount: number;
  source: MoneySource;
  label: string | null;
}
export interface TargetInput {
  amount: number;
  dueOn: string | null;
  isPublic: boolean;
}

/** Money received into a fund, typed in (the platform's file goes through money-in-import/), all or nothing (issue 14 §3). */
export function recordMoneyIn(db: Db, actor: Actor, fundId: number, rows: MoneyInInput[], now: Date): number {
  assertCan(actor, 'admin.manage');
  if (rows.length === 0) throw new InvalidInput({ csv: 'fundMoney.csvEmpty' });
  return writeTransaction(db, (tx) => {
    getFund(tx, fundId);
    for (const r of rows)
      tx.insert(moneyIn)
        .values({ fundId, ...r, createdBy: actor.userId, createdAt: now.toISOString() })
        .run();
    const total = rows.reduce((s, r) => s + r.amount, 0);
    // Labels are free text: counted, not copied into the audit trail.
    recordAudit(tx, {
      action: 'money_in.recorded',
      actorUserId: actor.userId,
      entityType: 'fund',
      entityId: fundId,
      after: { origin: 'form', rows: rows.length, total },
      at: now,
    });
    return rows.length;
  });
}

/** A category's budget within the fund; null removes it. */
export function setCategoryBudget(db: Db, actor: Actor, fundId: number, categoryCode: string, amount: number | null, now: Date): void {
  assertCan(actor, 'admin.manage');
  writeTransaction(db, (tx) => {
    getFund(tx, fundId);
    const category = tx.select().from(categories).where(eq(categories.code, categoryCode)).get();
    if (!category) throw new InvalidInput({ categoryCode: 'validation.invalidChoice' });
    const where = and(eq(categoryBudgets.fundId, fundId), eq(categoryBudgets.categoryId, category.id));
    const before = tx.select().from(categoryBudgets).where(where).get();
    if (before) tx.delete(categoryBudgets).where(where).run();
    if (amount !== null) tx.insert(categoryBudgets).values({ fundId, categoryId: category.id, amount, createdBy: actor.userId }).run();
    recordAudit(tx, {
      action: 'category_budget.set',
      actorUserId: actor.userId,
      entityType: 'fund',
      entityId: fundId,
      at: now,
      before: before ? { category: categoryCode, amount: before.amount } : null,
      after: amount === null ? null : { category: categoryCode, amount },
    });
  });
}

/** The campaign target; null removes it. Shown on the public summary only when `isPublic`. */
export function setFundTarget(db: Db, actor: Actor, fundId: number, target: TargetInput | null, now: Date): void {
  assertCan(actor, 'admin.manage');
  writeTransaction(db, (tx) => {
    getFund(tx, fundId);
    const before = tx.select().from(fundTargets).where(eq(fundTargets.fundId, fundId)).get();
    if (!before && !target) return;
    tx.delete(fundTargets).where(eq(fundTargets.fundId, fundId)).run();
    if (target)
      tx.insert(fundTargets)
        .values({ fundId, ...target })
        .run();
    recordAudit(tx, {
      action: 'fund_target.set',
      actorUserId: actor.userId,
      entityType: 'fund',
      entityId: fundId,
      at: now,
      before: before ? { amount: before.amount, dueOn: before.dueOn, isPublic: before.isPublic } : null,
      after: target ? { ...target } : null,
    });
  });
}

const committedBy = (tx: Tx, fundId: number, status: 'approved' | 'pending') =>
  new Map(
    tx
      .select({ categoryId: disbursementLines.categoryId, n: sql<number>`sum(${disbursementLines.amount})` })
      .from(disbursementLines)
      .where(and(eq(disbursementLines.fundId, fundId), inArray(disbursementLines.status, [status])))
      .groupBy(disbursementLines.categoryId)
      .all()
      .map((r) => [r.categoryId, r.n]),
  );

/** The fund page: raised, budgeted, approved, pending and remaining, by category (issue 14 §3). */
export function fundOverview(tx: Tx, actor: Actor, fundId: number) {
  const fund = getFund(tx, fundId);
  const bySource = tx
    .select({ source: moneyIn.source, amount: sql<number>`sum(${moneyIn.amount})`, count: sql<number>`count(*)` })
    .from(moneyIn)
    .where(eq(moneyIn.fundId, fundId))
    .groupBy(moneyIn.source)
    .all();
  const raised = bySource.reduce((s, r) => s + r.amount, 0);
  const approved = committedBy(tx, fundId, 'approved');
  const pending = committedBy(tx, fundId, 'pending');
  const budgets = new Map(
    tx
      .select()
      .from(categoryBudgets)
      .where(eq(categoryBudgets.fundId, fundId))
      .all()
      .map((b) => [b.categoryId, b.amount]),
  );
  const rows = tx
    .select()
    .from(categories)
    .orderBy(asc(categories.sortOrder), asc(categories.id))
    .all()
    .filter((c) => budgets.has(c.id) || approved.has(c.id) || pending.has(c.id))
    .map((c) => {
      const budget = budgets.get(c.id) ?? null;
      const a = approved.get(c.id) ?? 0;
      const p = pending.get(c.id) ?? 0;
      return { code: c.code, label: categoryLabel(c, actor.locale), budget, approved: a, pending: p, remaining: budget === null ? null : budget - a - p };
    });
  const sum = (m: Map<number, number>) => [...m.values()].reduce((s, n) => s + n, 0);
  const totalApproved = sum(approved);
  const totalPending = sum(pending);
  const budgeted = fund.budget ?? (budgets.size > 0 ? sum(budgets) : null);
  const target = tx.select().from(fundTargets).where(eq(fundTargets.fundId, fundId)).get() ?? null;
  const receipts = tx
    .select()
    .from(moneyIn)
    .where(eq(moneyIn.fundId, fundId))
    .orderBy(sql`${moneyIn.receivedOn} DESC`, sql`${moneyIn.id} DESC`)
    .limit(50)
    .all();
  return {
    fund,
    raised,
    bySource,
    budgeted,
    approved: totalApproved,
    pending: totalPending,
    categories: rows,
    target,
    receipts,
    /** What is left to spend of the money actually received. */
    available: raised - totalApproved - totalPending,
    budgetRemaining: budgeted === null ? null : budgeted - totalApproved - totalPending,
    targetProgress: target ? { raised, target: target.amount, percent: Math.floor((raised * 1000) / target.amount) / 10 } : null,
  };
}

/** Campaign targets a public summary may show (opted in), with what has been raised. */
export function listPublicTargets(tx: Tx) {
  return tx
    .select({
      fundId: fundTargets.fundId,
      amount: fundTargets.amount,
      dueOn: fundTargets.dueOn,
      raised: sql<number>`(SELECT coalesce(sum(amount), 0) FROM money_in WHERE money_in.fund_id = ${fundTargets.fundId})`,
      name: sql<string>`(SELECT name FROM funds WHERE funds.id = ${fundTargets.fundId})`,
    })
    .from(fundTargets)
    .where(eq(fundTargets.isPublic, true))
    .all();
}
