import type { Db } from '../../db/client.js';
import type { Actor } from './actor.js';
import { DomainError } from './errors.js';
import { assertCanReview } from './review-queue.js';
import { approveDisbursement, rejectDisbursement } from './workflow.js';

export { MAX_BULK_ITEMS } from './bulk-limits.js';

export interface BulkItem {
  id: number;
  /** The version the queue showed: a record changed since is refused, not approved blind. */
  version: number;
}

export type BulkOutcome =
  { id: number; outcome: 'approved' | 'firstApproval' } | { id: number; outcome: 'refused'; messageKey: string; params: Record<string, string | number> };

/**
 * 「選択したものを承認」: each record through the very decision a single approval takes (its own
 * transaction: scope, four eyes, second approver, status, period lock, version). One refusal
 * does not undo the others; the answer says what happened to each.
 */
export function approveMany(db: Db, actor: Actor, items: BulkItem[], now: Date): BulkOutcome[] {
  assertCanReview(actor);
  const seen = new Set<number>();
  const results: BulkOutcome[] = [];
  for (const item of items) {
    if (seen.has(item.id)) continue;
    seen.add(item.id);
    try {
      const after = approveDisbursement(db, actor, item.id, { expectedVersion: item.version }, now);
      results.push({ id: item.id, outcome: after.status === 'approved' ? 'approved' : 'firstApproval' });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      results.push({ id: item.id, outcome: 'refused', messageKey: error.messageKey, params: error.params });
    }
  }
  return results;
}

export type BulkRejectOutcome =
  { id: number; outcome: 'rejected' } | { id: number; outcome: 'refused'; messageKey: string; params: Record<string, string | number> };

/**
 * 「選択したものを却下」: one reason for all, each record through the single rejection (its own
 * transaction, its own mail to the submitter); a refusal leaves the others decided.
 */
export function rejectMany(db: Db, actor: Actor, items: BulkItem[], reason: string, now: Date): BulkRejectOutcome[] {
  assertCanReview(actor);
  const seen = new Set<number>();
  const results: BulkRejectOutcome[] = [];
  for (const item of items) {
    if (seen.has(item.id)) continue;
    seen.add(item.id);
    try {
      rejectDisbursement(db, actor, item.id, { expectedVersion: item.version, reason }, now);
      results.push({ id: item.id, outcome: 'rejected' });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      results.push({ id: item.id, outcome: 'refused', messageKey: error.messageKey, params: error.params });
    }
  }
  return results;
}
