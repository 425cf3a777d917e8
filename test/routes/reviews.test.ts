import { and, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditEvents, cases, disbursements, funds, periodLocks } from '../../db/schema.js';
import { ja } from '../../server/i18n/ja.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn, type TestClient } from '../helpers/client.js';
import { makeWorld, type MadeUser } from '../helpers/factories.js';
import { makeCase, makeDisbursement } from '../helpers/money-factories.js';
import type { DisbursementStatus } from '../../db/schema.js';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof makeWorld>>;
beforeEach(async () => {
  ctx = await buildTestApp();
  world = await makeWorld(ctx.db);
});
afterEach(async () => ctx.close());

function record(
  options: {
    status?: DisbursementStatus;
    submitter?: MadeUser;
    paidOn?: string;
    submittedAt?: string;
    lines?: { category: string; amount: number }[];
    fundId?: number;
  } = {},
) {
  const submitter = options.submitter ?? world.tokyoSupporter;
  const c = makeCase(ctx.db, { organizationId: submitter.organizationId, createdBy: submitter.id, householdSize: 3 });
  const d = makeDisbursement(ctx.db, {
    caseId: c.id,
    submittedBy: submitter.id,
    status: options.status ?? 'pending',
    paidOn: options.paidOn,
    lines: options.lines,
    fundId: options.fundId,
    decidedBy: world.admin.id,
  });
  if (options.submittedAt) ctx.db.update(disbursements).set({ submittedAt: options.submittedAt }).where(eq(disbursements.id, d.id)).run();
  return { ...d, caseCode: c.code, caseId: c.id };
}

const rowOf = (id: number) => ctx.db.select().from(disbursements).where(eq(disbursements.id, id)).get()!;
const eventsFor = (id: number) =>
  ctx.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.entityType, 'disbursement'), eq(auditEvents.entityId, String(id))))
    .all();

describe('POST /disbursements/:id/approve | reject | void | withdraw', () => {
  let coordinator: TestClient;
  beforeEach(async () => {
    coordinator = await signedIn(ctx.app, world.coordinator);
  });

  it('approves: 303 to the record, the row, the audit event and a flash', async () => {
    const d = record();
    const response = await coordinator.post(`/disbursements/${d.id}/approve`, { version: '1' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/disbursements/${d.id}`);
    expect(rowOf(d.id)).toMatchObject({ status: 'approved', version: 2, decidedBy: world.coordinator.id, decidedAt: '2025-06-15T03:00:00.000Z' });
    const events = eventsFor(d.id);
    expect(events.map((e) => e.action)).toEqual(['disbursement.approved']);
    expect(events[0]!.actorUserId).toBe(world.coordinator.id);
    const next = await coordinator.get(`/disbursements/${d.id}`);
    expect(next.body).toContain(`<p class="flash flash-success" role="status">${ja['review.flash.approve']}</p>`);
    // shown once: the next page has no flash
    expect((await coordinator.get(`/disbursements/${d.id}`)).body).not.toContain('class="flash flash-success"');
  });

  it('rejects with a reason the supporter will see', async () => {
    const d = record();
    const response = await coordinator.post(`/disbursements/${d.id}/reject`, { version: '1', reason: '領収書の写真が読めません。撮り直してください。' });
    expect(response.statusCode).toBe(303);
    expect(rowOf(d.id)).toMatchObject({ status: 'rejected', rejectReason: '領収書の写真が読めません。撮り直してください。' });
    expect(JSON.parse(eventsFor(d.id)[0]!.after!)).toMatchObject({ status: 'rejected', reason: '領収書の写真が読めません。撮り直してください。' });
  });

  for (const action of ['reject', 'void'] as const) {
    it(`${action} without a reason: 422 with the message beside the field, nothing written`, async () => {
      const d = record({ status: action === 'void' ? 'approved' : 'pending' });
      const response = await coordinator.post(`/disbursements/${d.id}/${action}`, { version: '1', reason: '   ' });
      expect(response.statusCode).toBe(422);
      expect(response.body).toContain('class="error-summary"');
      expect(response.body).toMatch(/<p class="error" id="f-reason-error">入力してください。<\/p>/);
      expect(response.body).toContain(d.caseCode);
      expect(response.body).toContain(`action="/disbursements/${d.id}/${action}"`);
      expect(response.body).toContain('name="version" value="1"');
      expect(rowOf(d.id).status).toBe(action === 'void' ? 'approved' : 'pending');
      expect(eventsFor(d.id)).toHaveLength(0);
    });

    it(`${action} with a reason over 1000 characters: 422 with the text kept`, async () => {
      const d = record({ status: action === 'void' ? 'approved' : 'pending' });
      const reason = `理由<b>${'あ'.repeat(1000)}`;
      const response = await coordinator.post(`/disbursements/${d.id}/${action}`, { version: '1', reason });
      expect(response.statusCode).toBe(422);
      expect(response.body).toContain('1000文字以内で入力してください。');
      expect(response.body).toContain(`理由&lt;b&gt;${'あ'.repeat(1000)}</textarea>`);
      expect(eventsFor(d.id)).toHaveLength(0);
    });
  }

  it('voids an approved record with the reason; it keeps who approved it', async () => {
    const d = record({ status: 'approved' });
    const response = await coordinator.post(`/disbursements/${d.id}/void`, { version: '1', reason: '金額の入力誤り。正しい記録を別に登録。' });
    expect(response.statusCode).toBe(303);
    expect(rowOf(d.id)).toMatchObject({
      status: 'voided',
      voidedBy: world.coordinator.id,
      voidReason: '金額の入力誤り。正しい記録を別に登録。',
      decidedBy: world.admin.id,
    });
    expect(eventsFor(d.id).map((e) => e.action)).toEqual(['disbursement.voided']);
  });

  it('a stale page loses with 409 "already decided by X at T"', async () => {
    const d = record();
    const admin = await signedIn(ctx.app, world.admin);
    expect((await admin.post(`/disbursements/${d.id}/reject`, { version: '1', reason: '重複登録' })).statusCode).toBe(303);
    ctx.clock.advance(60_000);
    const response = await coordinator.post(`/disbursements/${d.id}/approve`, { version: '1' });
    expect(response.statusCode).toBe(409);
    expect(response.body).toContain('この支給記録は Admin Coordinator さんが 2025年6月15日 12:00 に却下済みです。');
    expect(rowOf(d.id)).toMatchObject({ status: 'rejected', decidedBy: world.admin.id });
    expect(eventsFor(d.id)).toHaveLength(1);
  });

  it('a coordinator cannot decide their own submission (403 with the four-eyes message)', async () => {
    const d = record({ submitter: world.coordinator });
    const response = await coordinator.post(`/disbursements/${d.id}/approve`, { version: '1' });
    expect(response.statusCode).toBe(403);
    expect(response.body).toContain('自分が登録した支給記録は、承認・却下・取消ができません');
    expect(rowOf(d.id).status).toBe('pending');
  });

  it('the owning supporter withdraws a pending record', async () => {
    const d = record();
    const supporter = await signedIn(ctx.app, world.tokyoSupporter);
    const response = await supporter.post(`/disbursements/${d.id}/withdraw`, { version: '1' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/disbursements/${d.id}`);
    expect(rowOf(d.id)).toMatchObject({ status: 'withdrawn', decidedBy: world.tokyoSupporter.id });
    expect(eventsFor(d.id).map((e) => e.action)).toEqual(['disbursement.withdrawn']);
  });

  it('refuses supporters and auditors as the permission table says, writing nothing', async () => {
    const pending = record();
    const approved = record({ status: 'approved' });
    const auditor = await signedIn(ctx.app, world.auditor);
    const own = await signedIn(ctx.app, world.tokyoSupporter);
    const other = await signedIn(ctx.app, world.osakaSupporter);
    const cases: [TestClient, string, number, number][] = [
      [auditor, 'approve', pending.id, 403],
      [auditor, 'reject', pending.id, 403],
      [auditor, 'withdraw', pending.id, 403],
      [auditor, 'void', approved.id, 403],
      [own, 'approve', pending.id, 403],
      [own, 'reject', pending.id, 403],
      [own, 'void', approved.id, 403],
      [other, 'approve', pending.id, 404],
      [other, 'reject', pending.id, 404],
      [other, 'withdraw', pending.id, 404],
      [other, 'void', approved.id, 404],
    ];
    for (const [client, action, id, status] of cases) {
      // also with an empty form: a refusal outranks the 422
      for (const form of [{ version: '1', reason: 'x' }, {}]) {
        const response = await client.post(`/disbursements/${id}/${action}`, form);
        expect({ action, id, status: response.statusCode }).toEqual({ action, id, status });
      }
    }
    expect(rowOf(pending.id).status).toBe('pending');
    expect(rowOf(approved.id).status).toBe('approved');
    expect(eventsFor(pending.id)).toHaveLength(0);
    expect(eventsFor(approved.id)).toHaveLength(0);
  });

  it('a malformed id is 404 and a missing version 400', async () => {
    const d = record();
    expect((await coordinator.post('/disbursements/abc/approve', { version: '1' })).statusCode).toBe(404);
    expect((await coordinator.post('/disbursements/0/approve', { version: '1' })).statusCode).toBe(404);
    expect((await coordinator.post(`/disbursements/${d.id}/approve`, {})).statusCode).toBe(400);
    expect((await coordinator.post(`/disbursements/${d.id}/approve`, { version: '1.5' })).statusCode).toBe(400);
    expect((await coordinator.post(`/disbursements/${d.id}/reject`, { version: ['1', '2'], reason: 'x' })).statusCode).toBe(400);
    expect(rowOf(d.id).status).toBe('pending');
  });

  it('inside a locked period: 409 naming the lock', async () => {
    ctx.db
      .insert(periodLocks)
      .values({ startsOn: '2024-04-01', endsOn: '2025-03-31', note: '2024年度報告書公開済み', lockedBy: world.admin.id, lockedAt: '2025-05-01T00:00:00.000Z' })
      .run();
    const d = record({ paidOn: '2024-12-24' });
    const response = await coordinator.post(`/disbursements/${d.id}/approve`, { version: '1' });
    expect(response.statusCode).toBe(409);
    expect(response.body).toContain('2024年4月1日〜2025年3月31日 は締め済みの期間です（2024年度報告書公開済み）');
    expect(rowOf(d.id).status).toBe('pending');
  });
});

describe('GET /review', () => {
  it('is for coordinators only', async () => {
    for (const user of [world.auditor, world.tokyoSupporter]) {
      const client = await signedIn(ctx.app, user);
      expect((await client.get('/review')).statusCode).toBe(403);
    }
    const client = await signedIn(ctx.app, world.coordinator);
    expect((await client.get('/review')).statusCode).toBe(200);
  });

  it('lists pending records oldest first with what a reviewer needs, never the identity', async () => {
    const later = record({
      submittedAt: '2025-06-10T00:00:00.000Z',
      lines: [
        { category: 'shelter', amount: 30_000 },
        { category: 'food', amount: 12_000 },
      ],
    });
    const earlier = record({ submitter: world.osakaSupporter, submittedAt: '2025-06-01T00:00:00.000Z' });
    const decided = record({ status: 'approved' });
    ctx.db.update(cases).set({ aliasEnc: 'v1:CIPHERTEXT-MARKER', contactEnc: 'v1:CONTACT-MARKER' }).where(eq(cases.id, later.caseId)).run();
    const client = await signedIn(ctx.app, world.coordinator);
    const response = await client.get('/review');
    expect(response.statusCode).toBe(200);
    const body = response.body;
    expect(body.indexOf(`id="d-${earlier.id}"`)).toBeGreaterThan(0);
    expect(body.indexOf(`id="d-${earlier.id}"`)).toBeLessThan(body.indexOf(`id="d-${later.id}"`));
    expect(body).not.toContain(`id="d-${decided.id}"`);
    expect(body).toContain(later.caseCode);
    expect(body).toContain('シェルター・住居費');
    expect(body).toContain('¥30,000');
    expect(body).toContain('¥42,000');
    expect(body).toContain('Tokyo group');
    expect(body).toContain('Tokyo Supporter');
    expect(body).toContain('3人');
    expect(body).not.toContain('MARKER');
    expect(body).toContain(`action="/disbursements/${later.id}/approve"`);
    expect(body).toContain(`action="/disbursements/${later.id}/reject"`);
    expect(body).not.toContain(`action="/disbursements/${later.id}/withdraw"`);
  });

  it("offers no decision on the coordinator's own submissions", async () => {
    const own = record({ submitter: world.coordinator });
    const client = await signedIn(ctx.app, world.coordinator);
    const body = (await client.get('/review')).body;
    expect(body).toContain(`id="d-${own.id}"`);
    expect(body).not.toContain(`/disbursements/${own.id}/approve`);
    expect(body).toContain('あなたが登録した記録です');
    const admin = await signedIn(ctx.app, world.admin);
    expect((await admin.get('/review')).body).toContain(`/disbursements/${own.id}/approve`);
  });

  it('filters by organization, fund and category', async () => {
    const fund = ctx.db.insert(funds).values({ name: '2025 Winter campaign' }).returning().get();
    const tokyoFood = record();
    const osakaMedical = record({ submitter: world.osakaSupporter, lines: [{ category: 'medical', amount: 5000 }], fundId: fund.id });
    const client = await signedIn(ctx.app, world.coordinator);
    const has = async (url: string) => {
      const body = (await client.get(url)).body;
      return [tokyoFood, osakaMedical].filter((d) => body.includes(`id="d-${d.id}"`)).map((d) => d.id);
    };
    expect(await has('/review')).toEqual([tokyoFood.id, osakaMedical.id]);
    expect(await has(`/review?org=${world.osaka.id}`)).toEqual([osakaMedical.id]);
    expect(await has(`/review?fund=${fund.id}`)).toEqual([osakaMedical.id]);
    expect(await has('/review?category=food')).toEqual([tokyoFood.id]);
    expect(await has('/review?org=&fund=&category=')).toEqual([tokyoFood.id, osakaMedical.id]);
    expect(await has(`/review?org=${world.tokyo.id}&category=medical`)).toEqual([]);
  });

  it('answers 400 to a malformed query', async () => {
    const client = await signedIn(ctx.app, world.coordinator);
    for (const query of ['org=abc', 'fund=-1', 'category=DROP%20TABLE', 'page=0', 'page=1e3', 'org=1&org=2', 'category=%E9%A3%9F', 'org=99999999999']) {
      expect({ query, status: (await client.get(`/review?${query}`)).statusCode }).toEqual({ query, status: 400 });
    }
  });

  it('pages by 50', async () => {
    for (let i = 0; i < 51; i += 1) record({ submittedAt: `2025-06-01T00:00:${String(i).padStart(2, '0')}.000Z` });
    const client = await signedIn(ctx.app, world.coordinator);
    const first = (await client.get('/review')).body;
    expect(first.match(/class="review-item"/g)).toHaveLength(50);
    expect(first).toContain('確認待ちの支給記録: 51件');
    expect(first).toContain('href="/review?page=2"');
    const second = (await client.get('/review?page=2')).body;
    expect(second.match(/class="review-item"/g)).toHaveLength(1);
  });
});
