import { eq, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Locale, Role } from '../../db/schema.js';
import { Forbidden, NotFound } from './errors.js';

/** Who is asking: the signed-in user as the rules see them. */
export interface Actor {
  readonly userId: number;
  readonly role: Role;
  readonly organizationId: number;
  readonly isAdmin: boolean;
  readonly displayName: string;
  readonly locale: Locale;
}

/** A record the permission table can judge: whose it is, and who submitted it. */
export interface OwnedRecord {
  readonly organizationId: number;
  readonly submittedBy?: number;
  readonly status?: string;
}

export type Action =
  | 'case.read'
  | 'case.readIdentity'
  | 'case.readIdentityWithoutReason'
  | 'identity.revealReport'
  | 'case.purgeIdentity'
  | 'case.disclose'
  | 'case.create'
  | 'case.update'
  | 'disbursement.read'
  | 'disbursement.create'
  | 'disbursement.update'
  | 'disbursement.withdraw'
  | 'disbursement.approve'
  | 'disbursement.reject'
  | 'disbursement.void'
  | 'receipt.attach'
  | 'receipt.read'
  | 'report.read'
  | 'audit.read'
  | 'audit.verify'
  | 'admin.manage'
  | 'shareLinks.manage';

const isOwn = (actor: Actor, record?: OwnedRecord) => record !== undefined && record.organizationId === actor.organizationId;
const isOwnSubmission = (actor: Actor, record?: OwnedRecord) => record?.submittedBy === actor.userId;

/** SPEC §5, the one permission table. Scope (which rows are visible at all) is `visibleOrganization`. */
const rules: Record<Action, (actor: Actor, record?: OwnedRecord) => boolean> = {
  'case.read': (a, r) => a.role !== 'supporter' || isOwn(a, r),
  'case.readIdentity': (a, r) => a.role === 'coordinator' || (a.role === 'supporter' && isOwn(a, r)),
  // Coordinators see every group's people, so they open identity only with a reason (「本人情報を表示」).
  'case.readIdentityWithoutReason': (a, r) => a.role === 'supporter' && isOwn(a, r),
  'identity.revealReport': (a) => a.isAdmin || a.role === 'auditor',
  // Erasing a person on their request is the network office's decision, recorded with a reason.
  'case.purgeIdentity': (a) => a.role === 'coordinator',
  // 開示請求: everything held about one person, produced by the network office and audited.
  'case.disclose': (a) => a.role === 'coordinator',
  'case.create': (a, r) => a.role === 'coordinator' || (a.role === 'supporter' && (r === undefined || isOwn(a, r))),
  'case.update': (a, r) => a.role === 'coordinator' || (a.role === 'supporter' && isOwn(a, r)),
  'disbursement.read': (a, r) => a.role !== 'supporter' || isOwn(a, r),
  'disbursement.create': (a, r) => a.role === 'coordinator' || (a.role === 'supporter' && (r === undefined || isOwn(a, r))),
  'disbursement.update': (a, r) => a.role === 'coordinator' || (a.role === 'supporter' && isOwn(a, r)),
  'disbursement.withdraw': (a, r) => a.role === 'coordinator' || (a.role === 'supporter' && isOwn(a, r)),
  'disbursement.approve': (a, r) => a.role === 'coordinator' && !isOwnSubmission(a, r),
  'disbursement.reject': (a, r) => a.role === 'coordinator' && !isOwnSubmission(a, r),
  'disbursement.void': (a, r) => a.role === 'coordinator' && !isOwnSubmission(a, r),
  'receipt.attach': (a, r) => a.role === 'coordinator' || (a.role === 'supporter' && isOwn(a, r)),
  'receipt.read': (a, r) => a.role !== 'supporter' || isOwn(a, r),
  'report.read': () => true,
  'audit.read': (a) => a.role === 'coordinator' || a.role === 'auditor',
  'audit.verify': (a) => a.role === 'coordinator' || a.role === 'auditor',
  'admin.manage': (a) => a.role === 'coordinator' && a.isAdmin,
  // Publishing figures to outsiders is a coordinator's call (admins are coordinators with the flag).
  'shareLinks.manage': (a) => a.role === 'coordinator',
};

export function can(actor: Actor, action: Action, record?: OwnedRecord): boolean {
  return rules[action](actor, record);
}

export function assertCan(actor: Actor, action: Action, record?: OwnedRecord): void {
  if (!can(actor, action, record)) throw new Forbidden();
}

/**
 * The one place that decides scope: the organization whose rows the actor may see,
 * or null for all. Supporters see their own organization only (SPEC §5).
 */
export function visibleOrganization(actor: Actor): number | null {
  return actor.role === 'supporter' ? actor.organizationId : null;
}

/** A WHERE fragment limiting `column` (an organization id column) to the actor's scope. */
export function scopeTo(actor: Actor, organizationColumn: SQLiteColumn): SQL | undefined {
  const org = visibleOrganization(actor);
  return org === null ? undefined : eq(organizationColumn, org);
}

/** For a record already loaded: out of scope is the same 404 as missing. */
export function assertVisible<T extends OwnedRecord>(actor: Actor, record: T | undefined): T {
  if (!record) throw new NotFound();
  const org = visibleOrganization(actor);
  if (org !== null && record.organizationId !== org) throw new NotFound();
  return record;
}
