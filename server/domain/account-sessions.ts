import { and, desc, eq, ne } from 'drizzle-orm';
import { writeTransaction, type Db, type Tx } from '../../db/client.js';
import { sessionDetails, sessions } from '../../db/schema.js';
import type { Actor } from './actor.js';
import { recordAudit } from './audit.js';
import { Conflict, NotFound } from './errors.js';
import { deviceFamily, ipPrefix } from './session-device.js';
import { sessionIdFromToken } from './sessions.js';

export type FactorStage = 'verify' | 'enrol';

/** Written with the session itself: device family and network prefix only, and the sign-in stage. */
export function recordSessionDetails(tx: Tx, token: string, input: { userAgent?: string; ip?: string; stage: FactorStage | null }): void {
  tx.insert(sessionDetails)
    .values({ sessionId: sessionIdFromToken(token), device: deviceFamily(input.userAgent), ipPrefix: ipPrefix(input.ip), factorStage: input.stage })
    .run();
}

export interface SessionView {
  /** The revoke handle (null for a session opened before details were kept). */
  id: number | null;
  device: string;
  ipPrefix: string;
  createdAt: number;
  lastSeenAt: number;
  isCurrent: boolean;
}

/** The actor's signed-in sessions, newest activity first; half-authenticated ones are not sessions yet. */
export function listOwnSessions(tx: Tx, actor: Actor, currentSessionId: string): SessionView[] {
  return tx
    .select({
      sessionId: sessions.id,
      id: sessionDetails.id,
      device: sessionDetails.device,
      ipPrefix: sessionDetails.ipPrefix,
      stage: sessionDetails.factorStage,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
    })
    .from(sessions)
    .leftJoin(sessionDetails, eq(sessionDetails.sessionId, sessions.id))
    .where(eq(sessions.userId, actor.userId))
    .orderBy(desc(sessions.lastSeenAt))
    .all()
    .filter((row) => row.stage === null)
    .map((row) => ({
      id: row.id,
      device: row.device ?? 'unknown',
      ipPrefix: row.ipPrefix ?? 'unknown',
      createdAt: row.createdAt,
      lastSeenAt: row.lastSeenAt,
      isCurrent: row.sessionId === currentSessionId,
    }));
}

/** End one of the actor's own other sessions (another person's is simply not there). */
export function revokeOwnSession(db: Db, actor: Actor, currentSessionId: string, detailId: number, now: Date): void {
  writeTransaction(db, (tx) => {
    const row = tx
      .select({ sessionId: sessionDetails.sessionId })
      .from(sessionDetails)
      .innerJoin(sessions, eq(sessions.id, sessionDetails.sessionId))
      .where(and(eq(sessionDetails.id, detailId), eq(sessions.userId, actor.userId)))
      .get();
    if (!row) throw new NotFound();
    // Ending the session in use is signing out; the account page offers that separately.
    if (row.sessionId === currentSessionId) throw new Conflict('sessions.cannotRevokeCurrent');
    tx.delete(sessions).where(eq(sessions.id, row.sessionId)).run();
    recordAudit(tx, {
      action: 'session.revoked',
      actorUserId: actor.userId,
      entityType: 'user',
      entityId: actor.userId,
      after: { session: detailId },
      at: now,
    });
  });
}

/** "Sign out everywhere else": every session of the actor but this one ends. */
export function revokeOtherSessions(db: Db, actor: Actor, currentSessionId: string, now: Date): number {
  return writeTransaction(db, (tx) => {
    const ended = tx
      .delete(sessions)
      .where(and(eq(sessions.userId, actor.userId), ne(sessions.id, currentSessionId)))
      .run().changes;
    recordAudit(tx, {
      action: 'session.revoked_others',
      actorUserId: actor.userId,
      entityType: 'user',
      entityId: actor.userId,
      after: { count: ended },
      at: now,
    });
    return ended;
  });
}
