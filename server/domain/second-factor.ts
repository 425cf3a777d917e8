import { createHash, randomBytes } from 'node:crypto';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { and, count, eq, isNotNull, isNull } from 'drizzle-orm';
import { writeTransaction, type Db, type Tx } from '../../db/client.js';
import { passkeys, recoveryCodes, secondFactors, sessionDetails, sessions, users } from '../../db/schema.js';
import { recordSessionDetails, type FactorStage } from './account-sessions.js';
import { assertCan, type Actor } from './actor.js';
import { recordAudit } from './audit.js';
import { hasPasskey } from './passkeys.js';
import { Conflict, NotFound } from './errors.js';
import type { FieldCipher } from './field-crypto.js';
import { clearLoginFailures, isThrottled, recordLoginFailure } from './login-throttle.js';
import { createSession, generateSessionToken, invalidateSession, invalidateUserSessions } from './sessions.js';
import { generateTotpKey, matchTotpStep, normalizeCode, totpKeyToBase32, totpUri } from './totp.js';

export const RECOVERY_CODE_COUNT = 10;
/** A half-authenticated session must finish its second step quickly or start over. */
export const PENDING_FACTOR_MS = 10 * 60_000;

const secretPlace = (userId: number) => ({ table: 'second_factors', column: 'totp_secret', rowId: userId });
const hashCode = (code: string) => createHash('sha256').update(normalizeCode(code), 'utf8').digest('hex');

/** Coordinators (admins are coordinators) when the setting is on; everyone else may choose. */
export const isSecondFactorRequired = (role: string, requireSetting: boolean) => requireSetting && role === 'coordinator';

function confirmedFactor(tx: Tx, userId: number) {
  return tx
    .select()
    .from(secondFactors)
    .where(and(eq(secondFactors.userId, userId), isNotNull(secondFactors.confirmedAt)))
    .get();
}

/** After a correct password: ask for the code, send to enrolment, or nothing more. */
export function stageAfterPassword(tx: Tx, user: { id: number; role: string }, requireSetting: boolean): FactorStage | null {
  if (confirmedFactor(tx, user.id) || hasPasskey(tx, user.id)) return 'verify';
  return isSecondFactorRequired(user.role, requireSetting) ? 'enrol' : null;
}

export interface PendingFactor {
  sessionId: string;
  userId: number;
  email: string;
  stage: FactorStage;
}

/** The session's second step, if it still waits for one; a stale half sign-in is ended. */
export function pendingFactorFor(tx: Tx, sessionId: string, now: Date): PendingFactor | 'expired' | null {
  const row = tx
    .select({ stage: sessionDetails.factorStage, createdAt: sessions.createdAt, userId: users.id, email: users.email })
    .from(sessionDetails)
    .innerJoin(sessions, eq(sessions.id, sessionDetails.sessionId))
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessionDetails.sessionId, sessionId))
    .get();
  if (!row || row.stage === null) return null;
  if (now.getTime() - row.createdAt > PENDING_FACTOR_MS) {
    invalidateSession(tx, sessionId);
    return 'expired';
  }
  return { sessionId, userId: row.userId, email: row.email, stage: row.stage as FactorStage };
}

export function secondFactorStatus(tx: Tx, userId: number): { enrolled: boolean; recoveryCodesLeft: number } {
  const enrolled = confirmedFactor(tx, userId) !== undefined;
  const left =
    tx
      .select({ n: count() })
      .from(recoveryCodes)
      .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)))
      .get()?.n ?? 0;
  return { enrolled, recoveryCodesLeft: left };
}

/** The secret waiting for its first code (created on first view, the same on a reload). */
export function beginEnrolment(db: Db, userId: number, cipher: FieldCipher, now: Date): { secret: string; uri: string } {
  return writeTransaction(db, (tx) => {
    const user = tx.select({ id: users.id, email: users.email }).from(users).where(eq(users.id, userId)).get();
    if (!user) throw new NotFound();
    const row = tx.select().from(secondFactors).where(eq(secondFactors.userId, user.id)).get();
    if (row?.confirmedAt != null) throw new Conflict('secondFactor.alreadyEnrolled');
    let key: Uint8Array;
    if (row) {
      key = new Uint8Array(Buffer.from(cipher.decrypt(row.totpSecretEnc, secretPlace(user.id)), 'base64'));
    } else {
      key = generateTotpKey();
      const sealed = cipher.encrypt(Buffer.from(key).toString('base64'), secretPlace(user.id));
      tx.insert(secondFactors).values({ userId: user.id, totpSecretEnc: sealed, createdAt: now.getTime() }).run();
    }
    return { secret: totpKeyToBase32(key), uri: totpUri(user.email, key) };
  });
}

function newRecoveryCodes(tx: Tx, userId: number): string[] {
  tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)).run();
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => encodeBase32LowerCaseNoPadding(randomBytes(10)));
  for (const code of codes)
    tx.insert(recoveryCodes)
      .values({ userId, codeHash: hashCode(code) })
      .run();
  return codes.map((c) => c.match(/.{4}/g)!.join('-'));
}

/** A fresh session replaces the half-authenticated one the moment the second step passes. */
export function completeSignIn(tx: Tx, pending: PendingFactor, device: { userAgent?: string; ip?: string }, now: Date): string {
  invalidateSession(tx, pending.sessionId);
  const token = generateSessionToken();
  createSession(tx, token, pending.userId, now);
  recordSessionDetails(tx, token, { ...device, stage: null });
  return token;
}

export type EnrolmentResult = { ok: true; recoveryCodes: string[]; token: string | null } | { ok: false };

/**
 * The first code proves the authenticator holds the secret; then ten recovery codes are made
 * (shown once). During a required enrolment at sign-in, the session becomes a full one.
 */
export function confirmEnrolment(
  db: Db,
  userId: number,
  code: string,
  deps: { cipher: FieldCipher; now: Date; pending?: PendingFactor; device?: { userAgent?: string; ip?: string } },
): EnrolmentResult {
  return writeTransaction(db, (tx) => {
    const row = tx.select().from(secondFactors).where(eq(secondFactors.userId, userId)).get();
    if (!row) throw new NotFound();
    if (row.confirmedAt !== null) throw new Conflict('secondFactor.alreadyEnrolled');
    const key = new Uint8Array(Buffer.from(deps.cipher.decrypt(row.totpSecretEnc, secretPlace(userId)), 'base64'));
    const step = matchTotpStep(key, normalizeCode(code), deps.now, null);
    if (step === null) return { ok: false };
    tx.update(secondFactors).set({ confirmedAt: deps.now.getTime(), lastUsedStep: step }).where(eq(secondFactors.userId, userId)).run();
    const codes = newRecoveryCodes(tx, userId);
    recordAudit(tx, {
      action: 'second_factor.enrolled',
      actorUserId: userId,
      entityType: 'user',
      entityId: userId,
      after: { method: 'totp', recoveryCodes: codes.length },
      at: deps.now,
    });
    const token = deps.pending ? completeSignIn(tx, deps.pending, deps.device ?? {}, deps.now) : null;
    return { ok: true, recoveryCodes: codes, token };
  });
}

export type VerifyResult = { ok: true; token: string } | { ok: false; reason: 'invalid' | 'throttled' };

/** The second step of sign-in: a TOTP code or one unused recovery code, counted like passwords. */
export function verifySecondFactor(
  db: Db,
  pending: PendingFactor,
  rawCode: string,
  deps: { cipher: FieldCipher; now: Date; device: { userAgent?: string; ip?: string } },
): VerifyResult {
  const { now } = deps;
  const code = normalizeCode(rawCode);
  return writeTransaction(db, (tx): VerifyResult => {
    if (isThrottled(tx, 'account', pending.email, now)) {
      recordAudit(tx, { action: 'auth.second_factor_throttled', actorUserId: null, entityType: 'user', entityId: pending.userId, at: now });
      return { ok: false, reason: 'throttled' };
    }
    const factor = confirmedFactor(tx, pending.userId);
    let method: 'totp' | 'recovery_code' | null = null;
    if (factor && /^[0-9]{6}$/.test(code)) {
      const key = new Uint8Array(Buffer.from(deps.cipher.decrypt(factor.totpSecretEnc, secretPlace(pending.userId)), 'base64'));
      const step = matchTotpStep(key, code, now, factor.lastUsedStep);
      if (step !== null) {
        tx.update(secondFactors).set({ lastUsedStep: step }).where(eq(secondFactors.userId, pending.userId)).run();
        method = 'totp';
      }
    } else if (factor && /^[a-z2-7]{16}$/.test(code)) {
      const used = tx
        .update(recoveryCodes)
        .set({ usedAt: now.getTime() })
        .where(and(eq(recoveryCodes.userId, pending.userId), eq(recoveryCodes.codeHash, hashCode(code)), isNull(recoveryCodes.usedAt)))
        .run();
      if (used.changes === 1) method = 'recovery_code';
    }
    if (method === null) {
      recordLoginFailure(tx, 'account', pending.email, now);
      recordAudit(tx, { action: 'auth.second_factor_failed', actorUserId: null, entityType: 'user', entityId: pending.userId, at: now });
      return { ok: false, reason: 'invalid' };
    }
    clearLoginFailures(tx, 'account', pending.email);
    if (method === 'recovery_code') {
      const left = secondFactorStatus(tx, pending.userId).recoveryCodesLeft;
      recordAudit(tx, {
        action: 'second_factor.recovery_code_used',
        actorUserId: pending.userId,
        entityType: 'user',
        entityId: pending.userId,
        after: { recoveryCodesLeft: left },
        at: now,
      });
    }
    recordAudit(tx, {
      action: 'auth.second_factor_passed',
      actorUserId: pending.userId,
      entityType: 'user',
      entityId: pending.userId,
      after: { method },
      at: now,
    });
    return { ok: true, token: completeSignIn(tx, pending, deps.device, now) };
  });
}

export type RegenerateResult = { ok: true; recoveryCodes: string[] } | { ok: false; reason: 'invalid' | 'throttled' };

/** New recovery codes (the old ones stop working), proven with a current code, counted like sign-in failures. */
export function regenerateRecoveryCodes(db: Db, userId: number, rawCode: string, deps: { cipher: FieldCipher; now: Date }): RegenerateResult {
  return writeTransaction(db, (tx): RegenerateResult => {
    const user = tx.select({ email: users.email }).from(users).where(eq(users.id, userId)).get();
    const factor = confirmedFactor(tx, userId);
    if (!user || !factor) throw new Conflict('secondFactor.notEnrolled');
    if (isThrottled(tx, 'account', user.email, deps.now)) return { ok: false, reason: 'throttled' };
    const key = new Uint8Array(Buffer.from(deps.cipher.decrypt(factor.totpSecretEnc, secretPlace(userId)), 'base64'));
    const step = matchTotpStep(key, normalizeCode(rawCode), deps.now, factor.lastUsedStep);
    if (step === null) {
      recordLoginFailure(tx, 'account', user.email, deps.now);
      return { ok: false, reason: 'invalid' };
    }
    tx.update(secondFactors).set({ lastUsedStep: step }).where(eq(secondFactors.userId, userId)).run();
    const codes = newRecoveryCodes(tx, userId);
    recordAudit(tx, {
      action: 'second_factor.recovery_codes_regenerated',
      actorUserId: userId,
      entityType: 'user',
      entityId: userId,
      after: { recoveryCodes: codes.length },
      at: deps.now,
    });
    return { ok: true, recoveryCodes: codes };
  });
}

/** An admin clears a user's factor (lost phone) with a reason; that user's sessions all end. */
export function resetSecondFactor(db: Db, admin: Actor, targetUserId: number, reason: string, now: Date): void {
  assertCan(admin, 'admin.manage');
  writeTransaction(db, (tx) => {
    const target = tx.select({ id: users.id }).from(users).where(eq(users.id, targetUserId)).get();
    if (!target) throw new NotFound();
    const hadTotp = tx.delete(secondFactors).where(eq(secondFactors.userId, targetUserId)).run().changes > 0;
    const hadFactor = tx.delete(passkeys).where(eq(passkeys.userId, targetUserId)).run().changes > 0 || hadTotp;
    tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, targetUserId)).run();
    invalidateUserSessions(tx, targetUserId);
    recordAudit(tx, {
      action: 'second_factor.reset',
      actorUserId: admin.userId,
      entityType: 'user',
      entityId: targetUserId,
      after: { reason, hadFactor },
      at: now,
    });
  });
}
