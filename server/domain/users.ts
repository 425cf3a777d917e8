import { asc, eq, sql } from 'drizzle-orm';
import { writeTransaction, type Db, type Tx } from '../../db/client.js';
import { organizations, users, type Locale, type Role } from '../../db/schema.js';
import { assertCan, type Actor } from './actor.js';
import { recordAudit } from './audit.js';
import { normalizeEmail } from './auth.js';
import { Conflict, InvalidInput, NotFound } from './errors.js';
import { clearLoginFailures, isThrottled, recordLoginFailure } from './login-throttle.js';
import { burnVerifyTime, hashPassword, passwordLengthProblem, verifyPassword } from './passwords.js';
import { invalidateUserSessions } from './sessions.js';

/** The message key of a password change refused because the account is locked. */
export const PASSWORD_LOCKED = 'account.passwordLocked';

export interface NewUser {
  email: string;
  displayName: string;
  role: Role;
  organizationId: number;
  isAdmin: boolean;
  locale?: Locale;
  mustChangePassword?: boolean;
}

/** The fields of a user an audit event may carry (never the password hash). */
export const auditableUser = (u: { email: string; displayName: string; role: Role; organizationId: number; isAdmin: boolean; isActive: boolean }) => ({
  email: u.email,
  displayName: u.displayName,
  role: u.role,
  organizationId: u.organizationId,
  isAdmin: u.isAdmin,
  isActive: u.isActive,
});

export function assertPasswordAcceptable(password: string, field = 'password'): void {
  const problem = passwordLengthProblem(password);
  if (problem) throw new InvalidInput({ [field]: `password.${problem}` });
}

/** Hash first (slow, async), then write user and audit event in one transaction. */
export async function createUser(db: Db, actorUserId: number | null, input: NewUser, password: string, now: Date): Promise<number> {
  assertPasswordAcceptable(password);
  const passwordHash = await hashPassword(password);
  const email = normalizeEmail(input.email);
  return writeTransaction(db, (tx) => {
    if (tx.select({ id: users.id }).from(users).where(eq(users.email, email)).get()) {
      throw new InvalidInput({ email: 'admin.users.emailTaken' });
    }
    const row = tx
      .insert(users)
      .values({
        email,
        displayName: input.displayName,
        role: input.role,
        organizationId: input.organizationId,
        isAdmin: input.role === 'coordinator' && input.isAdmin,
        locale: input.locale ?? 'ja',
        passwordHash,
        mustChangePassword: input.mustChangePassword ?? false,
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
      })
      .returning()
      .get();
    recordAudit(tx, { action: 'user.created', actorUserId, entityType: 'user', entityId: row.id, after: auditableUser(row), at: now });
    return row.id;
  });
}

export function countUsers(tx: Tx): number {
  return (
    tx
      .select({ n: sql<number>`count(*)` })
      .from(users)
      .get()?.n ?? 0
  );
}

/**
 * The signed-in user changes their own password: all their sessions end (SPEC §8). A wrong current
 * password counts toward the same per-account lock as a failed sign-in, and is audited: an open
 * session left on a shared computer is no way around the lock.
 */
export async function changeOwnPassword(db: Db, actor: Actor, current: string, next: string, now: Date): Promise<void> {
  const user = db.select().from(users).where(eq(users.id, actor.userId)).get();
  if (!user) throw new Conflict('errors.notFound');
  const accountKey = normalizeEmail(user.email);
  if (isThrottled(db, 'account', accountKey, now)) {
    await burnVerifyTime(current);
    writeTransaction(db, (tx) =>
      recordAudit(tx, { action: 'user.password_change_throttled', actorUserId: actor.userId, entityType: 'user', entityId: actor.userId, at: now }),
    );
    throw new InvalidInput({ currentPassword: PASSWORD_LOCKED });
  }
  if (!(await verifyPassword(user.passwordHash, current))) {
    writeTransaction(db, (tx) => {
      recordLoginFailure(tx, 'account', accountKey, now);
      recordAudit(tx, { action: 'user.password_change_failed', actorUserId: actor.userId, entityType: 'user', entityId: actor.userId, at: now });
    });
    throw new InvalidInput({ currentPassword: 'account.wrongPassword' });
  }
  assertPasswordAcceptable(next, 'newPassword');
  const passwordHash = await hashPassword(next);
  writeTransaction(db, (tx) => {
    clearLoginFailures(tx, 'account', accountKey);
    tx.update(users).set({ passwordHash, mustChangePassword: false, updatedAt: now.toISOString() }).where(eq(users.id, actor.userId)).run();
    invalidateUserSessions(tx, actor.userId);
    recordAudit(tx, { action: 'user.password_changed', actorUserId: actor.userId, entityType: 'user', entityId: actor.userId, at: now });
  });
}

export function setOwnLocale(db: Db, actor: Actor, locale: Locale, now: Date): void {
  writeTransaction(db, (tx) => {
    tx.update(users).set({ locale, updatedAt: now.toISOString() }).where(eq(users.id, actor.userId)).run();
    recordAudit(tx, {
      action: 'user.locale_changed',
      actorUserId: actor.userId,
      entityType: 'user',
      entityId: actor.userId,
      before: { locale: actor.locale },
      after: { locale },
      at: now,
    });
  });
}

// ---- Administration (admin flag only): the user list and the changes an admin makes. ----

/** What the admin pages show of a user: never the password hash. */
const userColumns = {
  id: users.id,
  email: users.email,
  displayName: users.displayName,
  role: users.role,
  isAdmin: users.isAdmin,
  isActive: users.isActive,
  mustChangePassword: users.mustChangePassword,
  organizationId: users.organizationId,
  organizationCode: organizations.code,
  organizationName: organizations.name,
  createdAt: users.createdAt,
};

export interface UserSummary {
  id: number;
  email: string;
  displayName: string;
  role: Role;
  isAdmin: boolean;
  isActive: boolean;
  mustChangePassword: boolean;
  organizationId: number;
  organizationCode: string;
  organizationName: string;
  createdAt: string;
}

export function listUsers(tx: Tx, actor: Actor): UserSummary[] {
  assertCan(actor, 'admin.manage');
  return tx
    .select(userColumns)
    .from(users)
    .innerJoin(organizations, eq(organizations.id, users.organizationId))
    .orderBy(asc(organizations.code), asc(users.email))
    .all();
}

export function getUser(tx: Tx, actor: Actor, id: number): UserSummary {
  assertCan(actor, 'admin.manage');
  const row = tx.select(userColumns).from(users).innerJoin(organizations, eq(organizations.id, users.organizationId)).where(eq(users.id, id)).get();
  if (!row) throw new NotFound();
  return row;
}

export interface UserAccess {
  role: Role;
  organizationId: number;
  isAdmin: boolean;
}

function assertAccessAcceptable(tx: Tx, access: UserAccess, currentOrganizationId: number | null): void {
  if (access.isAdmin && access.role !== 'coordinator') throw new InvalidInput({ isAdmin: 'admin.users.adminOnlyCoordinator' });
  const org = tx.select().from(organizations).where(eq(organizations.id, access.organizationId)).get();
  if (!org) throw new InvalidInput({ organizationId: 'validation.invalidChoice' });
  // Staying in an organization that was deactivated is fine; joining one is not.
  if (!org.isActive && org.id !== currentOrganizationId) throw new InvalidInput({ organizationId: 'admin.users.orgInactive' });
}

/** An admin creates an account with a temporary password the person must change at first sign-in. */
export async function addUser(db: Db, actor: Actor, input: Omit<NewUser, 'mustChangePassword'>, temporaryPassword: string, now: Date): Promise<number> {
  assertCan(actor, 'admin.manage');
  assertAccessAcceptable(db, input, null);
  return createUser(db, actor.userId, { ...input, mustChangePassword: true }, temporaryPassword, now);
}

/**
 * Change a user's role, organization or admin flag. What they may see changes, so every
 * session of theirs ends. An admin never demotes themselves: someone must remain to manage.
 * Returns false when nothing changed.
 */
export function changeUserAccess(db: Db, actor: Actor, id: number, access: UserAccess, now: Date): boolean {
  assertCan(actor, 'admin.manage');
  if (id === actor.userId && (access.role !== 'coordinator' || !access.isAdmin)) {
    throw new InvalidInput({ role: 'admin.users.cannotDemoteSelf' });
  }
  return writeTransaction(db, (tx) => {
    const before = getUser(tx, actor, id);
    assertAccessAcceptable(tx, access, before.organizationId);
    if (before.role === access.role && before.isAdmin === access.isAdmin && before.organizationId === access.organizationId) return false;
    tx.update(users)
      .set({ role: access.role, isAdmin: access.isAdmin, organizationId: access.organizationId, updatedAt: now.toISOString() })
      .where(eq(users.id, id))
      .run();
    invalidateUserSessions(tx, id);
    recordAudit(tx, {
      action: 'user.role_changed',
      actorUserId: actor.userId,
      entityType: 'user',
      entityId: id,
      before: { role: before.role, isAdmin: before.isAdmin, organizationId: before.organizationId },
      after: { role: access.role, isAdmin: access.isAdmin, organizationId: access.organizationId },
      at: now,
    });
    return true;
  });
}

/** Deactivation ends every session at once; the account and its history stay. */
export function setUserActive(db: Db, actor: Actor, id: number, isActive: boolean, now: Date): void {
  assertCan(actor, 'admin.manage');
  if (id === actor.userId && !isActive) throw new Conflict('admin.users.cannotDeactivateSelf');
  writeTransaction(db, (tx) => {
    const before = getUser(tx, actor, id);
    if (before.isActive === isActive) return;
    tx.update(users).set({ isActive, updatedAt: now.toISOString() }).where(eq(users.id, id)).run();
    if (!isActive) invalidateUserSessions(tx, id);
    recordAudit(tx, {
      action: isActive ? 'user.reactivated' : 'user.deactivated',
      actorUserId: actor.userId,
      entityType: 'user',
      entityId: id,
      before: { isActive: before.isActive },
      after: { isActive },
      at: now,
    });
  });
}

/**
 * Set a temporary password: the person must choose their own at next sign-in, and every
 * current session ends. Admins change their own password on the account page instead.
 */
export async function resetUserPassword(db: Db, actor: Actor, id: number, temporaryPassword: string, now: Date): Promise<void> {
  assertCan(actor, 'admin.manage');
  if (id === actor.userId) throw new Conflict('admin.users.resetOwnPassword');
  getUser(db, actor, id);
  assertPasswordAcceptable(temporaryPassword);
  const passwordHash = await hashPassword(temporaryPassword);
  writeTransaction(db, (tx) => {
    getUser(tx, actor, id);
    tx.update(users).set({ passwordHash, mustChangePassword: true, updatedAt: now.toISOString() }).where(eq(users.id, id)).run();
    invalidateUserSessions(tx, id);
    recordAudit(tx, {
      action: 'user.password_reset',
      actorUserId: actor.userId,
      entityType: 'user',
      entityId: id,
      after: { mustChangePassword: true },
      at: now,
    });
  });
}

/** Organizations a new user may join (active ones), for the form's choices. */
export function organizationChoices(tx: Tx, includeId?: number) {
  return tx
    .select({ id: organizations.id, code: organizations.code, name: organizations.name, isActive: organizations.isActive })
    .from(organizations)
    .orderBy(asc(organizations.code))
    .all()
    .filter((o) => o.isActive || o.id === includeId);
}
