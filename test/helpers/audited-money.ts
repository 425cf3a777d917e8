import { writeTransaction, type Db } from '../../db/client.js';
import { recordAudit } from '../../server/domain/audit.js';
import { makeDisbursement } from './money-factories.js';

/**
 * makeDisbursement, then the event that binds it to the trail (as the demo seed does): for tests
 * that verify the whole trail, where a record no event vouches for is rightly reported.
 */
export function makeAuditedDisbursement(db: Db, options: Parameters<typeof makeDisbursement>[1]) {
  const row = makeDisbursement(db, options);
  writeTransaction(db, (tx) =>
    recordAudit(tx, {
      action: 'disbursement.seeded',
      actorUserId: null,
      entityType: 'disbursement',
      entityId: row.id,
      after: { status: row.status },
      at: new Date(),
    }),
  );
  return row;
}
