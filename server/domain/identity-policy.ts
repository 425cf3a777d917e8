import { eq } from 'drizzle-orm';
import { writeTransaction, type Db, type Tx } from '../../db/client.js';
import { revealPolicies } from '../../db/schema.js';
import { assertCan, can, type Actor, type OwnedRecord } from './actor.js';
import { recordAudit } from './audit.js';

/** Does this organization ask its own supporters for a reason too before identity is shown? */
export function ownerNeedsReason(tx: Tx, organizationId: number): boolean {
  return tx.select().from(revealPolicies).where(eq(revealPolicies.organizationId, organizationId)).get()?.ownerNeedsReason ?? false;
}

/** True when this actor sees this case's identity only through 「本人情報を表示」 with a reason. */
export function identityNeedsReason(tx: Tx, actor: Actor, record: OwnedRecord): boolean {
  if (!can(actor, 'case.readIdentityWithoutReason', record)) return true;
  return ownerNeedsReason(tx, record.organizationId);
}

export function setOwnerNeedsReason(db: Db, actor: Actor, organizationId: number, on: boolean, now: Date): void {
  assertCan(actor, 'admin.manage');
  writeTransaction(db, (tx) => {
    const before = ownerNeedsReason(tx, organizationId);
    tx.insert(revealPolicies)
      .values({ organizationId, ownerNeedsReason: on })
      .onConflictDoUpdate({ target: revealPolicies.organizationId, set: { ownerNeedsReason: on } })
      .run();
    recordAudit(tx, {
      action: 'reveal_policy.updated',
      actorUserId: actor.userId,
      entityType: 'organization',
      entityId: organizationId,
      before: { ownerNeedsReason: before },
      after: { ownerNeedsReason: on },
      at: now,
    });
  });
}
