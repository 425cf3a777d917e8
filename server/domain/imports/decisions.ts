import { and, eq, inArray, sql } from 'drizzle-orm';
import { writeTransaction, type Db, type Tx } from '../../../db/client.js';
import { disbursements, importBatches, importRows } from '../../../db/schema.js';
import type { Actor } from '../actor.js';
import { recordAudit } from '../audit.js';
import { Conflict, Forbidden, InvalidInput } from '../errors.js';
import { checkDecision, TRANSITIONS, type WorkflowAction } from '../workflow.js';
import { findBatchFor, type ImportBatch } from './batches.js';

const AUDIT: Record<WorkflowAction, string> = {
  approve: 'disbursement.approved',
  reject: 'disbursement.rejected',
  void: 'disbursement.voided',
  withdraw: 'disbursement.withdrawn',
};

/** The records a batch made, in the order they were written. */
export function batchRecordIds(tx: Tx, batchId: number): number[] {
  return tx
    .selectDistinct({ id: importRows.disbursementId })
    .from(importRows)
    .where(and(eq(importRows.batchId, batchId), sql`${importRows.disbursementId} IS NOT NULL`))
    .all()
    .map((r) => r.id!)
    .sort((a, b) => a - b);
}

/** The records the sheet marked 承認待ち: confirming the batch does not approve them. */
function staysPendingIds(tx: Tx, batchId: number): Set<number> {
  return new Set(
    tx
      .selectDistinct({ id: importRows.disbursementId })
      .from(importRows)
      .where(and(eq(importRows.batchId, batchId), eq(importRows.staysPending, true), sql`${importRows.disbursementId} IS NOT NULL`))
      .all()
      .map((r) => r.id!),
  );
}

/**
 * One workflow transition on one record of a batch, checked by the workflow's own rules (scope,
 * four eyes, the transition table, period locks) inside the batch's transaction.
 */
function transition(tx: Tx, actor: Actor, id: number, action: WorkflowAction, reason: string | null, batchId: number, now: Date): void {
  const d = checkDecision(tx, actor, id, action);
  const at = now.toISOString();
  const { to } = TRANSITIONS[action];
  const changes = action === 'void' ? { voidedBy: actor.userId, voidedAt: at, voidReason: reason } : { decidedBy: actor.userId, decidedAt: at };
  const after = tx
    .update(disbursements)
    .set({ ...changes, status: to, version: sql`${disbursements.version} + 1`, updatedAt: at })
    .where(and(eq(disbursements.id, id), eq(disbursements.status, d.status), eq(disbursements.version, d.version)))
    .returning()
    .get();
  if (!after) throw new Conflict('workflow.stale');
  recordAudit(tx, {
    action: AUDIT[action],
    actorUserId: actor.userId,
    entityType: 'disbursement',
    entityId: id,
    at: now,
    before: { status: d.status, version: d.version },
    after: { status: to, version: after.version, importBatchId: batchId, ...(reason === null ? {} : { reason }) },
  });
}

function statusesOf(tx: Tx, ids: number[]) {
  return ids.length === 0
    ? []
    : tx.select({ id: disbursements.id, status: disbursements.status }).from(disbursements).where(inArray(disbursements.id, ids)).all();
}

/** Four eyes for a whole batch: a coordinator who did not upload it approves its pending records. */
export function confirmBatch(db: Db, actor: Actor, id: number, now: Date): ImportBatch {
  return writeTransaction(db, (tx) => {
    const batch = findBatchFor(tx, actor, id);
    if (actor.role !== 'coordinator') throw new Forbidden();
    if (batch.uploadedBy === actor.userId) throw new Forbidden('imports.fourEyes');
    if (batch.status !== 'committed') throw new Conflict('imports.notCommitted');
    const kept = staysPendingIds(tx, batch.id);
    const pending = statusesOf(tx, batchRecordIds(tx, batch.id)).filter((r) => r.status === 'pending' && !kept.has(r.id));
    for (const r of pending) transition(tx, actor, r.id, 'approve', null, batch.id, now);
    const after = tx
      .update(importBatches)
      .set({ status: 'confirmed', confirmedBy: actor.userId, confirmedAt: now.toISOString() })
      .where(eq(importBatches.id, batch.id))
      .returning()
      .get()!;
    recordAudit(tx, {
      action: 'import.confirmed',
      actorUserId: actor.userId,
      entityType: 'import_batch',
      entityId: batch.id,
      at: now,
      after: { approved: pending.length },
    });
    return after;
  });
}

/**
 * Undo a batch as a unit, with a reason: pending records are withdrawn, approved ones voided
 * (by the workflow's rules, so voiding needs a coordinator other than the uploader). A record in
 * a locked period refuses the whole undo.
 */
export function undoBatch(db: Db, actor: Actor, id: number, reason: string, now: Date): ImportBatch {
  const why = reason.trim();
  return writeTransaction(db, (tx) => {
    const batch = findBatchFor(tx, actor, id);
    if (why === '') throw new InvalidInput({ reason: 'validation.required' });
    if (batch.status !== 'committed' && batch.status !== 'confirmed') throw new Conflict('imports.notCommitted');
    const records = statusesOf(tx, batchRecordIds(tx, batch.id));
    let withdrawn = 0;
    let voided = 0;
    for (const r of records) {
      if (r.status === 'pending') {
        transition(tx, actor, r.id, 'withdraw', null, batch.id, now);
        withdrawn += 1;
      } else if (r.status === 'approved') {
        transition(tx, actor, r.id, 'void', why, batch.id, now);
        voided += 1;
      }
    }
    const after = tx
      .update(importBatches)
      .set({ status: 'undone', undoneBy: actor.userId, undoneAt: now.toISOString(), undoReason: why })
      .where(eq(importBatches.id, batch.id))
      .returning()
      .get()!;
    recordAudit(tx, {
      action: 'import.undone',
      actorUserId: actor.userId,
      entityType: 'import_batch',
      entityId: batch.id,
      at: now,
      after: { withdrawn, voided, reason: why },
    });
    return after;
  });
}
