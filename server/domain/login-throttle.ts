import { eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { loginThrottles } from '../../db/schema.js';

/** Failures allowed in a window before the key is locked; counters live in the database (SPEC §8). */
export const THROTTLE_RULES = {
  account: { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 },
  ip: { maxFailures: 20, windowMs: 15 * 60_000, lockMs: 15 * 60_000 },
} as const;

type Kind = keyof typeof THROTTLE_RULES;
const keyOf = (kind: Kind, value: string) => `${kind}:${value}`;

export function isThrottled(tx: Tx, kind: Kind, value: string, now: Date): boolean {
  const row = tx
    .select()
    .from(loginThrottles)
    .where(eq(loginThrottles.key, keyOf(kind, value)))
    .get();
  return row?.lockedUntil != null && row.lockedUntil > now.getTime();
}

export function recordLoginFailure(tx: Tx, kind: Kind, value: string, now: Date): void {
  const rule = THROTTLE_RULES[kind];
  const at = now.getTime();
  const key = keyOf(kind, value);
  const row = tx.select().from(loginThrottles).where(eq(loginThrottles.key, key)).get();
  const inWindow = row !== undefined && at - row.windowStartedAt < rule.windowMs;
  const failures = inWindow ? row.failures + 1 : 1;
  const lockedUntil = failures >= rule.maxFailures ? at + rule.lockMs : null;
  tx.insert(loginThrottles)
    .values({ key, failures, windowStartedAt: inWindow ? row.windowStartedAt : at, lockedUntil })
    .onConflictDoUpdate({
      target: loginThrottles.key,
      set: { failures, windowStartedAt: inWindow ? row.windowStartedAt : at, lockedUntil },
    })
    .run();
}

export function clearLoginFailures(tx: Tx, kind: Kind, value: string): void {
  tx.delete(loginThrottles)
    .where(eq(loginThrottles.key, keyOf(kind, value)))
    .run();
}

/** Old counters are noise; called on sign-in so the table stays small. */
export function pruneLoginThrottles(tx: Tx, now: Date): void {
  const horizon = now.getTime() - 24 * 60 * 60_000;
  tx.delete(loginThrottles)
    .where(sql`${loginThrottles.windowStartedAt} < ${horizon} AND coalesce(${loginThrottles.lockedUntil}, 0) < ${now.getTime()}`)
    .run();
}
