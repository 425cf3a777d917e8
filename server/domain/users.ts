import { eq, sql } from 'drizzle-orm';
import { writeTransaction, type Db, type Tx } from '../../db/client.js';
import { users, type Locale, type Role } from '../../db/schema.js';
import type { Actor } from './actor.js';
import { recordAudit } from './audit.js';
import { normalizeEmail } from './auth.js';
import { Conflict, InvalidInput } from './errors.js';
import { hashPassword, passwordLengthProblem, verifyPassword } from './passwords.js';
import { invalidateUserSessions } from './sessions.js';

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
      })
      .returning()
      .get();
    recordAudit(tx, { action: 'user.created', actorUserId, entityType: 'user', entityId: row.id, after: auditableUser(row), at: now });
    return row.id;
  });
}

export function countUsers(tx: Tx): number {
  return tx.select({ n: sql<number>`count(*)` }).from(users).get()?.n ?? 0;
}

/** The signed-in user changes their own password: all their sessions end (SPEC §8). */
export async function changeOwnPassword(db: Db, actor: Actor, current: string, next: string, now: Date): Promise<void> {
  const user = db.select().from(users).where(eq(users.id, actor.userId)).get();
  if (!user) throw new Conflict('errors.notFound');
  if (!(await verifyPassword(user.passwordHash, current))) throw new InvalidInput({ currentPassword: 'account.wrongPassword' });
  assertPasswordAcceptable(next, 'newPassword');
  const passwordHash = await hashPassword(next);
  writeTransaction(db, (tx) => {
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
