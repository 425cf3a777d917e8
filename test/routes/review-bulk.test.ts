import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { disbursements, periodLocks } from '../../db/schema.js';
import { ja } from '../../server/i18n/ja.js';
import { signedIn } from '../helpers/client.js';
import { disbursementEvents, openReviewQueue, type ReviewQueue } from '../helpers/review-queue.js';

let ctx: ReviewQueue['ctx'];
let world: ReviewQueue['world'];
let coordinator: ReviewQueue['coordinator'];
let pending: ReviewQueue['pending'];
beforeEach(async () => {
  ({ ctx, world, coordinator, pending } = await openReviewQueue());
});
afterEach(async () => ctx.close());
const statusOf = (id: number) => ctx.db.select().from(disbursements).where(eq(disbursements.id, id)).get()!.status;
const eventsFor = (id: number) => disbursementEvents(ctx.db, id);

describe('POST /review/approve (「選択したものを承認」)', () => {
  it('puts each ticked record through the single decision and lists what happened to each', async () => {
    const ok1 = pending();
    const ok2 = pending({ submitter: world.osakaSupporter });
    const own = pending({ submitter: world.coordinator });
    const locked = pending({ paidOn: '2024-06-01' });
    const stale = pending();
    ctx.db
      .insert(periodLocks)
      .values({ startsOn: '2024-04-01', endsOn: '2025-03-31', note: 'FY2024', lockedBy: world.admin.id, lockedAt: '2025-05-01T00:00:00.000Z' })
      .run();
    ctx.db.update(disbursements).set({ version: 2 }).where(eq(disbursements.id, stale.id)).run();

    const items = [ok1, ok2, own, locked, stale].map((d) => `${d.id}:1`);
    const response = await coordinator.post('/review/approve', { items, queue: 'sort=amount' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('承認 2件、承認できなかったもの 3件');
    expect(response.body).toContain(ja['workflow.ownSubmission']);
    expect(response.body).toContain('締め');
    expect(response.body).toContain(ja['workflow.stale']);
    expect(response.body).toContain('href="/review?sort=amount"');
    for (const d of [ok1, ok2]) {
      expect(response.body).toContain(`#${d.id}（${d.caseCode}）`);
      expect(statusOf(d.id)).toBe('approved');
      expect(eventsFor(d.id).map((e) => e.action)).toEqual(['disbursement.approved']);
    }
    for (const d of [own, locked, stale]) {
      expect(statusOf(d.id)).toBe('pending');
      expect(eventsFor(d.id)).toHaveLength(0);
    }
  });

  it("answers another group's or a missing record as refused, without saying whose it is", async () => {
    const response = await coordinator.post('/review/approve', { items: ['999999:1'] });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('#999999');
    expect(response.body).toContain(ja['errors.notFound']);
  });

  it('with nothing ticked goes back to the queue with a message; malformed items are 400', async () => {
    const none = await coordinator.post('/review/approve', { queue: 'org=1&sort=age' });
    expect(none.statusCode).toBe(303);
    expect(none.headers.location).toBe('/review?org=1&sort=age');
    expect((await coordinator.get('/review')).body).toContain(ja['review.bulk.noneSelected']);
    expect((await coordinator.post('/review/approve', { items: ['1'] })).statusCode).toBe(400);
    expect((await coordinator.post('/review/approve', { items: Array.from({ length: 101 }, (_, i) => `${i + 1}:1`) })).statusCode).toBe(400);
  });

  it('is refused to supporters and auditors before anything is written', async () => {
    const d = pending();
    for (const user of [world.tokyoSupporter, world.auditor]) {
      const client = await signedIn(ctx.app, user);
      expect((await client.post('/review/approve', { items: [`${d.id}:1`] })).statusCode).toBe(403);
    }
    expect(statusOf(d.id)).toBe('pending');
  });

  it('five approvals take three page loads: queue, bulk answer, queue', async () => {
    const five = Array.from({ length: 5 }, () => pending());
    const queue = await coordinator.get('/review');
    const boxes = [...queue.body.matchAll(/name="items" value="([0-9]+:[0-9]+)"/g)].map((m) => m[1]!);
    expect(boxes).toHaveLength(5);
    const answer = await coordinator.post('/review/approve', { items: boxes, queue: 'sort=age' });
    expect(answer.statusCode).toBe(200);
    expect(five.map((d) => statusOf(d.id))).toEqual(Array(5).fill('approved'));
    expect((await coordinator.get('/review?sort=age')).body).toContain(ja['review.empty']);
  });
});

describe('approve-and-next', () => {
  it('after a decision opens the next pending record of the same filter, then the queue when none is left', async () => {
    const small = pending({ amount: 5_000, submittedAt: '2025-06-01T00:00:00.000Z' });
    const big = pending({ amount: 50_000, submittedAt: '2025-06-02T00:00:00.000Z' });
    const other = pending({ submitter: world.osakaSupporter, amount: 90_000 });
    const queue = `org=${world.tokyo.id}&sort=amount`;
    const page = await coordinator.get(`/disbursements/${big.id}?queue=${encodeURIComponent(queue)}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(ja['review.approveAndNext']);
    expect(page.body).toContain(`name="queue" value="${queue.replace('&', '&amp;')}"`);

    const first = await coordinator.post(`/disbursements/${big.id}/approve`, { version: '1', queue, then: 'next' });
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe(`/disbursements/${small.id}?queue=${encodeURIComponent(queue)}`);
    const second = await coordinator.post(`/disbursements/${small.id}/reject`, { version: '1', reason: '重複', queue, then: 'next' });
    expect(second.headers.location).toBe(`/review?${queue}`);
    expect((await coordinator.get(second.headers.location as string)).body).toContain(ja['review.flash.queueDone']);
    expect(statusOf(other.id)).toBe('pending');
  });

  it('skips records this coordinator may not decide (their own)', async () => {
    const own = pending({ submitter: world.coordinator, submittedAt: '2025-06-01T00:00:00.000Z' });
    const a = pending({ submittedAt: '2025-06-02T00:00:00.000Z' });
    const b = pending({ submittedAt: '2025-06-03T00:00:00.000Z' });
    const response = await coordinator.post(`/disbursements/${a.id}/approve`, { version: '1', queue: 'sort=age', then: 'next' });
    expect(response.headers.location).toBe(`/disbursements/${b.id}?queue=sort%3Dage`);
    expect(statusOf(own.id)).toBe('pending');
  });

  it('from the queue itself, a decision returns to the queue with its filter', async () => {
    const d = pending();
    const response = await coordinator.post(`/disbursements/${d.id}/approve`, { version: '1', queue: 'receipt=no&sort=age', then: 'queue' });
    expect(response.headers.location).toBe('/review?receipt=no&sort=age');
  });

  it('a malformed queue value is 400 and decides nothing', async () => {
    const d = pending();
    expect((await coordinator.post(`/disbursements/${d.id}/approve`, { version: '1', queue: 'sort=sideways' })).statusCode).toBe(400);
    expect((await coordinator.get(`/disbursements/${d.id}?queue=min%3Dabc`)).statusCode).toBe(400);
    expect(statusOf(d.id)).toBe('pending');
  });
});
