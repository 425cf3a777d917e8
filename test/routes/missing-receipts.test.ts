import { and, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditEvents, disbursements, funds, lostReceiptDeclarations } from '../../db/schema.js';
import { attachReceipts, prepareReceipt, storeReceipts } from '../../server/domain/receipts.js';
import { ja } from '../../server/i18n/ja.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn } from '../helpers/client.js';
import { makeWorld } from '../helpers/factories.js';
import { makeCase, makeDisbursement } from '../helpers/money-factories.js';
import { actorOf, tinyPng } from '../security/world.js';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof makeWorld>>;
beforeEach(async () => {
  // The clock reads 2025-06-15; the factory's approvals are dated 2025-06-02 (13 days earlier).
  ctx = await buildTestApp();
  world = await makeWorld(ctx.db);
});
afterEach(async () => ctx.close());

function approved(options: { fundId?: number; decidedAt?: string; org?: 'tokyo' | 'osaka' } = {}) {
  const supporter = options.org === 'osaka' ? world.osakaSupporter : world.tokyoSupporter;
  const c = makeCase(ctx.db, { organizationId: supporter.organizationId, createdBy: supporter.id });
  const d = makeDisbursement(ctx.db, { caseId: c.id, submittedBy: supporter.id, status: 'approved', decidedBy: world.admin.id, fundId: options.fundId });
  if (options.decidedAt) ctx.db.update(disbursements).set({ decidedAt: options.decidedAt }).where(eq(disbursements.id, d.id)).run();
  return d;
}
const listed = (body: string) => [...body.matchAll(/<li class="review-item" id="m-([0-9]+)">/g)].map((m) => Number(m[1]));

describe('missing receipts', () => {
  it('lists approved records without a receipt after the fund’s days (default 14), to the owning group and coordinators', async () => {
    const old = approved({ decidedAt: '2025-05-30T00:00:00.000Z' });
    const recent = approved();
    const withReceipt = approved({ decidedAt: '2025-05-01T00:00:00.000Z' });
    const stored = await storeReceipts(ctx.dataDir, [await prepareReceipt(await tinyPng())]);
    // A coordinator may attach later to an approved record.
    attachReceipts(ctx.db, actorOf(ctx.db, world.admin.id), withReceipt.id, stored, ctx.clock.now());
    const shortFund = ctx.db.insert(funds).values({ name: 'Short deadline' }).returning().get();
    const admin = await signedIn(ctx.app, world.admin);
    expect((await admin.post(`/admin/funds/${shortFund.id}/review-rule`, { twoApprovalsAbove: '', receiptDueDays: '7' })).statusCode).toBe(303);
    const shortDue = approved({ fundId: shortFund.id });
    const osakaOld = approved({ org: 'osaka', decidedAt: '2025-05-01T00:00:00.000Z' });

    const coordinator = await signedIn(ctx.app, world.coordinator);
    expect(listed((await coordinator.get('/receipts/missing')).body)).toEqual([osakaOld.id, old.id, shortDue.id]);
    const tokyo = await signedIn(ctx.app, world.tokyoSupporter);
    expect(listed((await tokyo.get('/receipts/missing')).body)).toEqual([old.id, shortDue.id]);
    expect(listed((await tokyo.get('/receipts/missing')).body)).not.toContain(recent.id);
  });

  it('a lost-receipt declaration (reason, amount, who received it) is accepted by another coordinator and leaves the list', async () => {
    const d = approved({ decidedAt: '2025-05-01T00:00:00.000Z' });
    const tokyo = await signedIn(ctx.app, world.tokyoSupporter);
    const bad = await tokyo.post(`/disbursements/${d.id}/lost-receipt`, { reason: '', amountConfirmed: '1.5', receivedBy: 'neighbour' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain(ja['money.invalid']);
    const filed = await tokyo.post(`/disbursements/${d.id}/lost-receipt`, {
      reason: '雨で濡れて読めなくなった',
      amountConfirmed: '¥10,000',
      receivedBy: 'person',
    });
    expect(filed.statusCode).toBe(303);
    expect((await tokyo.post(`/disbursements/${d.id}/lost-receipt`, { reason: 'again', amountConfirmed: '10000', receivedBy: 'person' })).statusCode).toBe(409);
    expect((await tokyo.post(`/disbursements/${d.id}/lost-receipt/accept`)).statusCode).toBe(403);

    const coordinator = await signedIn(ctx.app, world.coordinator);
    const page = (await coordinator.get('/receipts/missing')).body;
    expect(page).toContain('雨で濡れて読めなくなった');
    expect((await coordinator.post(`/disbursements/${d.id}/lost-receipt/accept`)).statusCode).toBe(303);
    expect(ctx.db.select().from(lostReceiptDeclarations).get()).toMatchObject({
      amountConfirmed: 10_000,
      receivedBy: 'person',
      acceptedBy: world.coordinator.id,
    });
    expect(listed((await coordinator.get('/receipts/missing')).body)).toEqual([]);
    const actions = ctx.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entityType, 'disbursement'), eq(auditEvents.entityId, String(d.id))))
      .all()
      .map((e) => e.action);
    expect(actions).toEqual(['receipt.lost_declared', 'receipt.lost_accepted']);
  });

  it('a coordinator cannot accept their own declaration; another group sees 404', async () => {
    const d = approved({ decidedAt: '2025-05-01T00:00:00.000Z' });
    const coordinator = await signedIn(ctx.app, world.coordinator);
    expect(
      (await coordinator.post(`/disbursements/${d.id}/lost-receipt`, { reason: '紛失', amountConfirmed: '10000', receivedBy: 'provider' })).statusCode,
    ).toBe(303);
    expect((await coordinator.post(`/disbursements/${d.id}/lost-receipt/accept`)).statusCode).toBe(403);
    const osaka = await signedIn(ctx.app, world.osakaSupporter);
    expect((await osaka.post(`/disbursements/${d.id}/lost-receipt`, { reason: 'x', amountConfirmed: '1', receivedBy: 'person' })).statusCode).toBe(404);
  });
});

describe('the report page', () => {
  it('says how many counted records lack a receipt in the period', async () => {
    approved({ decidedAt: '2025-05-01T00:00:00.000Z' });
    approved();
    approved({ org: 'osaka' });
    const coordinator = await signedIn(ctx.app, world.coordinator);
    expect((await coordinator.get('/reports?from=2025-06-01&to=2025-06-30')).body).toContain('この期間に数えた支給記録のうち 3件は');
    const tokyo = await signedIn(ctx.app, world.tokyoSupporter);
    expect((await tokyo.get('/reports?from=2025-06-01&to=2025-06-30')).body).toContain('この期間に数えた支給記録のうち 2件は');
    expect((await tokyo.get('/reports?from=2025-07-01&to=2025-07-31')).body).not.toContain('この期間に数えた支給記録のうち');
  });
});
