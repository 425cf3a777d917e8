import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { writeTransaction, type Db, type Tx } from '../../db/client.js';
import { categories, disbursements, funds, organizations, roundEntries, rounds, ROUND_UNITS, type RoundUnit } from '../../db/schema.js';
import { assertCan, scopeTo, type Actor } from './actor.js';
import { recordAudit } from './audit.js';
import { categoryLabel } from './categories.js';
import { InvalidInput, NotFound } from './errors.js';
import { computeSummary, type Summary } from './figures.js';

export { ROUND_UNITS, type RoundUnit };
export type Round = typeof rounds.$inferSelect;

export interface RoundInput {
  fundId: number;
  name: string;
  categoryCode: string;
  amount: number;
  unit: RoundUnit;
  startsOn: string;
  endsOn: string;
  maxPeoplePerGroup: number | null;
}

/** What one case of a round is paid: the amount per person × people, or per household once. */
export function entryAmount(round: Pick<Round, 'amount' | 'unit'>, peopleCovered: number): number {
  return round.unit === 'person' ? round.amount * peopleCovered : round.amount;
}

const auditable = (r: Round) => ({
  fundId: r.fundId,
  name: r.name,
  categoryId: r.categoryId,
  amount: r.amount,
  unit: r.unit,
  startsOn: r.startsOn,
  endsOn: r.endsOn,
  maxPeoplePerGroup: r.maxPeoplePerGroup,
  isOpen: r.isOpen,
});

/** Admin opens a round on a fund (issue 14 §1); it starts open for applications. */
export function createRound(db: Db, actor: Actor, input: RoundInput, now: Date): number {
  assertCan(actor, 'admin.manage');
  return writeTransaction(db, (tx) => {
    const errors: Record<string, string> = {};
    const fund = tx.select().from(funds).where(eq(funds.id, input.fundId)).get();
    if (!fund || !fund.isActive) errors.fundId = 'validation.invalidChoice';
    const category = tx.select().from(categories).where(eq(categories.code, input.categoryCode)).get();
    if (!category || !category.isActive) errors.categoryCode = 'validation.invalidChoice';
    if (
      fund &&
      tx
        .select({ id: rounds.id })
        .from(rounds)
        .where(and(eq(rounds.fundId, fund.id), eq(rounds.name, input.name)))
        .get()
    ) {
      errors.name = 'rounds.nameTaken';
    }
    if (Object.keys(errors).length > 0) throw new InvalidInput(errors);
    const { categoryCode: _code, ...fields } = input;
    const row = tx
      .insert(rounds)
      .values({ ...fields, categoryId: category!.id, isOpen: true, createdBy: actor.userId, createdAt: now.toISOString() })
      .returning()
      .get();
    recordAudit(tx, { action: 'round.created', actorUserId: actor.userId, entityType: 'round', entityId: row.id, after: auditable(row), at: now });
    return row.id;
  });
}

/** A closed round takes no new applications; what it paid stays. */
export function setRoundOpen(db: Db, actor: Actor, id: number, isOpen: boolean, now: Date): void {
  assertCan(actor, 'admin.manage');
  writeTransaction(db, (tx) => {
    const before = getRound(tx, id);
    if (before.isOpen === isOpen) return;
    tx.update(rounds).set({ isOpen }).where(eq(rounds.id, id)).run();
    recordAudit(tx, {
      action: isOpen ? 'round.opened' : 'round.closed',
      actorUserId: actor.userId,
      entityType: 'round',
      entityId: id,
      before: { isOpen: before.isOpen },
      after: { isOpen },
      at: now,
    });
  });
}

/** Rounds are the network's public programme: every signed-in role may read them. */
export function getRound(tx: Tx, id: number): Round {
  const row = tx.select().from(rounds).where(eq(rounds.id, id)).get();
  if (!row) throw new NotFound();
  return row;
}

export function listRounds(tx: Tx, actor: Actor) {
  return tx
    .select({ round: rounds, fundName: funds.name, code: categories.code, labelJa: categories.labelJa, labelEn: categories.labelEn })
    .from(rounds)
    .innerJoin(funds, eq(funds.id, rounds.fundId))
    .innerJoin(categories, eq(categories.id, rounds.categoryId))
    .orderBy(desc(rounds.isOpen), desc(rounds.startsOn), asc(rounds.id))
    .all()
    .map((r) => ({ ...r.round, fundName: r.fundName, categoryLabel: categoryLabel(r, actor.locale) }));
}

/** Rounds for the report filter. */
export function listRoundChoices(tx: Tx) {
  return tx
    .select({ id: rounds.id, name: rounds.name, startsOn: rounds.startsOn, endsOn: rounds.endsOn })
    .from(rounds)
    .orderBy(desc(rounds.startsOn), asc(rounds.id))
    .all();
}

/** Money of a round per group, by the state of its disbursements (scoped: a supporter sees their own). */
export function roundProgressByGroup(tx: Tx, actor: Actor, roundId: number) {
  const sum = (statuses: string) => sql<number>`coalesce(sum(CASE WHEN ${disbursements.status} IN (${sql.raw(statuses)}) THEN ${roundEntries.amount} END), 0)`;
  const people = (statuses: string) =>
    sql<number>`coalesce(sum(CASE WHEN ${disbursements.status} IN (${sql.raw(statuses)}) THEN ${roundEntries.peopleCovered} END), 0)`;
  return tx
    .select({
      organizationId: roundEntries.organizationId,
      name: organizations.name,
      applied: sum(`'pending', 'approved', 'rejected', 'voided'`),
      pending: sum(`'pending'`),
      approved: sum(`'approved'`),
      rejected: sum(`'rejected'`),
      peopleApproved: people(`'approved'`),
      peopleClaimed: people(`'pending', 'approved'`),
    })
    .from(roundEntries)
    .innerJoin(disbursements, eq(disbursements.id, roundEntries.disbursementId))
    .innerJoin(organizations, eq(organizations.id, roundEntries.organizationId))
    .where(and(eq(roundEntries.roundId, roundId), scopeTo(actor, roundEntries.organizationId)))
    .groupBy(roundEntries.organizationId)
    .orderBy(asc(organizations.name))
    .all();
}

/** The round's figures through the one report function: its window, its fund, its disbursements. */
export function roundSummary(db: Db | Tx, actor: Actor, round: Round, includePending = false): Summary {
  return computeSummary(db, actor, { from: round.startsOn, to: round.endsOn, organizationId: null, fundId: round.fundId, includePending, roundId: round.id });
}

/** 「1,645人に1人3万円、総額4,935万円」: people = のべ人数 of the round's approved disbursements. */
export function roundHeadline(round: Pick<Round, 'amount' | 'unit'>, summary: Pick<Summary, 'peopleCumulative' | 'disbursements' | 'total'>) {
  return { people: summary.peopleCumulative, households: summary.disbursements, perUnit: round.amount, unit: round.unit, total: summary.total };
}
