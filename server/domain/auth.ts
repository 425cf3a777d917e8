import { eq } from 'drizzle-orm';
import { writeTransaction, type Db } from '../../db/client.js';
import { users } from '../../db/schema.js';
import { recordSessionDetails, type FactorStage } from './account-sessions.js';
import { recordAudit } from './audit.js';
import { clearLoginFailures, isThrottled, pruneLoginThrottles, recordLoginFailure } from './login-throttle.js';
import { burnVerifyTime, verifyPassword } from './passwords.js';
import { stageAfterPassword } from './second-factor.js';
import { createSession, generateSessionToken, invalidateSession } from './sessions.js';

export type SignInResult =
  { ok: true; token: string; userId: number; mustChangePassword: boolean; secondFactor: FactorStage | null } | { ok: false; reason: 'invalid' | 'throttled' };

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

/**
 * Check the credentials and open a new session. Unknown emails, wrong passwords and inactive
 * accounts look the same to the caller and take the same time; failures count per IP and account.
 */
export async function signIn(
  db: Db,
  input: { email: string; password: string; ip: string; now: Date; replacesSessionId?: string; userAgent?: string; requireSecondFactor?: boolean },
): Promise<SignInResult> {
  const email = normalizeEmail(input.email);
  const { now, ip } = input;
  if (isThrottled(db, 'ip', ip, now) || isThrottled(db, 'account', email, now)) {
    await burnVerifyTime(input.password);
    writeTransaction(db, (tx) => recordAudit(tx, { action: 'auth.login_throttled', actorUserId: null, entityType: 'session', at: now }));
    return { ok: false, reason: 'throttled' };
  }
  const user = db.select().from(users).where(eq(users.email, email)).get();
  let passwordOk = false;
  if (user) passwordOk = await verifyPassword(user.passwordHash, input.password);
  else await burnVerifyTime(input.password);

  if (!user || !passwordOk || !user.isActive) {
    writeTransaction(db, (tx) => {
      recordLoginFailure(tx, 'ip', ip, now);
      recordLoginFailure(tx, 'account', email, now);
      recordAudit(tx, {
        action: 'auth.login_failed',
        actorUserId: null,
        entityType: 'user',
        entityId: user?.id ?? null,
        after: { knownAccount: user !== undefined },
        at: now,
      });
    });
    return { ok: false, reason: 'invalid' };
  }
  const token = generateSessionToken();
  const secondFactor = stageAfterPassword(db, user, input.requireSecondFactor ?? false);
  writeTransaction(db, (tx) => {
    // With a second step pending the account's counter stays: the password alone must not reset it.
    if (!secondFactor) clearLoginFailures(tx, 'account', email);
    pruneLoginThrottles(tx, now);
    // Signing in over an open session ends it: one browser, one live session (a fresh id at every sign-in).
    if (input.replacesSessionId) invalidateSession(tx, input.replacesSessionId);
    createSession(tx, token, user.id, now);
    recordSessionDetails(tx, token, { userAgent: input.userAgent, ip, stage: secondFactor });
    recordAudit(tx, {
      action: 'auth.login',
      actorUserId: user.id,
      entityType: 'user',
      entityId: user.id,
      after: secondFactor ? { secondFactor } : null,
      at: now,
    });
  });
  return { ok: true, token, userId: user.id, mustChangePassword: user.mustChangePassword, secondFactor };
}

export function signOut(db: Db, sessionId: string, userId: number, now: Date): void {
  writeTransaction(db, (tx) => {
    invalidateSession(tx, sessionId);
    recordAudit(tx, { action: 'auth.logout', actorUserId: userId, entityType: 'user', entityId: userId, at: now });
  });
}
