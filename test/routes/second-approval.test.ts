import { and, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditEvents, disbursements, funds } from '../../db/schema.js';
import { ja } from '../../server/i18n/ja.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn, type TestClient } from '../helpers/client.js';
import { makeUser, makeWorld, type MadeUser } from '../helpers/factories.js';
import { makeCase, makeDisbursement } from '../helpers/money-factories.js';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof makeWorld>>;
let third: MadeUser;
let fundId: number;
let admin: TestClient;
let coordinator: TestClient;
beforeEach(async () => {
  ctx = await buildTestApp();
  world = await makeWorld(ctx.db);
  third = await makeUser(ctx.db, { role: 'coordinator', organizationId: world.office.id, displayName: 'Third Coordinator' });
  fundId = ctx.db.insert(funds).values({ name: '緊急助成2025' }).returning().get().id;
  admin = await signedIn(ctx.app, world.admin);
  coordinator = await signedIn(ctx.app, world.coordinator);
});
afterEach(async () => ctx.close());

function record(amount: number, submitter: MadeUser = world.tokyoSupporter, status: 'pending' | 'approved' = 'pending') {
  const c = makeCase(ctx.db, { organizationId: submitter.organizationId, createdBy: submitter.id });
  return makeDisbursement(ctx.db, {
    caseId: c.id,
    submittedBy: submitter.id,
    fundId,
    status,
    decidedBy: world.admin.id,
    lines: [{ category: 'shelter', amount }],
  });
}
const rowOf = (id: number) => ctx.db.select().from(disbursements).where(eq(disbursements.id, id)).get()!;
const eventsFor = (type: string, id: number) =>
  ctx.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.entityType, type), eq(auditEvents.entityId, String(id))))
    .all();
const reportTotal = async (client: TestClient) => JSON.parse((await client.get('/reports/summary.json?from=2025-01-01&to=2025-12-31')).body).total as number;

async function setThreshold(value: string) {
  const response = await admin.post(`/admin/funds/${fundId}/review-rule`, { twoApprovalsAbove: value, receiptDueDays: '14' });
  expect(response.statusCode).toBe(303);
}

describe('two approvals above a fund threshold', () => {
  it('is set under 管理 → 財源, audited, and refuses bad input with a 422', async () => {
    expect((await admin.get('/admin/funds')).body).toContain(`href="/admin/funds/${fundId}/review-rule"`);
    await setThreshold('¥100,000');
    const events = eventsFor('fund', fundId);
    expect(events.map((e) => e.action)).toEqual(['fund.review_rule_changed']);
    expect(JSON.parse(events[0]!.before!)).toEqual({ twoApprovalsAbove: null, receiptDueDays: 14 });
    expect(JSON.parse(events[0]!.after!)).toEqual({ twoApprovalsAbove: 100_000, receiptDueDays: 14 });
    expect((await admin.get(`/admin/funds/${fundId}/review-rule`)).body).toContain('value="100,000"');
    const bad = await admin.post(`/admin/funds/${fundId}/review-rule`, { twoApprovalsAbove: '10万', receiptDueDays: '0' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('value="10万"');
    expect(bad.body).toContain(ja['reviewRules.dueDaysRange']);
    expect(eventsFor('fund', fundId)).toHaveLength(1);
    expect((await coordinator.get(`/admin/funds/${fundId}/review-rule`)).statusCode).toBe(403);
  });

  it('first approval leaves it pending "1 of 2" and uncounted; the same coordinator cannot give the second; another can', async () => {
    await setThreshold('100000');
    const d = record(150_000);
    const first = await coordinator.post(`/disbursements/${d.id}/approve`, { version: '1' });
    expect(first.statusCode).toBe(303);
    expect(rowOf(d.id)).toMatchObject({ status: 'pending', version: 2, decidedBy: null });
    const [event] = eventsFor('disbursement', d.id);
    expect(event!.action).toBe('disbursement.first_approved');
    expect(JSON.parse(event!.after!)).toMatchObject({ status: 'pending', approvals: 1, approvalsNeeded: 2 });
    expect((await coordinator.get(`/disbursements/${d.id}`)).body).toContain(ja['review.flash.firstApproval']);
    expect(await reportTotal(admin)).toBe(0);

    // The first approver sees it waiting, with no approve button; the queue shows 1 of 2 to everyone.
    const own = (await coordinator.get('/review')).body;
    expect(own).toContain('承認 1/2');
    expect(own).toContain(ja['review.waitingSecondNote']);
    expect(own).not.toContain(`action="/disbursements/${d.id}/approve"`);
    const again = await coordinator.post(`/disbursements/${d.id}/approve`, { version: '2' });
    expect(again.statusCode).toBe(403);
    expect(again.body).toContain(ja['workflow.sameApprover']);
    expect((await admin.get('/review')).body).toContain(`action="/disbursements/${d.id}/approve"`);
    const page = (await admin.get(`/disbursements/${d.id}`)).body;
    expect(page).toContain('承認 1/2');
    expect(page).toContain(`action="/disbursements/${d.id}/approve"`);

    const second = await admin.post(`/disbursements/${d.id}/approve`, { version: '2' });
    expect(second.statusCode).toBe(303);
    expect(rowOf(d.id)).toMatchObject({ status: 'approved', version: 3, decidedBy: world.admin.id });
    expect(JSON.parse(eventsFor('disbursement', d.id)[1]!.after!)).toMatchObject({ status: 'approved', approvals: 2 });
    expect(await reportTotal(admin)).toBe(150_000);
  });

  it('the submitter is never one of the two, and at the threshold itself one approval is enough', async () => {
    await setThreshold('100000');
    const mine = record(200_000, third);
    expect((await signedIn(ctx.app, third).then((c) => c.post(`/disbursements/${mine.id}/approve`, { version: '1' }))).statusCode).toBe(403);
    const atLimit = record(100_000);
    expect((await coordinator.post(`/disbursements/${atLimit.id}/approve`, { version: '1' })).statusCode).toBe(303);
    expect(rowOf(atLimit.id).status).toBe('approved');
  });

  it('an edit after the first approval (a new version) needs both approvals again', async () => {
    await setThreshold('100000');
    const d = record(150_000);
    await coordinator.post(`/disbursements/${d.id}/approve`, { version: '1' });
    // What an edit by the supporter does to the row: a new version.
    ctx.db.update(disbursements).set({ version: 3 }).where(eq(disbursements.id, d.id)).run();
    expect((await admin.post(`/disbursements/${d.id}/approve`, { version: '3' })).statusCode).toBe(303);
    expect(rowOf(d.id)).toMatchObject({ status: 'pending', version: 4 });
    const thirdClient = await signedIn(ctx.app, third);
    expect((await thirdClient.post(`/disbursements/${d.id}/approve`, { version: '4' })).statusCode).toBe(303);
    expect(rowOf(d.id).status).toBe('approved');
  });

  it('bulk approval gives a first approval and says so', async () => {
    await setThreshold('100000');
    const d = record(150_000);
    const answer = await coordinator.post('/review/approve', { items: [`${d.id}:1`] });
    expect(answer.body).toContain(ja['review.bulk.firstApproval']);
    expect(rowOf(d.id).status).toBe('pending');
  });

  it('changing the threshold never re-judges decided records', async () => {
    const decided = record(500_000, world.tokyoSupporter, 'approved');
    await setThreshold('1000');
    expect(rowOf(decided.id)).toMatchObject({ status: 'approved', version: 1 });
    expect(eventsFor('disbursement', decided.id)).toHaveLength(0);
    expect(await reportTotal(admin)).toBe(500_000);
  });
});
