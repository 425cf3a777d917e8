import { and, count, eq, gt, gte, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { disbursementApprovals, disbursements } from '../../db/schema.js';
import { scopeTo, type Actor } from './actor.js';
import type { BellSeen } from './bell-seen.js';
import { listMissingReceipts } from './missing-receipts.js';

/** How long a rejection stays in a supporter's bell: long enough to see it between visits. */
export const REJECTION_NOTICE_DAYS = 14;

export interface Bell {
  total: number;
  href: string;
  parts: { key: string; count: number }[];
}

/**
 * The header's bell: supporters see their recent rejections and missing receipts; coordinators
 * the pending queue and the records waiting for a second approval. Auditors have none.
 * `seen`: the user's read marks; what arrived before them is not counted again (none: everything).
 */
export function bellFor(tx: Tx, actor: Actor, now: Date, seen: BellSeen = {}): Bell | null {
  if (actor.role === 'auditor') return null;
  if (actor.role === 'supporter') {
    const since = new Date(now.getTime() - REJECTION_NOTICE_DAYS * 86_400_000).toISOString();
    const rejected = tx
      .select({ n: count() })
      .from(disbursements)
      .where(
        and(
          eq(disbursements.status, 'rejected'),
          eq(disbursements.submittedBy, actor.userId),
          gte(disbursements.decidedAt, since),
          seen.rejected === undefined ? undefined : gt(disbursements.decidedAt, seen.rejected),
        ),
      )
      .get()?.n ?? 0;
    // A receipt became missing when its days ran out after approval; one already seen missing is not new.
    const missingSince = seen.missing === undefined ? -Infinity : Date.parse(seen.missing);
    const missing = listMissingReceipts(tx, actor, now).filter(
      (m) => m.declarationId === null && m.decidedAt !== null && Date.parse(m.decidedAt) + m.dueDays * 86_400_000 > missingSince,
    ).length;
    return { total: rejected + missing, href: missing > 0 && rejected === 0 ? '/receipts/missing' : '/disbursements?status=rejected', parts: [{ key: 'bell.rejected', count: rejected }, { key: 'bell.missing', count: missing }] };
  }
  const pending = tx
    .select({ n: count() })
    .from(disbursements)
    .where(
      and(
        eq(disbursements.status, 'pending'),
        scopeTo(actor, disbursements.organizationId),
        seen.pending === undefined ? undefined : gt(disbursements.submittedAt, seen.pending),
      ),
    )
    .get()?.n ?? 0;
  const waitingSecond = tx
    .select({ n: sql<number>`count(distinct ${disbursements.id})` })
    .from(disbursements)
    .innerJoin(disbursementApprovals, and(eq(disbursementApprovals.disbursementId, disbursements.id), eq(disbursementApprovals.versionAfter, disbursements.version)))
    .where(and(eq(disbursements.status, 'pending'), seen.secondApproval === undefined ? undefined : gt(disbursementApprovals.approvedAt, seen.secondApproval)))
    .get()?.n ?? 0;
  return { total: pending, href: '/review', parts: [{ key: 'bell.pending', count: pending }, { key: 'bell.secondApproval', count: waitingSecond }] };
}
