import { eq } from 'drizzle-orm';
import { writeIfFree, writeTransaction, type Db, type Tx } from '../../db/client.js';
import { bellSeen, type BellKind } from '../../db/schema.js';
import type { Actor } from './actor.js';

export type BellSeen = Partial<Record<BellKind, string>>;

/**
 * Which of the bell's kinds a page shows in full: opening it marks them read, so the bell
 * counts only what arrived since. Each kind is marked by the page the bell links to for it.
 */
export function bellKindsShownBy(actor: Actor, routeUrl: string | undefined, query: unknown): BellKind[] {
  if (actor.role === 'coordinator' && routeUrl === '/review') return ['pending', 'secondApproval'];
  if (actor.role === 'coordinator' && routeUrl === '/person-matches') return ['personMatches'];
  if (actor.role !== 'supporter') return [];
  if (routeUrl === '/receipts/missing') return ['missing'];
  const status = (query as Record<string, unknown> | undefined)?.status;
  if (routeUrl === '/disbursements' && status === 'rejected') return ['rejected'];
  return [];
}

export function bellSeenOf(tx: Tx, userId: number): BellSeen {
  return Object.fromEntries(
    tx
      .select()
      .from(bellSeen)
      .where(eq(bellSeen.userId, userId))
      .all()
      .map((r) => [r.kind, r.seenAt]),
  );
}

export function markBellSeen(db: Db, actor: Actor, kinds: readonly BellKind[], now: Date): void {
  if (kinds.length === 0) return;
  const seenAt = now.toISOString();
  // A page view, not a decision: while an import holds the write lock it is marked on a later visit.
  writeIfFree(db, () =>
    writeTransaction(db, (tx) => {
      for (const kind of kinds) {
        tx.insert(bellSeen)
          .values({ userId: actor.userId, kind, seenAt })
          .onConflictDoUpdate({ target: [bellSeen.userId, bellSeen.kind], set: { seenAt } })
          .run();
      }
    }),
  );
}
