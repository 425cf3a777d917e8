import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { writeIfFree, type Db, type Tx } from '../../db/client.js';
import { sessions, users } from '../../db/schema.js';
import type { Actor } from './actor.js';

export interface SessionPolicy {
  idleMs: number;
  absoluteMs: number;
}

/** 160 random bits, base32: the cookie value. Only its SHA-256 is stored (the Lucia guide's design). */
export function generateSessionToken(): string {
  return encodeBase32LowerCaseNoPadding(randomBytes(20));
}

export function sessionIdFromToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export function createSession(tx: Tx, token: string, userId: number, now: Date): void {
  const at = now.getTime();
  tx.insert(sessions)
    .values({ id: sessionIdFromToken(token), userId, createdAt: at, lastSeenAt: at })
    .run();
}

export interface ValidSession {
  sessionId: string;
  actor: Actor;
  mustChangePassword: boolean;
}

// Refreshing last_seen_at on every request would make every page a write; a minute is precise enough.
const TOUCH_AFTER_MS = 60_000;

/**
 * The session for a cookie token, or null when unknown, idle too long, too old, or its user is
 * inactive. Its two writes (ending a stale session, refreshing last_seen_at) are housekeeping that
 * the next request can do as well: they never wait for another connection's write lock.
 */
export function validateSessionToken(db: Db, token: string, now: Date, policy: SessionPolicy): ValidSession | null {
  if (!/^[a-z2-7]{32}$/.test(token)) return null;
  const id = sessionIdFromToken(token);
  const row = db.select({ session: sessions, user: users }).from(sessions).innerJoin(users, eq(users.id, sessions.userId)).where(eq(sessions.id, id)).get();
  if (!row) return null;
  const at = now.getTime();
  const { session, user } = row;
  if (!user.isActive || at - session.lastSeenAt > policy.idleMs || at - session.createdAt > policy.absoluteMs) {
    writeIfFree(db, () => db.delete(sessions).where(eq(sessions.id, id)).run());
    return null;
  }
  if (at - session.lastSeenAt > TOUCH_AFTER_MS) {
    writeIfFree(db, () => db.update(sessions).set({ lastSeenAt: at }).where(eq(sessions.id, id)).run());
  }
  return {
    sessionId: id,
    mustChangePassword: user.mustChangePassword,
    actor: {
      userId: user.id,
      role: user.role,
      organizationId: user.organizationId,
      isAdmin: user.isAdmin,
      displayName: user.displayName,
      locale: user.locale,
    },
  };
}

export function invalidateSession(tx: Tx, sessionId: string): void {
  tx.delete(sessions).where(eq(sessions.id, sessionId)).run();
}

/** Password or role change, deactivation: every session of the user ends (SPEC §8). */
export function invalidateUserSessions(tx: Tx, userId: number): void {
  tx.delete(sessions).where(eq(sessions.userId, userId)).run();
}
