import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { auditEvents, disbursements } from '../../db/schema.js';
import { buildTestApp } from './app.js';
import { signedIn } from './client.js';
import { makeWorld, type MadeUser } from './factories.js';
import { makeCase, makeDisbursement } from './money-factories.js';

/**
 * A fresh app with the usual cast and the coordinator signed in: the review queue as they see it.
 * `pending(...)` puts a record in the queue: a new case of the submitter's group (the Tokyo
 * supporter unless told), one food line of `amount` (10,000 unless told), its case code alongside.
 */
export async function openReviewQueue() {
  const ctx = await buildTestApp();
  const world = await makeWorld(ctx.db);
  const coordinator = await signedIn(ctx.app, world.coordinator);
  const pending = (options: { submitter?: MadeUser; paidOn?: string; amount?: number; submittedAt?: string } = {}) => {
    const submitter = options.submitter ?? world.tokyoSupporter;
    const c = makeCase(ctx.db, { organizationId: submitter.organizationId, createdBy: submitter.id });
    const d = makeDisbursement(ctx.db, {
      caseId: c.id,
      submittedBy: submitter.id,
      paidOn: options.paidOn,
      lines: [{ category: 'food', amount: options.amount ?? 10_000 }],
    });
    if (options.submittedAt) ctx.db.update(disbursements).set({ submittedAt: options.submittedAt }).where(eq(disbursements.id, d.id)).run();
    return { ...d, caseCode: c.code };
  };
  return { ctx, world, coordinator, pending };
}

export type ReviewQueue = Awaited<ReturnType<typeof openReviewQueue>>;

/** Every audit event about one disbursement. */
export const disbursementEvents = (db: Db, id: number) =>
  db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.entityType, 'disbursement'), eq(auditEvents.entityId, String(id))))
    .all();
