import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, disbursements, type DisbursementStatus } from '../../db/schema.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn, type TestClient } from '../helpers/client.js';
import { makeWorld } from '../helpers/factories.js';
import { makeCase, makeDisbursement } from '../helpers/money-factories.js';

// The four review actions share one handler (routes/decisions.ts `decide`): same order of checks for each.
let ctx: TestContext;
let world: Awaited<ReturnType<typeof makeWorld>>;
let coordinator: TestClient;
let supporter: TestClient;
beforeAll(async () => {
  ctx = await buildTestApp();
  world = await makeWorld(ctx.db);
  coordinator = await signedIn(ctx.app, world.coordinator);
  supporter = await signedIn(ctx.app, world.tokyoSupporter);
});
afterAll(async () => ctx.close());

function record(status: DisbursementStatus) {
  const c = makeCase(ctx.db, { organizationId: world.tokyo.id, createdBy: world.tokyoSupporter.id });
  return makeDisbursement(ctx.db, { caseId: c.id, submittedBy: world.tokyoSupporter.id, status, decidedBy: world.admin.id });
}
const rowOf = (id: number) => ctx.db.select().from(disbursements).where(eq(disbursements.id, id)).get()!;
const eventCount = (id: number) =>
  ctx.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.entityType, 'disbursement'), eq(auditEvents.entityId, String(id))))
    .all().length;

const CASES = [
  { action: 'approve', from: 'pending', client: () => coordinator, form: {} },
  { action: 'reject', from: 'pending', client: () => coordinator, form: { reason: '領収書が読めません。' } },
  { action: 'void', from: 'approved', client: () => coordinator, form: { reason: '金額の入力誤り。' } },
  { action: 'withdraw', from: 'pending', client: () => supporter, form: {} },
] as const;

describe('the four review actions, one handler', () => {
  for (const c of CASES) {
    it(`${c.action}: a malformed queue value is 400 and nothing is written`, async () => {
      const d = record(c.from);
      const before = eventCount(d.id);
      const res = await c.client().post(`/disbursements/${d.id}/${c.action}`, { version: '1', ...c.form, queue: 'org=abc' });
      expect(res.statusCode).toBe(400);
      expect(rowOf(d.id)).toMatchObject({ status: c.from, version: 1 });
      expect(eventCount(d.id)).toBe(before);
    });

    it(`${c.action}: a bad version is 400; a good one decides`, async () => {
      const d = record(c.from);
      expect((await c.client().post(`/disbursements/${d.id}/${c.action}`, { version: 'x', ...c.form })).statusCode).toBe(400);
      const res = await c.client().post(`/disbursements/${d.id}/${c.action}`, { version: '1', ...c.form });
      expect(res.statusCode).toBe(303);
      expect(rowOf(d.id).version).toBe(2);
    });
  }

  it('reject and void without a reason re-render their form (422); approve on a missing record is 404', async () => {
    for (const [action, from] of [
      ['reject', 'pending'],
      ['void', 'approved'],
    ] as const) {
      const d = record(from);
      const res = await coordinator.post(`/disbursements/${d.id}/${action}`, { version: '1' });
      expect(res.statusCode).toBe(422);
      expect(rowOf(d.id).status).toBe(from);
    }
    expect((await coordinator.post('/disbursements/999999/approve', { version: '1' })).statusCode).toBe(404);
  });
});
