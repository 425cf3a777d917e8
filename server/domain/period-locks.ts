import { and, asc, desc, eq, gte, isNotNull, isNull, lte, sql } from 'drizzle-orm';
import { writeTransaction, type Db, type Tx } from '../../db/client.js';
import { disbursements, periodLocks, users } from '../../db/schema.js';
import { assertCan, type Actor } from './actor.js';
import { recordAudit } from './audit.js';
import { Conflict, InvalidInput, NotFound } from './errors.js';

export type PeriodLock = typeof periodLocks.$inferSelect;

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

/** Active locks, earliest first: the reports mark these periods as closed. */
export function listActiveLocks(tx: Tx): PeriodLock[] {
  return tx.select().from(periodLocks).where(isNull(periodLocks.unlockedAt)).orderBy(asc(periodLocks.startsOn)).all();
}

/** An active lock sharing at least one day with startsOn..endsOn. */
export function findOverlappingLock(tx: Tx, startsOn: string, endsOn: string): PeriodLock | undefined {
  return tx
    .select()
    .from(periodLocks)
    .where(and(isNull(periodLocks.unlockedAt), lte(periodLocks.startsOn, endsOn), gte(periodLocks.endsOn, startsOn)))
    .get();
}

/** Refused because another active lock overlaps: the form names it. */
export class LockOverlap extends InvalidInput {
  constructor(readonly lock: PeriodLock) {
    super({ startsOn: 'locks.overlaps' });
  }
}

export interface LockListing {
  active: (PeriodLock & { lockedByName: string; pendingInside: number })[];
  history: (PeriodLock & { lockedByName: string; unlockedByName: string })[];
}

/** The admin page: active locks (with the pending records they freeze) and the unlocked history. */
export function listPeriodLocks(tx: Tx, actor: Actor): LockListing {
  assertCan(actor, 'admin.manage');
  const names = new Map(
    tx
      .select({ id: users.id, name: users.displayName })
      .from(users)
      .all()
      .map((u) => [u.id, u.name]),
  );
  const nameOf = (id: number | null) => (id === null ? '' : (names.get(id) ?? ''));
  const active = listActiveLocks(tx).map((lock) => ({
    ...lock,
    lockedByName: nameOf(lock.lockedBy),
    pendingInside:
      tx
        .select({ n: sql<number>`count(*)` })
        .from(disbursements)
        .where(and(eq(disbursements.status, 'pending'), gte(disbursements.paidOn, lock.startsOn), lte(disbursements.paidOn, lock.endsOn)))
        .get()?.n ?? 0,
  }));
  const history = tx
    .select()
    .from(periodLocks)
    .where(isNotNull(periodLocks.unlockedAt))
    .orderBy(desc(periodLocks.unlockedAt))
    .all()
    .map((lock) => ({ ...lock, lockedByName: nameOf(lock.lockedBy), unlockedByName: nameOf(lock.unlockedBy) }));
  return { active, history };
}

export interface NewPeriodLock {
  startsOn: string;
  endsOn: string;
  note: string;
}

/**
 * Lock a closed period. Overlapping an active lock is refused: one day has one lock, so an unlock
 * (with its reason) always reopens exactly what the list says. A period that has not ended yet
 * cannot be locked (`today` is the Tokyo date), or new aid could not be logged.
 */
export function createPeriodLock(db: Db, actor: Actor, input: NewPeriodLock, today: string, now: Date): PeriodLock {
  assertCan(actor, 'admin.manage');
  if (input.startsOn > input.endsOn) throw new InvalidInput({ endsOn: 'locks.endBeforeStart' });
  if (input.endsOn > today) throw new InvalidInput({ endsOn: 'locks.endInFuture' });
  return writeTransaction(db, (tx) => {
    const overlap = findOverlappingLock(tx, input.startsOn, input.endsOn);
    if (overlap) throw new LockOverlap(overlap);
    const lock = tx
      .insert(periodLocks)
      .values({ ...input, lockedBy: actor.userId, lockedAt: now.toISOString() })
      .returning()
      .get();
    recordAudit(tx, {
      action: 'period_lock.created',
      actorUserId: actor.userId,
      entityType: 'period_lock',
      entityId: lock.id,
      after: { startsOn: lock.startsOn, endsOn: lock.endsOn, note: lock.note },
      at: now,
    });
    return lock;
  });
}

/** Reopen a locked period; the reason stays in the history and the audit trail. */
export function unlockPeriodLock(db: Db, actor: Actor, id: number, input: { reason: string }, now: Date): PeriodLock {
  assertCan(actor, 'admin.manage');
  const reason = input.reason.trim();
  if (reason === '') throw new InvalidInput({ reason: 'validation.required' });
  return writeTransaction(db, (tx) => {
    const lock = tx.select().from(periodLocks).where(eq(periodLocks.id, id)).get();
    if (!lock) throw new NotFound();
    if (lock.unlockedAt !== null) throw new Conflict('locks.alreadyUnlocked', { from: lock.startsOn, to: lock.endsOn });
    const after = tx
      .update(periodLocks)
      .set({ unlockedBy: actor.userId, unlockedAt: now.toISOString(), unlockReason: reason })
      .where(and(eq(periodLocks.id, id), isNull(periodLocks.unlockedAt)))
      .returning()
      .get()!;
    recordAudit(tx, {
      action: 'period_lock.unlocked',
      actorUserId: actor.userId,
      entityType: 'period_lock',
      entityId: id,
      before: { startsOn: lock.startsOn, endsOn: lock.endsOn, note: lock.note, active: true },
      after: { active: false, reason },
      at: now,
    });
    return after;
  });
}

/** One lock for the unlock form's re-render. */
export function getPeriodLock(tx: Tx, actor: Actor, id: number): PeriodLock {
  assertCan(actor, 'admin.manage');
  const lock = tx.select().from(periodLocks).where(eq(periodLocks.id, id)).get();
  if (!lock) throw new NotFound();
  return lock;
}
