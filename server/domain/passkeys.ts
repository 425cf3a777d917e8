import { randomBytes } from 'node:crypto';
import { decodeBase64, decodeBase64urlIgnorePadding, encodeBase64, encodeBase64urlNoPadding } from '@oslojs/encoding';
import { and, eq, lt } from 'drizzle-orm';
import { writeTransaction, type Db, type Tx } from '../../db/client.js';
import { passkeys, users, webauthnChallenges } from '../../db/schema.js';
import { recordAudit } from './audit.js';
import { NotFound } from './errors.js';
import { clearLoginFailures, isThrottled, recordLoginFailure } from './login-throttle.js';
import { completeSignIn, type PendingFactor } from './second-factor.js';
import { answeredChallenge, verifyAssertion, verifyRegistration, WebAuthnRejected, type RelyingParty, type StoredKey } from './webauthn.js';

/** A challenge is good once and for this long: enough to touch a key, too short to be collected. */
export const CHALLENGE_MS = 5 * 60_000;
export const MAX_PASSKEYS = 10;

type Purpose = 'register' | 'sign_in';
const b64url = (bytes: Uint8Array) => encodeBase64urlNoPadding(bytes);

export function hasPasskey(tx: Tx, userId: number): boolean {
  return tx.select({ id: passkeys.id }).from(passkeys).where(eq(passkeys.userId, userId)).limit(1).get() !== undefined;
}

export function listPasskeys(tx: Tx, userId: number) {
  return tx
    .select({ id: passkeys.id, name: passkeys.name, createdAt: passkeys.createdAt, lastUsedAt: passkeys.lastUsedAt })
    .from(passkeys)
    .where(eq(passkeys.userId, userId))
    .orderBy(passkeys.id)
    .all();
}

function issueChallenge(tx: Tx, userId: number, purpose: Purpose, now: Date): string {
  tx.delete(webauthnChallenges).where(lt(webauthnChallenges.expiresAt, now.getTime())).run();
  const challenge = b64url(randomBytes(32));
  tx.insert(webauthnChallenges)
    .values({ challenge, userId, purpose, expiresAt: now.getTime() + CHALLENGE_MS })
    .run();
  return challenge;
}

/** The challenge the browser answered, deleted as it is read (single use); rejected when not this user's, this purpose's, or fresh. */
function takeChallenge(tx: Tx, userId: number, purpose: Purpose, clientDataJSON: Uint8Array, now: Date): Uint8Array {
  const answered = answeredChallenge(clientDataJSON);
  const row = tx
    .delete(webauthnChallenges)
    .where(eq(webauthnChallenges.challenge, b64url(answered)))
    .returning()
    .get();
  if (!row || row.userId !== userId || row.purpose !== purpose || row.expiresAt < now.getTime()) throw new WebAuthnRejected('challenge');
  return answered;
}

/** What navigator.credentials.create() needs (JSON-safe: binary as base64url). */
export function registrationOptions(db: Db, userId: number, rp: RelyingParty, now: Date) {
  return writeTransaction(db, (tx) => {
    const user = tx.select({ id: users.id, email: users.email, displayName: users.displayName }).from(users).where(eq(users.id, userId)).get();
    if (!user) throw new NotFound();
    const existing = tx.select({ credentialId: passkeys.credentialId }).from(passkeys).where(eq(passkeys.userId, userId)).all();
    return {
      challenge: issueChallenge(tx, userId, 'register', now),
      rp: { id: rp.id, name: rp.id },
      user: { id: b64url(new TextEncoder().encode(`user-${user.id}`)), name: user.email, displayName: user.displayName },
      pubKeyCredParams: [
        { type: 'public-key', alg: -7 },
        { type: 'public-key', alg: -257 },
      ],
      excludeCredentials: existing.map((c) => ({ type: 'public-key', id: c.credentialId })),
      authenticatorSelection: { residentKey: 'discouraged', userVerification: 'preferred' },
      attestation: 'none',
      timeout: CHALLENGE_MS,
    };
  });
}

export interface RegistrationAnswer {
  name: string;
  clientDataJSON: string;
  attestationObject: string;
}

const decode = (value: string) => {
  try {
    return decodeBase64urlIgnorePadding(value);
  } catch {
    throw new WebAuthnRejected('malformed');
  }
};

/** Check the answer and keep the public key; audited. Throws WebAuthnRejected when anything is off. */
export function registerPasskey(db: Db, userId: number, answer: RegistrationAnswer, rp: RelyingParty, now: Date): void {
  const clientDataJSON = decode(answer.clientDataJSON);
  // Spent in its own transaction: a rejected answer cannot be retried with the same challenge.
  const challenge = writeTransaction(db, (tx) => takeChallenge(tx, userId, 'register', clientDataJSON, now));
  writeTransaction(db, (tx) => {
    const credential = verifyRegistration({ clientDataJSON, attestationObject: decode(answer.attestationObject) }, { challenge, rp });
    const credentialId = b64url(credential.credentialId);
    if (tx.select({ id: passkeys.id }).from(passkeys).where(eq(passkeys.credentialId, credentialId)).get()) throw new WebAuthnRejected('unknown_credential');
    if (listPasskeys(tx, userId).length >= MAX_PASSKEYS) throw new WebAuthnRejected('malformed');
    const id = tx
      .insert(passkeys)
      .values({
        userId,
        credentialId,
        publicKey: encodeBase64(credential.publicKey),
        algorithm: credential.algorithm,
        signCount: credential.signCount,
        name: answer.name,
        createdAt: now.getTime(),
      })
      .returning({ id: passkeys.id })
      .get().id;
    recordAudit(tx, {
      action: 'passkey.registered',
      actorUserId: userId,
      entityType: 'user',
      entityId: userId,
      after: { passkey: id, algorithm: credential.algorithm },
      at: now,
    });
  });
}

export function removePasskey(db: Db, userId: number, passkeyId: number, now: Date): void {
  writeTransaction(db, (tx) => {
    const removed = tx
      .delete(passkeys)
      .where(and(eq(passkeys.id, passkeyId), eq(passkeys.userId, userId)))
      .run().changes;
    if (removed === 0) throw new NotFound();
    recordAudit(tx, { action: 'passkey.removed', actorUserId: userId, entityType: 'user', entityId: userId, after: { passkey: passkeyId }, at: now });
  });
}

/** What navigator.credentials.get() needs at the sign-in's second step. */
export function signInOptions(db: Db, pending: PendingFactor, rp: RelyingParty, now: Date) {
  return writeTransaction(db, (tx) => {
    const own = tx.select({ credentialId: passkeys.credentialId }).from(passkeys).where(eq(passkeys.userId, pending.userId)).all();
    if (own.length === 0) return null;
    return {
      challenge: issueChallenge(tx, pending.userId, 'sign_in', now),
      rpId: rp.id,
      allowCredentials: own.map((c) => ({ type: 'public-key', id: c.credentialId })),
      userVerification: 'preferred',
      timeout: CHALLENGE_MS,
    };
  });
}

export interface AssertionAnswer {
  credentialId: string;
  clientDataJSON: string;
  authenticatorData: string;
  signature: string;
}

export type PasskeySignIn = { ok: true; token: string } | { ok: false; reason: 'invalid' | 'throttled' };

/** The second step by passkey: counted against the same limit as passwords and TOTP codes. */
export function verifyPasskeySignIn(
  db: Db,
  pending: PendingFactor,
  answer: AssertionAnswer,
  deps: { rp: RelyingParty; now: Date; device: { userAgent?: string; ip?: string } },
): PasskeySignIn {
  const { now } = deps;
  return writeTransaction(db, (tx): PasskeySignIn => {
    if (isThrottled(tx, 'account', pending.email, now)) {
      recordAudit(tx, { action: 'auth.second_factor_throttled', actorUserId: null, entityType: 'user', entityId: pending.userId, at: now });
      return { ok: false, reason: 'throttled' };
    }
    try {
      const clientDataJSON = decode(answer.clientDataJSON);
      const challenge = takeChallenge(tx, pending.userId, 'sign_in', clientDataJSON, now);
      const stored = tx
        .select()
        .from(passkeys)
        .where(and(eq(passkeys.credentialId, answer.credentialId), eq(passkeys.userId, pending.userId)))
        .get();
      if (!stored) throw new WebAuthnRejected('unknown_credential');
      const key: StoredKey = { algorithm: stored.algorithm as StoredKey['algorithm'], publicKey: decodeBase64(stored.publicKey) };
      const counter = verifyAssertion(
        { clientDataJSON, authenticatorData: decode(answer.authenticatorData), signature: decode(answer.signature) },
        { challenge, rp: deps.rp, key, signCount: stored.signCount },
      );
      tx.update(passkeys).set({ signCount: counter, lastUsedAt: now.getTime() }).where(eq(passkeys.id, stored.id)).run();
      clearLoginFailures(tx, 'account', pending.email);
      recordAudit(tx, {
        action: 'auth.second_factor_passed',
        actorUserId: pending.userId,
        entityType: 'user',
        entityId: pending.userId,
        after: { method: 'passkey', passkey: stored.id },
        at: now,
      });
      return { ok: true, token: completeSignIn(tx, pending, deps.device, now) };
    } catch (error) {
      if (!(error instanceof WebAuthnRejected)) throw error;
      recordLoginFailure(tx, 'account', pending.email, now);
      recordAudit(tx, {
        action: 'auth.second_factor_failed',
        actorUserId: null,
        entityType: 'user',
        entityId: pending.userId,
        after: { method: 'passkey', reason: error.reason },
        at: now,
      });
      return { ok: false, reason: 'invalid' };
    }
  });
}
