import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import sharp from 'sharp';
import { PDFDocument } from 'pdf-lib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditEvents, disbursements, receipts, rejectionReasons } from '../../db/schema.js';
import { attachReceipts, prepareReceipt, storeReceipts } from '../../server/domain/receipts.js';
import { ja } from '../../server/i18n/ja.js';
import { signedIn } from '../helpers/client.js';
import { openReviewQueue, type ReviewQueue } from '../helpers/review-queue.js';
import { actorOf } from '../security/world.js';

let ctx: ReviewQueue['ctx'];
let world: ReviewQueue['world'];
let coordinator: ReviewQueue['coordinator'];
let pending: ReviewQueue['pending'];
beforeEach(async () => {
  ({ ctx, world, coordinator, pending } = await openReviewQueue());
});
afterEach(async () => ctx.close());

/** A photo with EXIF (camera make, GPS-like comment) to prove the thumbnail carries none. */
const photo = () =>
  sharp({ create: { width: 600, height: 400, channels: 3, background: '#88aacc' } })
    .withExif({ IFD0: { Make: 'SecretCam', ImageDescription: 'at the shelter' } })
    .jpeg()
    .toBuffer();

async function attach(d: { id: number }, bytes: Buffer) {
  const stored = await storeReceipts(ctx.dataDir, [await prepareReceipt(bytes)]);
  attachReceipts(ctx.db, actorOf(ctx.db, world.tokyoSupporter.id), d.id, stored, ctx.clock.now());
  return ctx.db.select().from(receipts).where(eq(receipts.disbursementId, d.id)).get()!;
}

const idsOn = (body: string) => [...body.matchAll(/<li class="review-item" id="d-([0-9]+)">/g)].map((m) => Number(m[1]));

describe('GET /review filters and sort', () => {
  it('narrows by date range, amount range, submitter and receipt, and sorts by amount, date and age', async () => {
    const a = pending({ paidOn: '2025-05-01', amount: 3_000, submittedAt: '2025-06-03T00:00:00.000Z' });
    const b = pending({ paidOn: '2025-05-20', amount: 80_000, submittedAt: '2025-06-01T00:00:00.000Z', submitter: world.osakaSupporter });
    const c = pending({ paidOn: '2025-06-10', amount: 12_000, submittedAt: '2025-06-02T00:00:00.000Z' });
    await attach(c, await photo());
    expect(idsOn((await coordinator.get('/review')).body)).toEqual([b.id, c.id, a.id]);
    expect(idsOn((await coordinator.get('/review?sort=amount')).body)).toEqual([b.id, c.id, a.id]);
    expect(idsOn((await coordinator.get('/review?sort=amount_asc')).body)).toEqual([a.id, c.id, b.id]);
    expect(idsOn((await coordinator.get('/review?sort=date')).body)).toEqual([c.id, b.id, a.id]);
    expect(idsOn((await coordinator.get('/review?sort=newest')).body)).toEqual([a.id, c.id, b.id]);
    expect(idsOn((await coordinator.get('/review?from=2025-05-10&to=2025-05-31')).body)).toEqual([b.id]);
    expect(idsOn((await coordinator.get('/review?min=10%2C000&max=%C2%A550%2C000')).body)).toEqual([c.id]);
    expect(idsOn((await coordinator.get(`/review?submitter=${world.osakaSupporter.id}`)).body)).toEqual([b.id]);
    expect(idsOn((await coordinator.get('/review?receipt=yes')).body)).toEqual([c.id]);
    expect(idsOn((await coordinator.get('/review?receipt=no')).body)).toEqual([b.id, a.id]);
    const filtered = (await coordinator.get('/review?receipt=no&sort=amount')).body;
    expect(filtered).toContain('条件に合う確認待ち: 2件');
    // The case link carries the filter so the record page can offer approve-and-next.
    expect(filtered).toContain(`href="/disbursements/${b.id}?queue=receipt%3Dno%26sort%3Damount"`);
  });

  it('answers 400 to malformed filter values', async () => {
    for (const q of ['from=2025-02-30', 'min=abc', 'max=-5', 'receipt=maybe', 'sort=random', 'submitter=x']) {
      expect((await coordinator.get(`/review?${q}`)).statusCode, q).toBe(400);
    }
  });

  it('reaches the first action within three Tabs of the list heading, through a skip link', async () => {
    pending();
    const body = (await coordinator.get('/review')).body;
    expect(body).toContain('<a class="skip-inline" href="#queue-heading">');
    const afterHeading = body.slice(body.indexOf('id="queue-heading"'));
    const focusable = [...afterHeading.matchAll(/<(a [^>]*href|button|select|textarea|summary|input(?![^>]*type="hidden"))[^>]*>/g)].map((m) => m[0]);
    const firstAction = focusable.findIndex((tag) => /type="checkbox"|<button/.test(tag));
    expect(firstAction).toBeGreaterThanOrEqual(0);
    expect(firstAction + 1).toBeLessThanOrEqual(3);
  });
});

describe('receipt thumbnails', () => {
  it('are made once, without metadata, cached under DATA_DIR, and served only through the receipt scope', async () => {
    const d = pending();
    const receipt = await attach(d, await photo());
    const body = (await coordinator.get('/review')).body;
    expect(body).toContain(`<img src="/receipts/${receipt.id}/thumb"`);
    expect(body).toContain(`<a class="receipt-thumb" href="/receipts/${receipt.id}">`);

    const response = await coordinator.get(`/receipts/${receipt.id}/thumb`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('image/jpeg');
    const meta = await sharp(response.rawPayload).metadata();
    expect(Math.max(meta.width, meta.height)).toBeLessThanOrEqual(192);
    expect(meta.exif).toBeUndefined();
    expect(response.rawPayload.includes(Buffer.from('SecretCam'))).toBe(false);
    expect(readdirSync(path.join(ctx.dataDir, 'thumbs'))).toHaveLength(1);
    // Served from the cache the second time: the same bytes.
    expect((await coordinator.get(`/receipts/${receipt.id}/thumb`)).rawPayload.equals(response.rawPayload)).toBe(true);

    const osaka = await signedIn(ctx.app, world.osakaSupporter);
    expect((await osaka.get(`/receipts/${receipt.id}/thumb`)).statusCode).toBe(404);
    const owner = await signedIn(ctx.app, world.tokyoSupporter);
    expect((await owner.get(`/receipts/${receipt.id}/thumb`)).statusCode).toBe(200);
  });

  it('a PDF receipt gets a link, not a thumbnail', async () => {
    const d = pending();
    const doc = await PDFDocument.create();
    doc.addPage([200, 200]);
    const pdf = Buffer.from(await doc.save());
    const receipt = await attach(d, pdf);
    expect((await coordinator.get('/review')).body).not.toContain(`/receipts/${receipt.id}/thumb`);
    expect((await coordinator.get(`/receipts/${receipt.id}/thumb`)).statusCode).toBe(404);
    expect(existsSync(path.join(ctx.dataDir, 'thumbs'))).toBe(false);
  });
});

describe('preset rejection reasons', () => {
  const reasonOf = (id: number) => ctx.db.select().from(disbursements).where(eq(disbursements.id, id)).get()!.rejectReason;

  it('a preset and free text become one reason; either alone is enough; neither is 422', async () => {
    const [preset] = ctx.db.select().from(rejectionReasons).all();
    const a = pending();
    expect(
      (await coordinator.post(`/disbursements/${a.id}/reject`, { version: '1', preset: String(preset!.id), reason: '3枚目が不鮮明です。' })).statusCode,
    ).toBe(303);
    expect(reasonOf(a.id)).toBe(`${preset!.text}\n3枚目が不鮮明です。`);
    const b = pending();
    expect((await coordinator.post(`/disbursements/${b.id}/reject`, { version: '1', preset: String(preset!.id) })).statusCode).toBe(303);
    expect(reasonOf(b.id)).toBe(preset!.text);
    const c = pending();
    const none = await coordinator.post(`/disbursements/${c.id}/reject`, { version: '1', preset: '', reason: ' ' });
    expect(none.statusCode).toBe(422);
    expect(none.body).toContain(ja['validation.required']);
    expect(none.body).toContain(preset!.text);
  });

  it('the admin adds and retires presets (audited); a retired preset is refused with the input kept', async () => {
    const admin = await signedIn(ctx.app, world.admin);
    expect((await admin.post('/admin/rejection-reasons', { text: '' })).statusCode).toBe(422);
    expect((await admin.post('/admin/rejection-reasons', { text: '支給日が未来になっています。' })).statusCode).toBe(303);
    const added = ctx.db.select().from(rejectionReasons).where(eq(rejectionReasons.text, '支給日が未来になっています。')).get()!;
    expect((await admin.post(`/admin/rejection-reasons/${added.id}/retire`)).statusCode).toBe(303);
    const actions = ctx.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entityType, 'rejection_reason'), eq(auditEvents.entityId, String(added.id))))
      .all()
      .map((e) => e.action);
    expect(actions).toEqual(['rejection_reason.created', 'rejection_reason.retired']);
    expect((await admin.get('/admin/rejection-reasons')).body).toContain('支給日が未来になっています。');

    const d = pending();
    expect((await coordinator.get('/review')).body).not.toContain('支給日が未来になっています。');
    const refused = await coordinator.post(`/disbursements/${d.id}/reject`, { version: '1', preset: String(added.id), reason: '確認してください' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('確認してください</textarea>');
    expect(ctx.db.select().from(disbursements).where(eq(disbursements.id, d.id)).get()!.status).toBe('pending');
    expect((await coordinator.get('/admin/rejection-reasons')).statusCode).toBe(403);
  });
});
