import { and, count, gt } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { sessions } from '../../db/schema.js';

/** Sessions still usable at `nowMs`: seen within the idle limit and younger than the absolute one. */
export function countActiveSessions(db: Db, nowMs: number, policy: { idleMs: number; absoluteMs: number }): number {
  const row = db
    .select({ n: count() })
    .from(sessions)
    .where(and(gt(sessions.lastSeenAt, nowMs - policy.idleMs), gt(sessions.createdAt, nowMs - policy.absoluteMs)))
    .get();
  return row?.n ?? 0;
}
