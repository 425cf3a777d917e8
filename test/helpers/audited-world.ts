import type { Db } from '../../db/client.js';
import type { Actor } from '../../server/domain/actor.js';
import { createDisbursement } from '../../server/domain/disbursements.js';
import { newFormKey } from '../../server/domain/idempotency.js';
import { approveDisbursement } from '../../server/domain/workflow.js';
import type { MadeUser } from './factories.js';
import { defaultFundId, makeCase } from './money-factories.js';

export const actorFor = (u: MadeUser): Actor => ({
  userId: u.id,
  role: u.role,
  organizationId: u.organizationId,
  isAdmin: u.isAdmin,
  displayName: `user ${u.id}`,
  locale: 'ja',
});

/** A disbursement entered and approved through the domain, as the app does it: its events carry its digest. */
export function submitThroughApp(
  db: Db,
  who: { supporter: MadeUser; coordinator: MadeUser },
  options: { paidOn?: string; lines?: { category: string; amount: number }[]; approve?: boolean; now?: Date } = {},
): number {
  const now = options.now ?? new Date('2025-06-15T03:00:00Z');
  const theCase = makeCase(db, { organizationId: who.supporter.organizationId, createdBy: who.supporter.id, householdSize: 2 });
  const { location } = createDisbursement(
    db,
    actorFor(who.supporter),
    {
      caseId: theCase.id,
      paidOn: options.paidOn ?? '2024-06-01',
      fundId: defaultFundId(db),
      method: 'cash',
      peopleCovered: 2,
      payee: null,
      note: null,
      lines: options.lines ?? [
        { category: 'food', amount: 12_000 },
        { category: 'shelter', amount: 30_000 },
      ],
      idempotencyKey: newFormKey(),
      receipts: [],
    },
    now,
  );
  const id = Number(location.split('/').at(-1));
  if (options.approve ?? true) approveDisbursement(db, actorFor(who.coordinator), id, { expectedVersion: 1 }, now);
  return id;
}
