import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { writeTransaction, type Db, type Tx } from '../../db/client.js';
import { cases, categories, disbursements, organizations, roundApplications, roundEntries, users } from '../../db/schema.js';
import { assertCan, assertVisible, scopeTo, type Actor } from './actor.js';
import { recordAudit } from './audit.js';
import { todayInTokyo } from './dates.js';
import { createDisbursement, type Method } from './disbursements.js';
import { Conflict, Forbidden, InvalidInput } from './errors.js';
import { onceForKey } from './idempotency.js';
import { entryAmount, getRound, type Round } from './rounds.js';
import { approveDisbursement, rejectDisbursement } from './workflow.js';

export interface ApplicationInput {
  paidOn: string;
  method: Method;
  entries: { caseId: number; peopleCovered: number }[];
  idempotencyKey: string;
}

/** Disbursement states that hold a case's place in a round (a rejected or withdrawn one frees it). */
const HOLDING = ['pending', 'approved'] as const;

/** The group's open cases, for the form: each with its household size and whether it is in the round already. */
export function listApplicableCases(tx: Tx, actor: Actor, roundId: number) {
  const taken = new Set(
    tx
      .select({ caseId: roundEntries.caseId })
      .from(roundEntries)
      .innerJoin(disbursements, eq(disbursements.id, roundEntries.disbursementId))
      .where(and(eq(roundEntries.roundId, roundId), eq(roundEntries.organizationId, actor.organizationId), inArray(disbursements.status, [...HOLDING])))
      .all()
      .map((r) => r.caseId),
  );
  return tx
    .select({ id: cases.id, code: cases.code, householdSize: cases.householdSize })
    .from(cases)
    .where(and(eq(cases.organizationId, actor.organizationId), eq(cases.status, 'open')))
    .orderBy(asc(cases.code))
    .all()
    .filter((c) => !taken.has(c.id));
}

/** People the group already holds in the round (pending or approved). */
function peopleHeld(tx: Tx, roundId: number, organizationId: number): number {
  return (
    tx
      .select({ n: sql<number>`coalesce(sum(${roundEntries.peopleCovered}), 0)` })
      .from(roundEntries)
      .innerJoin(disbursements, eq(disbursements.id, roundEntries.disbursementId))
      .where(and(eq(roundEntries.roundId, roundId), eq(roundEntries.organizationId, organizationId), inArray(disbursements.status, [...HOLDING])))
      .get()?.n ?? 0
  );
}

function checkApplication(tx: Tx, actor: Actor, round: Round, input: ApplicationInput, now: Date): void {
  const errors: Record<string, string> = {};
  if (!round.isOpen) throw new Conflict('rounds.closedForApplications');
  if (input.paidOn < round.startsOn || input.paidOn > round.endsOn) errors.paidOn = 'rounds.paidOnOutsideWindow';
  else if (input.paidOn > todayInTokyo({ now: () => now })) errors.paidOn = 'disbursements.paidOnFuture';
  if (input.entries.length === 0) errors.entries = 'rounds.noCases';
  const seen = new Set<number>();
  const applicable = new Map(listApplicableCases(tx, actor, round.id).map((c) => [c.id, c]));
  input.entries.forEach((entry, i) => {
    const theCase = applicable.get(entry.caseId);
    // Another group's case, a closed one, or one already in the round: the same refusal.
    if (!theCase || seen.has(entry.caseId)) errors[`entries[${i}][caseId]`] = 'rounds.caseNotApplicable';
    else if (entry.peopleCovered > theCase.householdSize) errors[`entries[${i}][people]`] = 'rounds.peopleOverHousehold';
    seen.add(entry.caseId);
  });
  const people = input.entries.reduce((sum, e) => sum + e.peopleCovered, 0);
  if (round.maxPeoplePerGroup !== null && peopleHeld(tx, round.id, actor.organizationId) + people > round.maxPeoplePerGroup) {
    errors.entries = 'rounds.overGroupCap';
  }
  if (Object.keys(errors).length > 0) throw new InvalidInput(errors);
}

/**
 * A partner group applies with many cases at once: one application, and per case one ordinary
 * pending disbursement created by createDisbursement (so review, figures, exports and audit are
 * those of any record). All or nothing, once per form key.
 */
export function applyToRound(db: Db, actor: Actor, roundId: number, input: ApplicationInput, now: Date): { location: string; replayed: boolean } {
  // Partner groups apply for their own cases; the network decides.
  if (actor.role !== 'supporter') throw new Forbidden();
  return writeTransaction(db, (tx) => {
    const round = getRound(tx, roundId);
    return onceForKey(tx, { key: input.idempotencyKey, userId: actor.userId, payload: { roundId, ...input }, now }, () => {
      checkApplication(tx, actor, round, input, now);
      const category = tx.select({ code: categories.code }).from(categories).where(eq(categories.id, round.categoryId)).get()!;
      const application = tx
        .insert(roundApplications)
        .values({
          roundId,
          organizationId: actor.organizationId,
          paidOn: input.paidOn,
          method: input.method,
          submittedBy: actor.userId,
          submittedAt: now.toISOString(),
        })
        .returning()
        .get();
      input.entries.forEach((entry, i) => {
        const amount = entryAmount(round, entry.peopleCovered);
        // A nested transaction is a savepoint of this one: all cases land together or none does.
        const created = createDisbursement(
          db,
          actor,
          {
            caseId: entry.caseId,
            paidOn: input.paidOn,
            fundId: round.fundId,
            method: input.method,
            peopleCovered: entry.peopleCovered,
            // The round name is the note: a category that asks for one (other) is explained by it.
            payee: null,
            note: round.name,
            lines: [{ category: category.code, amount }],
            receipts: [],
            idempotencyKey: `${input.idempotencyKey.slice(0, 40)}-r${application.id}-${i}`,
            // The round is the reason for going past a cap; a possible duplicate is flagged to the reviewer.
            acknowledgement: { overCapReason: round.name, duplicateConfirmed: true },
          },
          now,
        );
        const disbursementId = Number(created.location.split('/').pop());
        tx.insert(roundEntries)
          .values({
            applicationId: application.id,
            roundId,
            organizationId: actor.organizationId,
            caseId: entry.caseId,
            peopleCovered: entry.peopleCovered,
            amount,
            disbursementId,
          })
          .run();
      });
      const total = input.entries.reduce((sum, e) => sum + entryAmount(round, e.peopleCovered), 0);
      recordAudit(tx, {
        action: 'round_application.submitted',
        actorUserId: actor.userId,
        entityType: 'round_application',
        entityId: application.id,
        at: now,
        after: {
          roundId,
          organizationId: actor.organizationId,
          paidOn: input.paidOn,
          cases: input.entries.length,
          people: input.entries.reduce((s, e) => s + e.peopleCovered, 0),
          total,
        },
      });
      return `/round-applications/${application.id}`;
    });
  });
}

/** An application with its entries and their disbursements' states, through the actor's scope. */
export function findApplicationFor(tx: Tx, actor: Actor, id: number) {
  const application = assertVisible(actor, tx.select().from(roundApplications).where(eq(roundApplications.id, id)).get());
  const round = getRound(tx, application.roundId);
  const entries = tx
    .select({
      id: roundEntries.id,
      caseId: roundEntries.caseId,
      caseCode: cases.code,
      peopleCovered: roundEntries.peopleCovered,
      amount: roundEntries.amount,
      disbursementId: roundEntries.disbursementId,
      status: disbursements.status,
      version: disbursements.version,
      rejectReason: disbursements.rejectReason,
    })
    .from(roundEntries)
    .innerJoin(cases, eq(cases.id, roundEntries.caseId))
    .innerJoin(disbursements, eq(disbursements.id, roundEntries.disbursementId))
    .where(eq(roundEntries.applicationId, id))
    .orderBy(asc(roundEntries.id))
    .all();
  const organization = tx.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, application.organizationId)).get()!;
  const submitter = tx.select({ name: users.displayName }).from(users).where(eq(users.id, application.submittedBy)).get()!;
  const total = (pred: (e: (typeof entries)[number]) => boolean) => entries.filter(pred).reduce((s, e) => s + e.amount, 0);
  return {
    application,
    round,
    entries,
    organizationName: organization.name,
    submittedByName: submitter.name,
    totals: { applied: total(() => true), pending: total((e) => e.status === 'pending'), approved: total((e) => e.status === 'approved') },
  };
}

/** Applications of a round, newest first, in the actor's scope. */
export function listApplications(tx: Tx, actor: Actor, roundId: number) {
  return tx
    .select({
      id: roundApplications.id,
      paidOn: roundApplications.paidOn,
      submittedAt: roundApplications.submittedAt,
      organizationName: organizations.name,
      cases: sql<number>`count(${roundEntries.id})`,
      total: sql<number>`coalesce(sum(${roundEntries.amount}), 0)`,
      pending: sql<number>`coalesce(sum(CASE WHEN ${disbursements.status} = 'pending' THEN 1 END), 0)`,
    })
    .from(roundApplications)
    .innerJoin(organizations, eq(organizations.id, roundApplications.organizationId))
    .innerJoin(roundEntries, eq(roundEntries.applicationId, roundApplications.id))
    .innerJoin(disbursements, eq(disbursements.id, roundEntries.disbursementId))
    .where(and(eq(roundApplications.roundId, roundId), scopeTo(actor, roundApplications.organizationId)))
    .groupBy(roundApplications.id)
    .orderBy(sql`${roundApplications.submittedAt} DESC`, sql`${roundApplications.id} DESC`)
    .all();
}

export type EntryDecision = 'approve' | 'reject' | 'skip';

/**
 * The coordinator decides an application whole or case by case: each decision goes through the
 * ordinary approve/reject of its disbursement (four eyes, period locks, stale versions), all in one
 * transaction so a refusal of one case leaves every case as it was.
 */
export function decideApplication(
  db: Db,
  actor: Actor,
  id: number,
  input: { decisions: Map<number, { decision: EntryDecision; version: number }>; reason: string | null },
  now: Date,
): { approved: number; rejected: number } {
  assertCan(actor, 'disbursement.approve');
  return writeTransaction(db, (tx) => {
    const { entries } = findApplicationFor(tx, actor, id);
    let approved = 0;
    let rejected = 0;
    for (const entry of entries) {
      const choice = input.decisions.get(entry.id);
      if (!choice || choice.decision === 'skip') continue;
      if (choice.decision === 'approve') {
        approveDisbursement(db, actor, entry.disbursementId, { expectedVersion: choice.version }, now);
        approved += 1;
      } else {
        if (!input.reason) throw new InvalidInput({ reason: 'validation.required' });
        rejectDisbursement(db, actor, entry.disbursementId, { expectedVersion: choice.version, reason: input.reason }, now);
        rejected += 1;
      }
    }
    if (approved + rejected === 0) throw new InvalidInput({ decisions: 'rounds.nothingDecided' });
    recordAudit(tx, {
      action: 'round_application.decided',
      actorUserId: actor.userId,
      entityType: 'round_application',
      entityId: id,
      after: { approved, rejected },
      at: now,
    });
    return { approved, rejected };
  });
}

/** Whether the viewer may decide on anything in this application now (the page shows the form only then). */
export function mayDecideApplication(actor: Actor, detail: ReturnType<typeof findApplicationFor>): boolean {
  return actor.role === 'coordinator' && detail.application.submittedBy !== actor.userId && detail.entries.some((e) => e.status === 'pending');
}
