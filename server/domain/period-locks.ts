import { and, gte, isNull, lte } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { periodLocks } from '../../db/schema.js';
import { Conflict } from './errors.js';

/** The active (not unlocked) lock whose inclusive range holds `date` (YYYY-MM-DD), if any. */
export function findLockCovering(tx: Tx, date: string) {
  return tx
    .select()
    .from(periodLocks)
    .where(and(isNull(periodLocks.unlockedAt), lte(periodLocks.startsOn, date), gte(periodLocks.endsOn, date)))
    .get();
}

/** SPEC §2: nothing dated inside a locked period can be created, approved, voided or changed. */
export function assertNotInLockedPeriod(tx: Tx, date: string): void {
  const lock = findLockCovering(tx, date);
  if (lock) throw new Conflict('errors.periodLocked', { from: lock.startsOn, to: lock.endsOn, note: lock.note });
}
