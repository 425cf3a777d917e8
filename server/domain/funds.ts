import { and, asc, desc, eq, ne } from 'drizzle-orm';
import { writeTransaction, type Db, type Tx } from '../../db/client.js';
import { funds } from '../../db/schema.js';
import { assertCan, type Actor } from './actor.js';
import { recordAudit } from './audit.js';
import { Conflict, InvalidInput, NotFound } from './errors.js';

export type Fund = typeof funds.$inferSelect;

export interface FundInput {
  name: string;
  /** Yen, or null for no budget. */
  budget: number | null;
  startsOn: string | null;
  endsOn: string | null;
}

/** Budgets are grant-sized: up to ¥10 billion. */
export const MAX_FUND_BUDGET = 10_000_000_000;

const auditable = (f: Fund) => ({ name: f.name, budget: f.budget, startsOn: f.startsOn, endsOn: f.endsOn, isDefault: f.isDefault, isActive: f.isActive });

/** Funds a new disbursement may be charged to; the default first. */
export function listActiveFunds(tx: Tx): Fund[] {
  return tx.select().from(funds).where(eq(funds.isActive, true)).orderBy(desc(funds.isDefault), asc(funds.name), asc(funds.id)).all();
}

/** The fund a new disbursement is charged to unless the user picks another. */
export function findDefaultFund(tx: Tx): Fund | undefined {
  return tx.select().from(funds).where(eq(funds.isDefault, true)).get();
}

/** Every fund, inactive ones too, for the admin page. */
export function listFundsForAdmin(tx: Tx): Fund[] {
  return tx.select().from(funds).orderBy(desc(funds.isDefault), desc(funds.isActive), asc(funds.name), asc(funds.id)).all();
}

export function getFund(tx: Tx, id: number): Fund {
  const row = tx.select().from(funds).where(eq(funds.id, id)).get();
  if (!row) throw new NotFound();
  return row;
}

function assertValid(tx: Tx, input: FundInput, exceptId: number | null): void {
  if (input.budget !== null && (!Number.isSafeInteger(input.budget) || input.budget < 1 || input.budget > MAX_FUND_BUDGET)) {
    throw new InvalidInput({ budget: 'funds.budget.tooLarge' });
  }
  if (input.startsOn !== null && input.endsOn !== null && input.startsOn > input.endsOn) throw new InvalidInput({ endsOn: 'funds.period.order' });
  const sameName = tx
    .select({ id: funds.id })
    .from(funds)
    .where(exceptId === null ? eq(funds.name, input.name) : and(eq(funds.name, input.name), ne(funds.id, exceptId)))
    .get();
  if (sameName) throw new InvalidInput({ name: 'funds.name.taken' });
}

export function createFund(db: Db, actor: Actor, input: FundInput, now: Date): number {
  assertCan(actor, 'admin.manage');
  return writeTransaction(db, (tx) => {
    assertValid(tx, input, null);
    const row = tx
      .insert(funds)
      .values({ ...input, isDefault: false, isActive: true, createdAt: now.toISOString() })
      .returning()
      .get();
    recordAudit(tx, { action: 'fund.created', actorUserId: actor.userId, entityType: 'fund', entityId: row.id, after: auditable(row), at: now });
    return row.id;
  });
}

export function updateFund(db: Db, actor: Actor, id: number, input: FundInput, now: Date): void {
  assertCan(actor, 'admin.manage');
  writeTransaction(db, (tx) => {
    const before = getFund(tx, id);
    assertValid(tx, input, id);
    if (before.name === input.name && before.budget === input.budget && before.startsOn === input.startsOn && before.endsOn === input.endsOn) return;
    const after = tx.update(funds).set(input).where(eq(funds.id, id)).returning().get();
    recordAudit(tx, {
      action: 'fund.updated',
      actorUserId: actor.userId,
      entityType: 'fund',
      entityId: id,
      before: auditable(before),
      after: auditable(after),
      at: now,
    });
  });
}

/** Exactly one default (unique index funds_one_default_idx): the old one is cleared first, in the same transaction. */
export function makeDefaultFund(db: Db, actor: Actor, id: number, now: Date): void {
  assertCan(actor, 'admin.manage');
  writeTransaction(db, (tx) => {
    const target = getFund(tx, id);
    if (target.isDefault) return;
    if (!target.isActive) throw new Conflict('funds.inactiveCannotBeDefault');
    const previous = findDefaultFund(tx);
    tx.update(funds).set({ isDefault: false }).where(eq(funds.isDefault, true)).run();
    tx.update(funds).set({ isDefault: true }).where(eq(funds.id, id)).run();
    recordAudit(tx, {
      action: 'fund.default_changed',
      actorUserId: actor.userId,
      entityType: 'fund',
      entityId: id,
      at: now,
      before: { defaultFundId: previous?.id ?? null },
      after: { defaultFundId: id },
    });
  });
}

/** An inactive fund takes no new disbursements; its past ones still count. The default stays active. */
export function setFundActive(db: Db, actor: Actor, id: number, isActive: boolean, now: Date): void {
  assertCan(actor, 'admin.manage');
  writeTransaction(db, (tx) => {
    const before = getFund(tx, id);
    if (before.isActive === isActive) return;
    if (!isActive && before.isDefault) throw new Conflict('funds.defaultCannotBeDeactivated');
    tx.update(funds).set({ isActive }).where(eq(funds.id, id)).run();
    recordAudit(tx, {
      action: isActive ? 'fund.reactivated' : 'fund.deactivated',
      actorUserId: actor.userId,
      entityType: 'fund',
      entityId: id,
      at: now,
      before: { isActive: before.isActive },
      after: { isActive },
    });
  });
}
