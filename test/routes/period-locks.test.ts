import { and, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditEvents, disbursements, periodLocks } from '../../db/schema.js';
import { newFormKey } from '../../server/domain/idempotency.js';
import { listActiveLocks } from '../../server/domain/period-locks.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn, type TestClient } from '../helpers/client.js';
import { makeWorld } from '../helpers/factories.js';
import { defaultFundId, makeCase, makeDisbursement } from '../helpers/money-factories.js';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof makeWorld>>;
let admin: TestClient;
beforeEach(async () => {
  ctx = await buildTestApp();
  world = await makeWorld(ctx.db);
  admin = await signedIn(ctx.app, world.admin);
});
afterEach(async () => ctx.close());

const FY2024 = { startsOn: '2024-04-01', endsOn: '2025-03-31', note: '2024年度 報告書公開済み' };
const locks = () => ctx.db.select().from(periodLocks).all();
const lockEvents = () => ctx.db.select().from(auditEvents).where(eq(auditEvents.entityType, 'period_lock')).all();

describe('/admin/period-locks', () => {
  it('is for admins only', async () => {
    for (const user of [world.coordinator, world.auditor, world.tokyoSupporter]) {
      const client = await signedIn(ctx.app, user);
      expect((await client.get('/admin/period-locks')).statusCode).toBe(403);
      expect((await client.post('/admin/period-locks', FY2024)).statusCode).toBe(403);
    }
    const [lock] = ctx.db
      .insert(periodLocks)
      .values({ ...FY2024, lockedBy: world.admin.id, lockedAt: '2025-05-01T00:00:00.000Z' })
      .returning()
      .all();
    const coordinator = await signedIn(ctx.app, world.coordinator);
    expect((await coordinator.post(`/admin/period-locks/${lock!.id}/unlock`, { reason: 'x' })).statusCode).toBe(403);
    expect(locks()).toHaveLength(1);
    expect(locks()[0]!.unlockedAt).toBeNull();
    expect(lockEvents()).toHaveLength(0);
  });

  it('locks a period with a note: 303, the row, the audit event, the list', async () => {
    const response = await admin.post('/admin/period-locks', FY2024);
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/admin/period-locks');
    expect(locks()).toEqual([expect.objectContaining({ ...FY2024, lockedBy: world.admin.id, lockedAt: '2025-06-15T03:00:00.000Z', unlockedAt: null })]);
    const [event] = lockEvents();
    expect(event).toMatchObject({ action: 'period_lock.created', actorUserId: world.admin.id, entityId: String(locks()[0]!.id) });
    expect(JSON.parse(event!.after!)).toEqual(FY2024);
    const page = await admin.get('/admin/period-locks');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('期間を締めました。');
    expect(page.body).toContain('2024年4月1日〜2025年3月31日');
    expect(page.body).toContain('2024年度 報告書公開済み');
    expect(listActiveLocks(ctx.db).map((l) => l.startsOn)).toEqual(['2024-04-01']);
  });

  const refused: [string, Record<string, string>, string, string][] = [
    ['missing fields', { startsOn: '', endsOn: '', note: '' }, 'startsOn', '入力してください。'],
    ['an impossible date', { ...FY2024, endsOn: '2025-02-30' }, 'endsOn', '実在する日付'],
    ['a malformed date', { ...FY2024, startsOn: '2024/04/01' }, 'startsOn', '実在する日付'],
    ['an end before the start', { ...FY2024, startsOn: '2025-04-01', endsOn: '2025-03-31' }, 'endsOn', '終了日は開始日と同じか'],
    ['a period not yet ended', { ...FY2024, startsOn: '2025-04-01', endsOn: '2026-03-31' }, 'endsOn', 'まだ終わっていない期間'],
    ['a date before 2000', { ...FY2024, startsOn: '1999-12-31' }, 'startsOn', '2000-01-01 以降'],
    ['a note too long', { ...FY2024, note: 'あ'.repeat(501) }, 'note', '500文字以内'],
  ];
  for (const [name, form, field, message] of refused) {
    it(`refuses ${name} with 422, the message beside the field and the input kept`, async () => {
      const response = await admin.post('/admin/period-locks', form);
      expect(response.statusCode).toBe(422);
      expect(response.body).toMatch(new RegExp(`<p class="error" id="f-${field}-error">[^<]*${message}`));
      for (const value of Object.values(form)) if (value) expect(response.body).toContain(`value="${value}"`);
      expect(locks()).toHaveLength(0);
      expect(lockEvents()).toHaveLength(0);
    });
  }

  it('refuses a range overlapping an active lock, naming it; an adjacent range is fine', async () => {
    await admin.post('/admin/period-locks', FY2024);
    const overlap = await admin.post('/admin/period-locks', { startsOn: '2025-03-01', endsOn: '2025-04-30', note: '3-4月' });
    expect(overlap.statusCode).toBe(422);
    expect(overlap.body).toContain('締め中の期間 2024年4月1日〜2025年3月31日（2024年度 報告書公開済み）と重なっています。');
    expect(locks()).toHaveLength(1);
    expect((await admin.post('/admin/period-locks', { startsOn: '2025-04-01', endsOn: '2025-04-30', note: '4月' })).statusCode).toBe(303);
    expect(locks()).toHaveLength(2);
  });

  it('unlocking needs a reason; it is kept in the history and the audit trail', async () => {
    await admin.post('/admin/period-locks', FY2024);
    const id = locks()[0]!.id;
    const blank = await admin.post(`/admin/period-locks/${id}/unlock`, { reason: '  ' });
    expect(blank.statusCode).toBe(422);
    expect(blank.body).toMatch(new RegExp(`<p class="error" id="f-reason-${id}-error">入力してください。</p>`));
    expect(locks()[0]!.unlockedAt).toBeNull();
    ctx.clock.advance(3_600_000);
    const response = await admin.post(`/admin/period-locks/${id}/unlock`, { reason: '寄付者への報告に誤りがあり修正のため' });
    expect(response.statusCode).toBe(303);
    expect(locks()[0]).toMatchObject({
      unlockedBy: world.admin.id,
      unlockedAt: '2025-06-15T04:00:00.000Z',
      unlockReason: '寄付者への報告に誤りがあり修正のため',
    });
    expect(lockEvents().map((e) => e.action)).toEqual(['period_lock.created', 'period_lock.unlocked']);
    expect(JSON.parse(lockEvents()[1]!.after!)).toEqual({ active: false, reason: '寄付者への報告に誤りがあり修正のため' });
    const page = (await admin.get('/admin/period-locks')).body;
    expect(page).toContain('締めている期間はありません。');
    expect(page).toContain('寄付者への報告に誤りがあり修正のため');
    expect(listActiveLocks(ctx.db)).toEqual([]);
    // once only; unknown and malformed ids are 404
    expect((await admin.post(`/admin/period-locks/${id}/unlock`, { reason: 'again' })).statusCode).toBe(409);
    expect((await admin.post('/admin/period-locks/999/unlock', { reason: 'x' })).statusCode).toBe(404);
    expect((await admin.post('/admin/period-locks/x/unlock', { reason: 'x' })).statusCode).toBe(404);
    expect(lockEvents()).toHaveLength(2);
  });
});

describe('a record dated in a locked period', () => {
  it('shows no actions on its page, only a note saying why', async () => {
    const theCase = makeCase(ctx.db, { organizationId: world.tokyo.id, createdBy: world.tokyoSupporter.id });
    const inside = makeDisbursement(ctx.db, { caseId: theCase.id, submittedBy: world.tokyoSupporter.id, paidOn: '2024-10-01' });
    const coordinator = await signedIn(ctx.app, world.coordinator);
    const before = await coordinator.get(`/disbursements/${inside.id}`);
    expect(before.body).toContain(`action="/disbursements/${inside.id}/approve"`);
    ctx.db
      .insert(periodLocks)
      .values({ ...FY2024, lockedBy: world.admin.id, lockedAt: '2025-05-01T00:00:00.000Z' })
      .run();
    const after = await coordinator.get(`/disbursements/${inside.id}`);
    expect(after.body).not.toContain(`action="/disbursements/${inside.id}/approve"`);
    expect(after.body).toContain('締め済みの期間に入っているため');
  });
});

describe('a lock refuses each of the five actions inside its range and allows them outside', () => {
  let supporter: TestClient;
  let coordinator: TestClient;
  let caseId: number;
  beforeEach(async () => {
    expect((await admin.post('/admin/period-locks', FY2024)).statusCode).toBe(303);
    supporter = await signedIn(ctx.app, world.tokyoSupporter);
    coordinator = await signedIn(ctx.app, world.coordinator);
    caseId = makeCase(ctx.db, { organizationId: world.tokyo.id, createdBy: world.tokyoSupporter.id, householdSize: 2 }).id;
  });
  const form = (paidOn: string, extra: Record<string, string> = {}) => ({
    caseId: String(caseId),
    paidOn,
    fundId: String(defaultFundId(ctx.db)),
    method: 'cash',
    peopleCovered: '2',
    payee: '',
    note: '',
    lines: [{ category: 'food', amount: '12,000' }],
    idempotencyKey: newFormKey(),
    ...extra,
  });
  const existing = (paidOn: string, status: 'pending' | 'approved' = 'pending') =>
    makeDisbursement(ctx.db, { caseId, submittedBy: world.tokyoSupporter.id, paidOn, status, decidedBy: world.admin.id });
  const count = () => ctx.db.select().from(disbursements).all().length;
  const statusOf = (id: number) => ctx.db.select().from(disbursements).where(eq(disbursements.id, id)).get()!;
  const lockMessage = '2024年4月1日〜2025年3月31日 は締め済みの期間です（2024年度 報告書公開済み）';

  it('create', async () => {
    const inside = await supporter.post('/disbursements', form('2025-03-31'));
    expect(inside.statusCode).toBe(422);
    expect(inside.body).toContain(lockMessage);
    expect(count()).toBe(0);
    const outside = await supporter.post('/disbursements', form('2025-04-01'));
    expect(outside.statusCode).toBe(303);
    expect(count()).toBe(1);
  });

  it('edit', async () => {
    const inside = existing('2024-04-01');
    const response = await supporter.post(`/disbursements/${inside.id}`, form('2024-04-02', { version: '1' }));
    expect(response.statusCode).toBe(409);
    expect(response.body).toContain(lockMessage);
    expect(statusOf(inside.id)).toMatchObject({ paidOn: '2024-04-01', version: 1 });
    // moving a record into the locked range is refused as well
    const outside = existing('2025-05-01');
    expect((await supporter.post(`/disbursements/${outside.id}`, form('2025-03-01', { version: '1' }))).statusCode).toBe(422);
    expect(statusOf(outside.id).paidOn).toBe('2025-05-01');
    const ok = await supporter.post(`/disbursements/${outside.id}`, form('2025-05-02', { version: '1' }));
    expect(ok.statusCode).toBe(303);
    expect(statusOf(outside.id)).toMatchObject({ paidOn: '2025-05-02', version: 2 });
  });

  for (const action of ['approve', 'reject', 'void'] as const) {
    it(action, async () => {
      const status = action === 'void' ? 'approved' : 'pending';
      const inside = existing('2024-10-10', status);
      const outside = existing('2025-04-01', status);
      const body = { version: '1', reason: '理由' };
      const refused = await coordinator.post(`/disbursements/${inside.id}/${action}`, body);
      expect(refused.statusCode).toBe(409);
      expect(refused.body).toContain(lockMessage);
      expect(statusOf(inside.id).status).toBe(status);
      expect((await coordinator.post(`/disbursements/${outside.id}/${action}`, body)).statusCode).toBe(303);
      expect(statusOf(outside.id).status).toBe({ approve: 'approved', reject: 'rejected', void: 'voided' }[action]);
      const events = ctx.db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.entityType, 'disbursement')))
        .all();
      expect(events.map((e) => e.entityId)).toEqual([String(outside.id)]);
    });
  }

  it('and after unlocking, the same action goes through', async () => {
    const inside = existing('2024-10-10');
    expect((await coordinator.post(`/disbursements/${inside.id}/approve`, { version: '1' })).statusCode).toBe(409);
    const id = locks()[0]!.id;
    expect((await admin.post(`/admin/period-locks/${id}/unlock`, { reason: '承認漏れの処理' })).statusCode).toBe(303);
    expect((await coordinator.post(`/disbursements/${inside.id}/approve`, { version: '1' })).statusCode).toBe(303);
  });
});
