import { newFormKey } from '../../server/domain/idempotency.js';
import { buildTestApp } from './app.js';
import { signedIn } from './client.js';
import { makeWorld } from './factories.js';
import { defaultFundId, makeCase, makeDisbursement } from './money-factories.js';

/** A record's content and status; who entered it is the desk's, and so is the case unless told. */
type Record_ = Omit<Parameters<typeof makeDisbursement>[1], 'caseId' | 'submittedBy'> & { caseId?: number };

/**
 * A fresh app with the usual cast, one Tokyo case (`householdSize` people, 2 unless told) and the
 * Tokyo supporter signed in: where the disbursement and receipt pages are tested.
 * `makeRecord(...)` puts a record on that case (or the `caseId` given) as the Tokyo supporter (pending, one food line of
 * 10,000 unless told); `newRecordFields(...)` is the new-record form as a multipart post sends it.
 */
export async function openDisbursementDesk(options: { householdSize?: number } = {}) {
  const ctx = await buildTestApp();
  const world = await makeWorld(ctx.db);
  const caseId = makeCase(ctx.db, { organizationId: world.tokyo.id, createdBy: world.tokyoSupporter.id, householdSize: options.householdSize ?? 2 }).id;
  const tokyo = await signedIn(ctx.app, world.tokyoSupporter);
  const makeRecord = (content: Record_ = {}) => makeDisbursement(ctx.db, { caseId, submittedBy: world.tokyoSupporter.id, ...content });
  /** A cash record for 2 people on 2025-06-10 from the default fund, with a fresh key; `fields` adds the lines and may override any field. */
  const newRecordFields = <F extends Record<string, string | string[]>>(fields: F) => ({
    caseId: String(caseId),
    idempotencyKey: newFormKey(),
    paidOn: '2025-06-10',
    fundId: String(defaultFundId(ctx.db)),
    method: 'cash',
    peopleCovered: '2',
    ...fields,
  });
  return { ctx, world, tokyo, caseId, makeRecord, newRecordFields };
}

export type DisbursementDesk = Awaited<ReturnType<typeof openDisbursementDesk>>;
