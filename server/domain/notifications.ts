import { and, count, eq, gt, gte, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { disbursementApprovals, disbursements, identityFingerprints, personMatchDecisions } from '../../db/schema.js';
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
 * the pending queue, the records waiting for a second approval and undecided possible matches of
 * one person across groups (counts only: never who). Auditors have none.
 * `seen`: the user's read marks; what arrived before them is not counted again (none: everything).
 */
export function bellFor(tx: Tx, actor: Actor, now: Date, seen: BellSeen = {}): Bell | null {
  if (actor.role === 'auditor') return null;
  if (actor.role === 'supporter') {
    const since = new Date(now.getTime() - REJECTION_NOTICE_DAYS * 86_400_000).toISOString();
    const rejected =
      tx
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
    return {
      total: rejected + missing,
      href: missing > 0 && rejected === 0 ? '/receipts/missing' : '/disbursements?status=rejected',
      parts: [
        { key: 'bell.rejected', count: rejected },
        { key: 'bell.missing', count: missing },
      ],
    };
  }
  const pending =
    tx
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
  const waitingSecond =
    tx
      .select({ n: sql<number>`count(distinct ${disbursements.id})` })
      .from(disbursements)
      .innerJoin(
        disbursementApprovals,
        and(eq(disbursementApprovals.disbursementId, disbursements.id), eq(disbursementApprovals.versionAfter, disbursements.version)),
      )
      .where(
        and(eq(disbursements.status, 'pending'), seen.secondApproval === undefined ? undefined : gt(disbursementApprovals.approvedAt, seen.secondApproval)),
      )
      .get()?.n ?? 0;
  const matches = undecidedMatches(tx, seen.personMatches);
  const parts = [
    { key: 'bell.pending', count: pending },
    { key: 'bell.secondApproval', count: waitingSecond },
    { key: 'bell.personMatches', count: matches },
  ];
  return { total: pending + matches, href: pending === 0 && matches > 0 ? '/person-matches' : '/review', parts };
}

/**
 * Pairs of cases of different groups sharing a fingerprint, not yet decided, as listPossibleMatches
 * finds them. A pair arrived when its later fingerprint was written (a new case, or an edit that
 * made the match); one that arrived before the coordinator last opened /person-matches is not new.
 */
function undecidedMatches(tx: Tx, seenAt: string | undefined): number {
  const row = tx.get<{ n: number }>(sql`
    SELECT count(*) AS n
    FROM ${identityFingerprints} a
    JOIN ${identityFingerprints} b ON b.fingerprint = a.fingerprint AND b.case_id > a.case_id AND b.organization_id <> a.organization_id
    LEFT JOIN ${personMatchDecisions} d ON d.case_a = a.case_id AND d.case_b = b.case_id
    WHERE d.decision IS NULL ${seenAt === undefined ? sql`` : sql`AND max(a.updated_at, b.updated_at) > ${seenAt}`}`);
  return row?.n ?? 0;
}
