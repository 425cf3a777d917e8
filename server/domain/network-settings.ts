import { eq } from 'drizzle-orm';
import { writeTransaction, type Db, type Tx } from '../../db/client.js';
import { networkSettings } from '../../db/schema.js';
import { assertCan, type Actor } from './actor.js';
import { recordAudit } from './audit.js';

/**
 * Must coordinators and admins pass a second factor? The admin's choice once made (one row);
 * until then the configured default (REQUIRE_SECOND_FACTOR: on in production, off in the demo).
 */
export function secondFactorRequired(tx: Tx, configuredDefault: boolean): boolean {
  return tx.select({ on: networkSettings.requireSecondFactor }).from(networkSettings).where(eq(networkSettings.id, 1)).get()?.on ?? configuredDefault;
}

export function setSecondFactorRequired(db: Db, actor: Actor, on: boolean, configuredDefault: boolean, now: Date): void {
  assertCan(actor, 'admin.manage');
  writeTransaction(db, (tx) => {
    const before = secondFactorRequired(tx, configuredDefault);
    const row = { requireSecondFactor: on, updatedBy: actor.userId, updatedAt: now.toISOString() };
    tx.insert(networkSettings)
      .values({ id: 1, ...row })
      .onConflictDoUpdate({ target: networkSettings.id, set: row })
      .run();
    if (before !== on) {
      recordAudit(tx, {
        action: 'settings.second_factor_required',
        actorUserId: actor.userId,
        entityType: 'settings',
        before: { requireSecondFactor: before },
        after: { requireSecondFactor: on },
        at: now,
      });
    }
  });
}
