import { describe, expect, it } from 'vitest';
import { writeTransaction } from '../../db/client.js';
import { auditEvents } from '../../db/schema.js';
import { recordAudit, type AuditEventInput } from '../../server/domain/audit.js';
import { recordAuditMany } from '../../server/domain/audit-batch.js';
import { verifyAuditTrail } from '../../server/domain/audit-verify.js';
import { makeTestConfig, makeTestDb } from '../helpers/app.js';
import { makeOrganization, makeUser } from '../helpers/factories.js';
import { makeCase, makeDisbursement } from '../helpers/money-factories.js';

async function ledgerWithRecords() {
  const db = makeTestDb(makeTestConfig().config);
  const org = makeOrganization(db, { code: 'TKY' });
  const user = await makeUser(db, { role: 'supporter', organizationId: org.id });
  const theCase = makeCase(db, { organizationId: org.id, createdBy: user.id });
  const ids = [1000, 2500, 700].map(
    (amount, i) => makeDisbursement(db, { caseId: theCase.id, submittedBy: user.id, paidOn: `2025-05-0${i + 1}`, lines: [{ category: 'food', amount }] }).id,
  );
  writeTransaction(db, (tx) => recordAudit(tx, { action: 'seed', actorUserId: null, entityType: 'system', at: new Date('2025-05-01T00:00:00Z') }));
  const events: AuditEventInput[] = ids.map((id) => ({
    action: 'disbursement.imported',
    actorUserId: user.id,
    entityType: 'disbursement',
    entityId: id,
    at: new Date('2025-06-01T00:00:00Z'),
    after: { batchId: 1 },
  }));
  return { db, events };
}

describe('appending many audit events at once', () => {
  it('writes exactly the chain that one recordAudit per event writes, money digests included', async () => {
    const { db, events } = await ledgerWithRecords();
    const chain = () =>
      db
        .select()
        .from(auditEvents)
        .all()
        .map(({ id, occurredAt, action, entityId, after, prevHash, hash }) => ({ id, occurredAt, action, entityId, after, prevHash, hash }));
    // One at a time, read, then rolled back; then all at once on the same database.
    let oneByOne: ReturnType<typeof chain> = [];
    expect(() =>
      writeTransaction(db, (tx) => {
        events.forEach((e) => recordAudit(tx, e));
        oneByOne = chain();
        throw new Error('roll back');
      }),
    ).toThrow('roll back');
    writeTransaction(db, (tx) => recordAuditMany(tx, events));
    expect(chain()).toEqual(oneByOne);
    expect(chain().filter((e) => e.action === 'disbursement.imported')).toHaveLength(3);
    expect(JSON.parse(chain().at(-1)!.after!)).toHaveProperty('moneyDigest');
    expect(verifyAuditTrail(db)).toMatchObject({ ok: true, ledger: [] });
  });
});
