import { and, asc, count, desc, eq, inArray, sql } from 'drizzle-orm';
import { writeTransaction, type Db, type Tx } from '../../db/client.js';
import { cases, categories, disbursementLines, disbursements, funds, METHODS, organizations, receipts, users } from '../../db/schema.js';
import { assertCan, assertVisible, can, scopeTo, type Actor, type OwnedRecord } from './actor.js';
import { recordAudit, type AuditFields } from './audit.js';
import { categoryLabel, listActiveCategories } from './categories.js';
import { Conflict, InvalidInput, NotFound } from './errors.js';
import { findDefaultFund, listActiveFunds } from './funds.js';
import { onceForKey } from './idempotency.js';
import { assertNotInLockedPeriod } from './period-locks.js';
import { assertAcknowledged, assessLimits, recordFlags, type Acknowledgement } from './limits.js';
import { insertReceipts, type StoredReceipt } from './receipts.js';

export type Method = (typeof METHODS)[number];

/** A disbursement as the form gives it: category codes, integer yen. */
export interface DisbursementInput {
  caseId: number;
  paidOn: string;
  fundId: number;
  method: Method;
  peopleCovered: number;
  payee: string | null;
  note: string | null;
  lines: { category: string; amount: number }[];
  /** Going past a cap or duplicate warning (issue 14 §2); absent = no warning may be raised. */
  acknowledgement?: Acknowledgement;
}

type Params = Record<string, string | number>;

/** The record's own columns as a form gives them: creating and editing write the same ones. */
const contentColumns = (f: DisbursementInput) => ({
  paidOn: f.paidOn,
  fundId: f.fundId,
  method: f.method,
  peopleCovered: f.peopleCovered,
  payee: f.payee,
  note: f.note,
});

/** Rules that need the database, broken: per-field message keys, and their placeholders. */
export class DisbursementRulesBroken extends InvalidInput {
  constructor(
    fieldErrors: Record<string, string>,
    readonly errorParams: Params,
  ) {
    super(fieldErrors);
  }
}

/** A case money can be logged against: visible to the actor (else 404). */
function findCase(tx: Tx, actor: Actor, caseId: number) {
  const theCase = tx
    .select({ id: cases.id, code: cases.code, organizationId: cases.organizationId, householdSize: cases.householdSize, status: cases.status })
    .from(cases)
    .where(and(eq(cases.id, caseId), scopeTo(actor, cases.organizationId)))
    .get();
  return assertVisible(actor, theCase);
}
type CaseRow = ReturnType<typeof findCase>;

/** What the new form needs: an open case of the actor's scope (else 404), the lists, the defaults. */
export function loadNewDisbursementForm(db: Db, actor: Actor, caseId: number) {
  const theCase = findCase(db, actor, caseId);
  if (theCase.status !== 'open') throw new NotFound();
  assertCan(actor, 'disbursement.create', theCase);
  return { theCase, ...formLists(db), defaultFundId: findDefaultFund(db)?.id ?? null };
}

export function formLists(tx: Tx) {
  return { categories: listActiveCategories(tx), funds: listActiveFunds(tx) };
}

/** SPEC §3 rules needing the database; returns the lines with their category ids. */
function checkRules(tx: Tx, actor: Actor, theCase: CaseRow, input: DisbursementInput) {
  const errors: Record<string, string> = {};
  const params: Params = {};
  const fund = tx.select().from(funds).where(eq(funds.id, input.fundId)).get();
  if (!fund || !fund.isActive) errors.fundId = 'validation.invalidChoice';
  const codes = [...new Set(input.lines.map((l) => l.category))];
  const found = codes.length > 0 ? tx.select().from(categories).where(inArray(categories.code, codes)).all() : [];
  const byCode = new Map(found.map((c) => [c.code, c]));
  const lines = input.lines.map((line, i) => {
    const category = byCode.get(line.category);
    if (!category) errors[`lines[${i}][category]`] = 'validation.invalidChoice';
    else if (!category.isActive) errors[`lines[${i}][category]`] = 'disbursements.categoryRetired';
    else if (category.requiresNote && !input.note) {
      errors.note = 'disbursements.noteRequired';
      params.category = categoryLabel(category, actor.locale);
    }
    return { categoryId: category?.id ?? 0, amount: line.amount, code: line.category };
  });
  if (input.peopleCovered > theCase.householdSize) {
    errors.peopleCovered = 'disbursements.peopleOverHousehold';
    params.household = theCase.householdSize;
  }
  try {
    assertNotInLockedPeriod(tx, input.paidOn);
  } catch (error) {
    if (!(error instanceof Conflict)) throw error;
    errors.paidOn = error.messageKey;
    Object.assign(params, error.params);
  }
  if (Object.keys(errors).length > 0) throw new DisbursementRulesBroken(errors, params);
  return lines;
}

type Parent = Pick<typeof disbursements.$inferSelect, 'id' | 'status' | 'paidOn' | 'organizationId' | 'fundId' | 'caseId'>;

/** Lines carry copies of their parent's columns; a trigger refuses any mismatch. */
function insertLines(tx: Tx, parent: Parent, lines: { categoryId: number; amount: number }[]): void {
  lines.forEach((line, position) => {
    tx.insert(disbursementLines)
      .values({
        disbursementId: parent.id,
        position,
        categoryId: line.categoryId,
        amount: line.amount,
        status: parent.status,
        paidOn: parent.paidOn,
        organizationId: parent.organizationId,
        fundId: parent.fundId,
        caseId: parent.caseId,
      })
      .run();
  });
}

/** Allow-listed for audit: payee and note may name a person, so only whether they are set. */
function auditView(d: Omit<DisbursementInput, 'lines'>, lines: { code: string; amount: number }[]): AuditFields {
  return {
    caseId: d.caseId,
    paidOn: d.paidOn,
    fundId: d.fundId,
    method: d.method,
    peopleCovered: d.peopleCovered,
    hasPayee: d.payee !== null,
    hasNote: d.note !== null,
    lines: lines.map((l) => ({ category: l.code, amount: l.amount })),
    total: lines.reduce((sum, l) => sum + l.amount, 0),
  };
}

/** Which warnings the record went past (the reason is free text: it stays out of the audit payload). */
const flagKinds = (warnings: { kind: string }[]): AuditFields => (warnings.length > 0 ? { warnings: [...new Set(warnings.map((w) => w.kind))] } : {});

/**
 * Log a disbursement with its lines and receipts, all or nothing, at most once per form key
 * (SPEC §7): a repeat answers the first record's location.
 */
export function createDisbursement(
  db: Db,
  actor: Actor,
  input: DisbursementInput & { idempotencyKey: string; receipts: StoredReceipt[] },
  now: Date,
): { location: string; replayed: boolean } {
  const { idempotencyKey, receipts: stored, ...fields } = input;
  const payload = { ...fields, receipts: stored.map((r) => r.sourceSha256) };
  return writeTransaction(db, (tx) => {
    const theCase = findCase(tx, actor, input.caseId);
    assertCan(actor, 'disbursement.create', theCase);
    return onceForKey(tx, { key: idempotencyKey, userId: actor.userId, payload, now }, () => {
      if (theCase.status !== 'open') throw new Conflict('disbursements.caseClosed');
      const lines = checkRules(tx, actor, theCase, fields);
      const warnings = assessLimits(tx, { caseId: theCase.id, fundId: fields.fundId, paidOn: fields.paidOn, lines }, null);
      assertAcknowledged(warnings, fields.acknowledgement);
      const row = tx
        .insert(disbursements)
        .values({
          caseId: theCase.id,
          organizationId: theCase.organizationId,
          ...contentColumns(fields),
          submittedBy: actor.userId,
          submittedAt: now.toISOString(),
          updatedAt: now.toISOString(),
        })
        .returning()
        .get();
      insertLines(tx, row, lines);
      recordFlags(tx, row.id, warnings, fields.acknowledgement);
      recordAudit(tx, {
        action: 'disbursement.created',
        actorUserId: actor.userId,
        entityType: 'disbursement',
        entityId: row.id,
        after: { ...auditView(fields, lines), organizationId: row.organizationId, receipts: stored.length, ...flagKinds(warnings) },
        at: now,
      });
      insertReceipts(tx, actor, row.id, stored, now);
      return `/disbursements/${row.id}`;
    });
  });
}

/** Whether the record's page offers editing: the same rule loadForChange enforces. */
export function mayEditDisbursement(actor: Actor, d: OwnedRecord & { status: string }): boolean {
  return d.status === 'pending' && can(actor, 'disbursement.update', d);
}

function loadForChange(tx: Tx, actor: Actor, id: number) {
  const d = assertVisible(actor, tx.select().from(disbursements).where(eq(disbursements.id, id)).get());
  assertCan(actor, 'disbursement.update', d);
  // Once decided nobody edits it: a correction is a void plus a new record (SPEC §2).
  if (!mayEditDisbursement(actor, d)) throw new Conflict('disbursements.decided');
  return d;
}

/** Replace a pending disbursement's content and lines (the case stays); `version` is what the form saw. */
export function updateDisbursement(db: Db, actor: Actor, id: number, input: DisbursementInput & { version: number | null }, now: Date): void {
  writeTransaction(db, (tx) => {
    const before = loadForChange(tx, actor, id);
    if (input.version !== null && input.version !== before.version) throw new Conflict('disbursements.changedMeanwhile');
    assertNotInLockedPeriod(tx, before.paidOn);
    const theCase = findCase(tx, actor, before.caseId);
    const fields = { ...input, caseId: before.caseId };
    const lines = checkRules(tx, actor, theCase, fields);
    const warnings = assessLimits(tx, { caseId: theCase.id, fundId: fields.fundId, paidOn: fields.paidOn, lines }, id);
    assertAcknowledged(warnings, fields.acknowledgement);
    const oldLines = linesWithCategory(tx, [id]);
    tx.delete(disbursementLines).where(eq(disbursementLines.disbursementId, id)).run();
    const after = tx
      .update(disbursements)
      .set({
        ...contentColumns(fields),
        version: before.version + 1,
        updatedAt: now.toISOString(),
      })
      .where(and(eq(disbursements.id, id), eq(disbursements.status, 'pending'), eq(disbursements.version, before.version)))
      .returning()
      .get();
    if (!after) throw new Conflict('disbursements.changedMeanwhile');
    insertLines(tx, after, lines);
    recordFlags(tx, id, warnings, fields.acknowledgement);
    recordAudit(tx, {
      action: 'disbursement.updated',
      actorUserId: actor.userId,
      entityType: 'disbursement',
      entityId: id,
      before: auditView(before, oldLines),
      after: { ...auditView(fields, lines), ...flagKinds(warnings) },
      at: now,
    });
  });
}

/** The edit form's data: a pending disbursement the actor may change (else 404 / 403 / 409). */
export function loadDisbursementForEdit(db: Db, actor: Actor, id: number) {
  loadForChange(db, actor, id);
  return { detail: findDisbursementFor(db, actor, id), ...formLists(db) };
}

const namesOf = (tx: Tx, ids: (number | null)[]) => {
  const wanted = ids.filter((v): v is number => v !== null);
  const rows = wanted.length > 0 ? tx.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, wanted)).all() : [];
  return new Map(rows.map((r) => [r.id, r.name]));
};

/**
 * The lines of the given disbursements with their category's code and names, each record's in
 * form order. No scope check: callers pass ids they have already loaded through the actor.
 */
export function linesWithCategory(tx: Tx, disbursementIds: readonly number[]) {
  if (disbursementIds.length === 0) return [];
  return tx
    .select({
      disbursementId: disbursementLines.disbursementId,
      position: disbursementLines.position,
      amount: disbursementLines.amount,
      code: categories.code,
      labelJa: categories.labelJa,
      labelEn: categories.labelEn,
    })
    .from(disbursementLines)
    .innerJoin(categories, eq(categories.id, disbursementLines.categoryId))
    .where(inArray(disbursementLines.disbursementId, [...disbursementIds]))
    .orderBy(asc(disbursementLines.disbursementId), asc(disbursementLines.position))
    .all();
}

/** Everything the show page needs, loaded through the actor's scope (not visible → 404). */
export function findDisbursementFor(tx: Tx, actor: Actor, id: number) {
  const row = tx
    .select({ d: disbursements, caseCode: cases.code, householdSize: cases.householdSize, organizationName: organizations.name, fundName: funds.name })
    .from(disbursements)
    .innerJoin(cases, eq(cases.id, disbursements.caseId))
    .innerJoin(organizations, eq(organizations.id, disbursements.organizationId))
    .innerJoin(funds, eq(funds.id, disbursements.fundId))
    .where(and(eq(disbursements.id, id), scopeTo(actor, disbursements.organizationId)))
    .get();
  if (!row) throw new NotFound();
  const { d } = row;
  const lines = linesWithCategory(tx, [id]).map((l) => ({ ...l, label: categoryLabel(l, actor.locale) }));
  const attached = tx
    .select({ id: receipts.id, mediaType: receipts.mediaType, byteSize: receipts.byteSize, uploadedAt: receipts.uploadedAt })
    .from(receipts)
    .where(eq(receipts.disbursementId, id))
    .orderBy(asc(receipts.id))
    .all();
  const names = namesOf(tx, [d.submittedBy, d.decidedBy, d.voidedBy]);
  return {
    ...row,
    lines,
    total: lines.reduce((sum, l) => sum + l.amount, 0),
    receipts: attached,
    submittedByName: names.get(d.submittedBy) ?? '',
    decidedByName: d.decidedBy === null ? null : (names.get(d.decidedBy) ?? ''),
    voidedByName: d.voidedBy === null ? null : (names.get(d.voidedBy) ?? ''),
  };
}
export type DisbursementDetail = ReturnType<typeof findDisbursementFor>;

const lineTotal = sql<number>`(SELECT coalesce(sum(${disbursementLines.amount}), 0) FROM ${disbursementLines} WHERE ${disbursementLines.disbursementId} = ${disbursements.id})`;

/** The latest submissions in the actor's scope, newest first (home page). */
export function listRecentDisbursements(tx: Tx, actor: Actor, limit = 20) {
  return tx
    .select({
      id: disbursements.id,
      paidOn: disbursements.paidOn,
      status: disbursements.status,
      rejectReason: disbursements.rejectReason,
      submittedAt: disbursements.submittedAt,
      caseCode: cases.code,
      organizationName: organizations.name,
      total: lineTotal,
    })
    .from(disbursements)
    .innerJoin(cases, eq(cases.id, disbursements.caseId))
    .innerJoin(organizations, eq(organizations.id, disbursements.organizationId))
    .where(scopeTo(actor, disbursements.organizationId))
    .orderBy(desc(disbursements.submittedAt), desc(disbursements.id))
    .limit(limit)
    .all();
}

export function countPendingDisbursements(tx: Tx, actor: Actor): number {
  return (
    tx
      .select({ n: count() })
      .from(disbursements)
      .where(and(eq(disbursements.status, 'pending'), scopeTo(actor, disbursements.organizationId)))
      .get()?.n ?? 0
  );
}
