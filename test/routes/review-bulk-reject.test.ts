import { and, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditEvents, disbursements, rejectionReasons } from '../../db/schema.js';
import { ja } from '../../server/i18n/ja.js';
import { signedIn } from '../helpers/client.js';
import { openReviewQueue, type ReviewQueue } from '../helpers/review-queue.js';

let ctx: ReviewQueue['ctx'];
let world: ReviewQueue['world'];
let coordinator: ReviewQueue['coordinator'];
let pending: ReviewQueue['pending'];
beforeEach(async () => {
  ({ ctx, world, coordinator, pending } = await openReviewQueue());
});
afterEach(async () => ctx.close());

const rowOf = (id: number) => ctx.db.select().from(disbursements).where(eq(disbursements.id, id)).get()!;
const rejections = (id: number) =>
  ctx.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, 'disbursement.rejected'), eq(auditEvents.entityId, String(id))))
    .all();
const firstPreset = () => ctx.db.select().from(rejectionReasons).where(eq(rejectionReasons.isActive, true)).all()[0]!;

describe('POST /review/reject (「選択したものを却下」)', () => {
  it('is offered beside bulk approval on the queue', async () => {
    pending();
    const page = (await coordinator.get('/review')).body;
    expect(page).toContain('formaction="/review/reject"');
    expect(page).toContain(ja['bulkReject.submit']);
  });

  it('rejects each ticked record through the single decision with one reason, and lists what happened to each', async () => {
    const a = pending();
    const b = pending({ submitter: world.osakaSupporter });
    const own = pending({ submitter: world.coordinator });
    const stale = pending();
    ctx.db.update(disbursements).set({ version: 2 }).where(eq(disbursements.id, stale.id)).run();
    const preset = firstPreset();

    const response = await coordinator.post('/review/reject', {
      items: [a, b, own, stale].map((d) => `${d.id}:1`),
      preset: String(preset.id),
      reason: '領収書を添付してください',
      queue: 'sort=amount',
    });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('却下 2件、却下できなかったもの 2件');
    expect(response.body).toContain(ja['workflow.ownSubmission']);
    expect(response.body).toContain(ja['workflow.stale']);
    expect(response.body).toContain('href="/review?sort=amount"');
    for (const d of [a, b]) {
      expect(response.body).toContain(`#${d.id}（${d.caseCode}）`);
      expect(rowOf(d.id)).toMatchObject({ status: 'rejected', rejectReason: `${preset.text}\n領収書を添付してください`, decidedBy: world.coordinator.id });
      expect(rejections(d.id)).toHaveLength(1);
    }
    for (const d of [own, stale]) {
      expect(rowOf(d.id).status).toBe('pending');
      expect(rejections(d.id)).toHaveLength(0);
    }
  });

  it('rejects nothing without a reason, with a retired preset, or with nothing ticked', async () => {
    const d = pending();
    const noReason = await coordinator.post('/review/reject', { items: [`${d.id}:1`], reason: '  ', queue: 'sort=age' });
    expect(noReason.statusCode).toBe(303);
    expect(noReason.headers.location).toBe('/review?sort=age');
    expect((await coordinator.get('/review')).body).toContain(ja['bulkReject.noReason']);

    const preset = firstPreset();
    ctx.db.update(rejectionReasons).set({ isActive: false }).where(eq(rejectionReasons.id, preset.id)).run();
    expect((await coordinator.post('/review/reject', { items: [`${d.id}:1`], preset: String(preset.id) })).statusCode).toBe(303);
    expect((await coordinator.get('/review')).body).toContain(ja['bulkReject.badPreset']);

    expect((await coordinator.post('/review/reject', { reason: '重複' })).statusCode).toBe(303);
    expect((await coordinator.get('/review')).body).toContain(ja['bulkReject.noneSelected']);
    expect(rowOf(d.id).status).toBe('pending');
    expect(rejections(d.id)).toHaveLength(0);

    expect((await coordinator.post('/review/reject', { items: ['x'], reason: '重複' })).statusCode).toBe(400);
    expect((await coordinator.post('/review/reject', { items: [`${d.id}:1`], reason: 'x'.repeat(1001) })).statusCode).toBe(400);
    expect(rowOf(d.id).status).toBe('pending');
  });

  it('is refused to supporters and auditors before anything is written', async () => {
    const d = pending();
    for (const user of [world.tokyoSupporter, world.auditor]) {
      const client = await signedIn(ctx.app, user);
      expect((await client.post('/review/reject', { items: [`${d.id}:1`], reason: '重複' })).statusCode).toBe(403);
    }
    expect(rowOf(d.id).status).toBe('pending');
  });
});
