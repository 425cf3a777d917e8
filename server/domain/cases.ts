import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { writeTransaction, type Db, type Tx } from '../../db/client.js';
import {
  cases,
  disbursementLines,
  disbursements,
  organizations,
  type AGE_BANDS,
  type CASE_STATUSES,
  type GENDERS,
  type RESIDENCE_STATUSES,
} from '../../db/schema.js';
import { assertCan, assertVisible, can, scopeTo, type Actor } from './actor.js';
import { recordAudit } from './audit.js';
import { type Clock } from './clock.js';
import { todayInTokyo } from './dates.js';
import { InvalidInput, NotFound } from './errors.js';
import type { FieldCipher } from './field-crypto.js';
import { recordFingerprint } from './person-matches.js';
import { onceForKey } from './idempotency.js';
import { identityNeedsReason } from './identity-policy.js';

export type CaseRecord = typeof cases.$inferSelect;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** What may be known about a person without identifying them. */
export interface CaseProfile {
  householdSize: number;
  gender: (typeof GENDERS)[number] | null;
  ageBand: (typeof AGE_BANDS)[number] | null;
  nationality: string | null;
  residenceStatus: (typeof RESIDENCE_STATUSES)[number] | null;
  prefecture: string | null;
}

/** The identifying fields (SPEC §8): encrypted at rest, shown only where case.readIdentity allows. */
export interface CaseIdentity {
  alias: string | null;
  contact: string | null;
  notes: string | null;
}

export interface NewCase extends CaseProfile, CaseIdentity {
  /** Chosen by coordinators; supporters always create in their own organization. */
  organizationId: number | null;
  idempotencyKey: string;
}

export interface CaseChanges extends CaseProfile, CaseIdentity {
  status: CaseStatus;
}

export interface CaseDeps {
  cipher: FieldCipher;
  clock: Clock;
}

const IDENTITY_COLUMNS = { alias: 'alias_enc', contact: 'contact_enc', notes: 'notes_enc' } as const;
type IdentityField = keyof typeof IDENTITY_COLUMNS;
const IDENTITY_FIELDS = Object.keys(IDENTITY_COLUMNS) as IdentityField[];
const place = (rowId: number, field: IdentityField) => ({ table: 'cases', column: IDENTITY_COLUMNS[field], rowId });

/** The profile fields alone, from a row or anything carrying them (a form, the demo's plan). */
export const profileOf = (c: CaseRecord | CaseProfile): CaseProfile => ({
  householdSize: c.householdSize,
  gender: c.gender,
  ageBand: c.ageBand,
  nationality: c.nationality,
  residenceStatus: c.residenceStatus,
  prefecture: c.prefecture,
});

/** The audit payload of a case: profile and status only, never an identifying value or its ciphertext. */
const auditable = (c: CaseRecord) => ({
  code: c.code,
  organizationId: c.organizationId,
  ...profileOf(c),
  status: c.status,
  openedOn: c.openedOn,
  closedOn: c.closedOn,
});

function encryptedColumns(cipher: FieldCipher, rowId: number, identity: CaseIdentity) {
  const seal = (field: IdentityField) => {
    const value = identity[field];
    return value === null ? null : cipher.encrypt(value, place(rowId, field));
  };
  return {
    aliasEnc: seal('alias'),
    contactEnc: seal('contact'),
    notesEnc: seal('notes'),
    aliasIndex: identity.alias === null ? null : cipher.aliasIndex(identity.alias),
  };
}

export function decryptIdentity(cipher: FieldCipher, c: CaseRecord): CaseIdentity {
  const open = (field: IdentityField, stored: string | null) => (stored === null ? null : cipher.decrypt(stored, place(c.id, field)));
  return { alias: open('alias', c.aliasEnc), contact: open('contact', c.contactEnc), notes: open('notes', c.notesEnc) };
}

/** One case through the actor's scope: not theirs and not there are the same NotFound. */
export function findCaseFor(tx: Tx, actor: Actor, id: number): CaseRecord {
  const row = tx
    .select()
    .from(cases)
    .where(and(eq(cases.id, id), scopeTo(actor, cases.organizationId)))
    .get();
  return assertVisible(actor, row);
}

/** Organizations a coordinator may open a case for. */
export function listCaseOrganizations(tx: Tx) {
  return tx
    .select({ id: organizations.id, code: organizations.code, name: organizations.name })
    .from(organizations)
    .where(eq(organizations.isActive, true))
    .orderBy(asc(organizations.code))
    .all();
}

function nextCaseCode(tx: Tx, organizationId: number, year: number): { code: string; seq: number } {
  const org = tx.select({ code: organizations.code, isActive: organizations.isActive }).from(organizations).where(eq(organizations.id, organizationId)).get();
  if (!org || !org.isActive) throw new InvalidInput({ organizationId: 'validation.invalidChoice' });
  const last = tx
    .select({ max: sql<number | null>`max(${cases.codeSeq})` })
    .from(cases)
    .where(and(eq(cases.organizationId, organizationId), eq(cases.codeYear, year)))
    .get();
  const seq = (last?.max ?? 0) + 1;
  return { code: `${org.code}-${year}-${String(seq).padStart(4, '0')}`, seq };
}

/**
 * Open a case (SPEC §2): code per organization and year, identifying fields encrypted with the
 * new row id in their additional data, all in one transaction; the form key makes a double
 * submission answer the first case.
 */
export function createCase(db: Db, actor: Actor, input: NewCase, deps: CaseDeps): { location: string; replayed: boolean } {
  const organizationId = actor.role === 'coordinator' ? input.organizationId : actor.organizationId;
  if (organizationId === null) throw new InvalidInput({ organizationId: 'validation.required' });
  assertCan(actor, 'case.create', { organizationId });
  const now = deps.clock.now();
  const openedOn = todayInTokyo(deps.clock);
  const identity = { alias: input.alias, contact: input.contact, notes: input.notes };
  // The fingerprint covers the identifying input only through a keyed digest: the stored hash reveals nothing.
  const payload = { organizationId, ...profileOf(input), identity: deps.cipher.digest(JSON.stringify(identity)) };
  return writeTransaction(db, (tx) =>
    onceForKey(tx, { key: input.idempotencyKey, userId: actor.userId, payload, now }, () => {
      const year = Number(openedOn.slice(0, 4));
      const { code, seq } = nextCaseCode(tx, organizationId, year);
      const row = tx
        .insert(cases)
        .values({
          organizationId,
          code,
          codeYear: year,
          codeSeq: seq,
          ...profileOf(input),
          status: 'open',
          openedOn,
          createdBy: actor.userId,
          createdAt: now.toISOString(),
          updatedAt: now.toISOString(),
        })
        .returning()
        .get();
      const sealed = tx
        .update(cases)
        .set(encryptedColumns(deps.cipher, row.id, identity))
        .where(eq(cases.id, row.id))
        .returning()
        .get();
      recordFingerprint(tx, deps.cipher, sealed, { name: identity.alias, nationality: sealed.nationality }, now);
      recordAudit(tx, {
        action: 'case.created',
        actorUserId: actor.userId,
        entityType: 'case',
        entityId: row.id,
        at: now,
        after: { ...auditable(sealed), ...identityFlags(IDENTITY_FIELDS.filter((f) => identity[f] !== null)) },
      });
      return `/cases/${row.id}`;
    }),
  );
}

const identityFlags = (fields: IdentityField[]) => Object.fromEntries(fields.map((f) => [`${f}Changed`, true]));

/** Edit a case, including closing (closed on today in Tokyo) and reopening. */
export function updateCase(db: Db, actor: Actor, id: number, changes: CaseChanges, deps: CaseDeps): void {
  writeTransaction(db, (tx) => {
    const before = findCaseFor(tx, actor, id);
    assertCan(actor, 'case.update', before);
    const oldIdentity = decryptIdentity(deps.cipher, before);
    // Whoever sees identity only with a reason gets write-only fields: blank keeps the value, text replaces it.
    if (identityNeedsReason(tx, actor, before)) {
      changes = {
        ...changes,
        alias: changes.alias ?? oldIdentity.alias,
        contact: changes.contact ?? oldIdentity.contact,
        notes: changes.notes ?? oldIdentity.notes,
      };
    }
    const changedIdentity = IDENTITY_FIELDS.filter((f) => oldIdentity[f] !== changes[f]);
    const closedOn = changes.status === 'open' ? null : before.status === 'closed' ? before.closedOn : todayInTokyo(deps.clock);
    const profileSame = Object.entries(profileOf(changes)).every(([k, v]) => before[k as keyof CaseProfile] === v);
    if (profileSame && changedIdentity.length === 0 && before.status === changes.status) return;
    // Unchanged identifying fields keep their ciphertext; changed ones are sealed afresh.
    const sealed = encryptedColumns(deps.cipher, id, changes);
    const identityColumns = {
      aliasEnc: changedIdentity.includes('alias') ? sealed.aliasEnc : before.aliasEnc,
      aliasIndex: changedIdentity.includes('alias') ? sealed.aliasIndex : before.aliasIndex,
      contactEnc: changedIdentity.includes('contact') ? sealed.contactEnc : before.contactEnc,
      notesEnc: changedIdentity.includes('notes') ? sealed.notesEnc : before.notesEnc,
    };
    const now = deps.clock.now();
    const after = tx
      .update(cases)
      .set({ ...profileOf(changes), ...identityColumns, status: changes.status, closedOn, updatedAt: now.toISOString() })
      .where(eq(cases.id, id))
      .returning()
      .get();
    recordFingerprint(tx, deps.cipher, after, { name: changes.alias, nationality: after.nationality }, now);
    recordAudit(tx, {
      action: 'case.updated',
      actorUserId: actor.userId,
      entityType: 'case',
      entityId: id,
      at: now,
      before: auditable(before),
      after: { ...auditable(after), ...identityFlags(changedIdentity) },
    });
  });
}

/**
 * A case as its page shows it. Identifying fields are decrypted only for those the permission
 * table allows, and that reading is itself recorded (SPEC §7: sensitive reads).
 */
export function readCaseFor(
  db: Db,
  actor: Actor,
  id: number,
  deps: CaseDeps,
): { record: CaseRecord; organizationName: string; identity: CaseIdentity | null; revealable: boolean } {
  const record = findCaseFor(db, actor, id);
  const org = db.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, record.organizationId)).get();
  if (!org) throw new NotFound();
  if (!can(actor, 'case.readIdentity', record)) return { record, organizationName: org.name, identity: null, revealable: false };
  // Shown only after 「本人情報を表示」 with a reason (identity-reveals.ts).
  if (identityNeedsReason(db, actor, record)) return { record, organizationName: org.name, identity: null, revealable: true };
  const identity = decryptIdentity(deps.cipher, record);
  const shown = IDENTITY_FIELDS.filter((f) => identity[f] !== null);
  if (shown.length > 0) {
    writeTransaction(db, (tx) =>
      recordAudit(tx, {
        action: 'case.identity_viewed',
        actorUserId: actor.userId,
        entityType: 'case',
        entityId: id,
        at: deps.clock.now(),
        after: { fields: shown },
      }),
    );
  }
  return { record, organizationName: org.name, identity, revealable: false };
}

export const CASES_PAGE_SIZE = 25;

/** Alias search is an identity read: only for those who may read identity in their whole scope. */
export function canSearchByAlias(actor: Actor): boolean {
  // A supporter's scope is their own organization, so every row they could find is theirs to read.
  return can(actor, 'case.readIdentity', { organizationId: actor.organizationId });
}

/** The disbursements of one case for its page: date, status and total, newest first. */
export function listCaseDisbursements(tx: Tx, actor: Actor, caseId: number) {
  return tx
    .select({
      id: disbursements.id,
      paidOn: disbursements.paidOn,
      status: disbursements.status,
      total: sql<number>`coalesce(sum(${disbursementLines.amount}), 0)`,
    })
    .from(disbursements)
    .leftJoin(disbursementLines, eq(disbursementLines.disbursementId, disbursements.id))
    .where(and(eq(disbursements.caseId, caseId), scopeTo(actor, disbursements.organizationId)))
    .groupBy(disbursements.id)
    .orderBy(desc(disbursements.paidOn), desc(disbursements.id))
    .all();
}

/** The edit form's starting values: the stored case with its identity, for those who may update it. */
export function caseFormValues(db: Db, actor: Actor, id: number, deps: CaseDeps): { record: CaseRecord; identity: CaseIdentity } {
  assertCan(actor, 'case.update', findCaseFor(db, actor, id));
  const { record, identity } = readCaseFor(db, actor, id, deps);
  return { record, identity: identity ?? { alias: null, contact: null, notes: null } };
}
