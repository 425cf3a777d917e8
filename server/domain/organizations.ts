import { asc, eq } from 'drizzle-orm';
import { writeTransaction, type Db, type Tx } from '../../db/client.js';
import { organizations } from '../../db/schema.js';
import { assertCan, type Actor } from './actor.js';
import { recordAudit } from './audit.js';
import { InvalidInput, NotFound } from './errors.js';

export interface NewOrganization {
  code: string;
  name: string;
  prefecture: string | null;
}

export interface OrganizationChanges {
  name: string;
  prefecture: string | null;
}

export type Organization = typeof organizations.$inferSelect;

export const ORG_CODE_PATTERN = /^[A-Z]{2,6}$/;

/** The fields of an organization an audit event carries. */
const auditableOrganization = (o: Organization) => ({ code: o.code, name: o.name, prefecture: o.prefecture, isActive: o.isActive });

export function findOrganizationByCode(tx: Tx, code: string) {
  return tx.select().from(organizations).where(eq(organizations.code, code)).get();
}

export function listOrganizations(tx: Tx) {
  return tx.select().from(organizations).orderBy(asc(organizations.code)).all();
}

/** One organization by id; a missing one is NotFound (404). Organizations are not case data: no scope. */
export function getOrganization(tx: Tx, id: number): Organization {
  const row = tx.select().from(organizations).where(eq(organizations.id, id)).get();
  if (!row) throw new NotFound();
  return row;
}

/** Call inside a write transaction: the organization and its audit event land together. */
export function createOrganization(tx: Tx, actorUserId: number | null, input: NewOrganization, now: Date): number {
  if (!ORG_CODE_PATTERN.test(input.code)) throw new InvalidInput({ code: 'admin.orgs.codeFormat' });
  if (findOrganizationByCode(tx, input.code)) throw new InvalidInput({ code: 'admin.orgs.codeTaken' });
  // The injected time, not the database's: a replayed history (the demo) keeps its dates.
  const row = tx
    .insert(organizations)
    .values({ ...input, createdAt: now.toISOString() })
    .returning()
    .get();
  recordAudit(tx, {
    action: 'organization.created',
    actorUserId,
    entityType: 'organization',
    entityId: row.id,
    after: auditableOrganization(row),
    at: now,
  });
  return row.id;
}

/** An admin adds an organization from the browser. */
export function addOrganization(db: Db, actor: Actor, input: NewOrganization, now: Date): number {
  assertCan(actor, 'admin.manage');
  return writeTransaction(db, (tx) => createOrganization(tx, actor.userId, input, now));
}

/** Rename or move an organization. The code never changes: it is printed in every case code. */
export function updateOrganization(db: Db, actor: Actor, id: number, changes: OrganizationChanges, now: Date): void {
  assertCan(actor, 'admin.manage');
  writeTransaction(db, (tx) => {
    const before = getOrganization(tx, id);
    if (before.name === changes.name && before.prefecture === changes.prefecture) return;
    const after = tx.update(organizations).set({ name: changes.name, prefecture: changes.prefecture }).where(eq(organizations.id, id)).returning().get();
    recordAudit(tx, {
      action: 'organization.updated',
      actorUserId: actor.userId,
      entityType: 'organization',
      entityId: id,
      before: { name: before.name, prefecture: before.prefecture },
      after: { name: after.name, prefecture: after.prefecture },
      at: now,
    });
  });
}

/**
 * Deactivate or reactivate. An inactive organization gets no new users; its records and
 * users stay as they are (deactivating people is a separate, deliberate act).
 */
export function setOrganizationActive(db: Db, actor: Actor, id: number, isActive: boolean, now: Date): void {
  assertCan(actor, 'admin.manage');
  writeTransaction(db, (tx) => {
    const before = getOrganization(tx, id);
    if (before.isActive === isActive) return;
    tx.update(organizations).set({ isActive }).where(eq(organizations.id, id)).run();
    recordAudit(tx, {
      action: isActive ? 'organization.reactivated' : 'organization.deactivated',
      actorUserId: actor.userId,
      entityType: 'organization',
      entityId: id,
      before: { isActive: before.isActive },
      after: { isActive },
      at: now,
    });
  });
}
