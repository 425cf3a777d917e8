import { and, asc, eq, inArray } from 'drizzle-orm';
import { writeTransaction, type Db } from '../../db/client.js';
import { auditEvents, casePurges, disbursements, receipts, users } from '../../db/schema.js';
import { assertCan, type Actor } from './actor.js';
import { recordAudit } from './audit.js';
import { decryptIdentity, findCaseFor, type CaseDeps } from './cases.js';
import { linesWithCategory } from './disbursements.js';

/** Who touched this person's identity: the events a disclosure lists. */
const ACCESS_ACTIONS = ['case.identity_viewed', 'case.identity_revealed', 'case.identity_reveal_refused', 'case.disclosure_exported', 'case.identity_purged'];

/**
 * 開示請求 (APPI art. 33): everything held about one case — identity, profile, each
 * disbursement with its lines, the receipts list, and who read the identity and when.
 * Producing it is itself an audit event (without the data).
 */
export function discloseCase(db: Db, actor: Actor, caseId: number, deps: CaseDeps) {
  const record = findCaseFor(db, actor, caseId);
  assertCan(actor, 'case.disclose', record);
  const identity = decryptIdentity(deps.cipher, record);
  const paid = db.select().from(disbursements).where(eq(disbursements.caseId, caseId)).orderBy(asc(disbursements.paidOn), asc(disbursements.id)).all();
  const ids = paid.map((d) => d.id);
  const lines = linesWithCategory(db, ids);
  const files =
    ids.length === 0
      ? []
      : db
          .select({
            id: receipts.id,
            disbursementId: receipts.disbursementId,
            mediaType: receipts.mediaType,
            byteSize: receipts.byteSize,
            uploadedAt: receipts.uploadedAt,
          })
          .from(receipts)
          .where(inArray(receipts.disbursementId, ids))
          .orderBy(asc(receipts.id))
          .all();
  const accesses = db
    .select({ occurredAt: auditEvents.occurredAt, action: auditEvents.action, displayName: users.displayName, after: auditEvents.after })
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.actorUserId))
    .where(and(eq(auditEvents.entityType, 'case'), eq(auditEvents.entityId, String(caseId)), inArray(auditEvents.action, ACCESS_ACTIONS)))
    .orderBy(asc(auditEvents.id))
    .all()
    .map((e) => ({ ...e, reason: (JSON.parse(e.after ?? '{}') as { reason?: string }).reason ?? null }));
  const purge = db.select().from(casePurges).where(eq(casePurges.caseId, caseId)).get() ?? null;
  writeTransaction(db, (tx) =>
    recordAudit(tx, { action: 'case.disclosure_exported', actorUserId: actor.userId, entityType: 'case', entityId: caseId, at: deps.clock.now() }),
  );
  return {
    record,
    identity,
    purge,
    accesses,
    receipts: files,
    disbursements: paid.map((d) => ({ ...d, lines: lines.filter((l) => l.disbursementId === d.id) })),
  };
}
