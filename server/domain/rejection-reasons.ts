import { asc, eq, sql } from 'drizzle-orm';
import { writeTransaction, type Db, type Tx } from '../../db/client.js';
import { rejectionReasons } from '../../db/schema.js';
import { assertCan, type Actor } from './actor.js';
import { recordAudit } from './audit.js';
import { InvalidInput, NotFound } from './errors.js';

export type RejectionReason = typeof rejectionReasons.$inferSelect;
export const PRESET_MAX = 200;

/** What the reject form offers, in the admin's order. */
export function listActiveRejectionReasons(tx: Tx): RejectionReason[] {
  return tx.select().from(rejectionReasons).where(eq(rejectionReasons.isActive, true)).orderBy(asc(rejectionReasons.sortOrder), asc(rejectionReasons.id)).all();
}

export function listRejectionReasonsForAdmin(tx: Tx): RejectionReason[] {
  return tx.select().from(rejectionReasons).orderBy(asc(rejectionReasons.sortOrder), asc(rejectionReasons.id)).all();
}

/**
 * The reason stored on the record: the chosen preset, then the reviewer's own words. The
 * supporter reads it as one text, so a retired or unknown preset is refused rather than dropped.
 */
export function composeRejectReason(tx: Tx, presetId: number | undefined, freeText: string | null): string {
  const parts: string[] = [];
  if (presetId !== undefined) {
    const preset = tx.select().from(rejectionReasons).where(eq(rejectionReasons.id, presetId)).get();
    if (!preset || !preset.isActive) throw new InvalidInput({ preset: 'validation.invalidChoice' });
    parts.push(preset.text);
  }
  if (freeText) parts.push(freeText);
  if (parts.length === 0) throw new InvalidInput({ reason: 'validation.required' });
  return parts.join('\n');
}

export function addRejectionReason(db: Db, actor: Actor, text: string, now: Date): number {
  assertCan(actor, 'admin.manage');
  return writeTransaction(db, (tx) => {
    const last =
      tx
        .select({ n: sql<number>`coalesce(max(${rejectionReasons.sortOrder}), 0)` })
        .from(rejectionReasons)
        .get()?.n ?? 0;
    const row = tx
      .insert(rejectionReasons)
      .values({ text, sortOrder: last + 1, createdAt: now.toISOString() })
      .returning()
      .get();
    recordAudit(tx, {
      action: 'rejection_reason.created',
      actorUserId: actor.userId,
      entityType: 'rejection_reason',
      entityId: row.id,
      after: { text },
      at: now,
    });
    return row.id;
  });
}

/** Retired presets leave the form; reasons already stored on records keep their words. */
export function setRejectionReasonActive(db: Db, actor: Actor, id: number, isActive: boolean, now: Date): void {
  assertCan(actor, 'admin.manage');
  writeTransaction(db, (tx) => {
    const row = tx.select().from(rejectionReasons).where(eq(rejectionReasons.id, id)).get();
    if (!row) throw new NotFound();
    if (row.isActive === isActive) return;
    tx.update(rejectionReasons).set({ isActive }).where(eq(rejectionReasons.id, id)).run();
    recordAudit(tx, {
      action: isActive ? 'rejection_reason.reactivated' : 'rejection_reason.retired',
      actorUserId: actor.userId,
      entityType: 'rejection_reason',
      entityId: id,
      before: { isActive: row.isActive },
      after: { isActive },
      at: now,
    });
  });
}
