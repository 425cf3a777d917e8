import { readFileSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { receipts } from '../../db/schema.js';
import { newFormKey } from '../../server/domain/idempotency.js';
import { createHeicConverter } from '../../server/domain/heic-pool.js';
import { heicConverter, replaceHeicConverter } from '../../server/domain/heic.js';
import { prepareReceipt } from '../../server/domain/receipts.js';
import { InvalidInput } from '../../server/domain/errors.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn, type TestClient } from '../helpers/client.js';
import { makeWorld } from '../helpers/factories.js';
import { defaultFundId, makeCase } from '../helpers/money-factories.js';
import { postMultipart } from '../helpers/multipart.js';

/** 64×48 HEVC-coded HEIC made once with heif-enc from a JPEG carrying GPS and a camera make. */
const heic = readFileSync(path.join(import.meta.dirname, '../fixtures/receipt-gps.heic'));
let ctx: TestContext;
let tokyo: TestClient;
let caseId: number;

beforeEach(async () => {
  ctx = await buildTestApp();
  const world = await makeWorld(ctx.db);
  caseId = makeCase(ctx.db, { organizationId: world.tokyo.id, createdBy: world.tokyoSupporter.id, householdSize: 2 }).id;
  tokyo = await signedIn(ctx.app, world.tokyoSupporter);
});
afterEach(async () => ctx.close());

const fields = () => ({
  caseId: String(caseId),
  idempotencyKey: newFormKey(),
  paidOn: '2025-06-10',
  fundId: String(defaultFundId(ctx.db)),
  method: 'cash',
  peopleCovered: '2',
  'lines[0][category]': 'food',
  'lines[0][amount]': '3000',
});

describe('iPhone photos (HEIC/HEIF)', () => {
  it('the fixture really is HEIC with the metadata a phone writes', () => {
    expect(heic.subarray(4, 12).toString('latin1')).toBe('ftypheic');
    expect(heic.includes(Buffer.from('PhoneCam'))).toBe(true);
  });

  it('are converted to JPEG with their metadata stripped', async () => {
    const prepared = await prepareReceipt(heic);
    expect(prepared.mediaType).toBe('image/jpeg');
    const meta = await sharp(prepared.bytes).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 64, 48]);
    expect(meta.exif).toBeUndefined();
    expect(prepared.bytes.includes(Buffer.from('PhoneCam'))).toBe(false);
    // The picture survives: the top-left quarter was blue, the rest orange.
    const { data } = await sharp(prepared.bytes).raw().toBuffer({ resolveWithObject: true });
    const [r, , b] = [data[0]!, data[1]!, data[2]!];
    expect(b).toBeGreaterThan(r);
  });

  it('are converted on the HEIC worker thread, not the request thread', async () => {
    const before = heicConverter().stats().done;
    await prepareReceipt(heic);
    const stats = heicConverter().stats();
    expect(stats.done).toBe(before + 1);
    expect(stats.lastThreadId).not.toBe(threadId);
  });

  it('a full conversion queue answers 503 with a translated message, and stores nothing', async () => {
    const previous = replaceHeicConverter(createHeicConverter(0));
    try {
      const response = await postMultipart(ctx.app, tokyo, '/disbursements', fields(), [
        { name: 'receipt', filename: 'IMG_0002.HEIC', contentType: 'image/heic', data: heic },
      ]);
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('30');
      expect(response.body).toContain('いまiPhoneの写真（HEIC）の変換が混み合っています');
      expect(ctx.db.select().from(receipts).all()).toEqual([]);
    } finally {
      await replaceHeicConverter(previous ?? createHeicConverter())?.close();
    }
  });

  it('are refused for too many pixels from the header alone, before any conversion is queued', async () => {
    // 6600×6200 (41 MP) of one colour: 10 kB on disk, 160 MB decoded.
    const big = readFileSync(path.join(import.meta.dirname, '../fixtures/receipt-41mp.heic'));
    const bounded = createHeicConverter(0);
    const previous = replaceHeicConverter(bounded);
    try {
      const refused = await prepareReceipt(big).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(InvalidInput);
      expect((refused as InvalidInput).fieldErrors).toEqual({ receipt: 'receipts.tooManyPixels' });
      expect(bounded.stats()).toEqual({ done: 0, waiting: 0, lastThreadId: null });
    } finally {
      await replaceHeicConverter(previous ?? createHeicConverter())?.close();
    }
  });

  it('are attached from the form as JPEG receipts', async () => {
    const response = await postMultipart(ctx.app, tokyo, '/disbursements', fields(), [
      { name: 'receipt', filename: 'IMG_0001.HEIC', contentType: 'image/heic', data: heic },
    ]);
    expect(response.statusCode).toBe(303);
    const rows = ctx.db.select().from(receipts).all();
    expect(rows.map((r) => [r.mediaType, r.storageName.endsWith('.jpg')])).toEqual([['image/jpeg', true]]);
  });

  it('the form offers the camera and the file picker, accepting HEIC and PDF', async () => {
    const page = await tokyo.get(`/disbursements/new?case=${caseId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/<input id="f-receipt-camera" name="receipt" type="file" accept="image\/\*" capture="environment">/);
    const accept = /<input id="f-receipt" name="receipt" type="file" multiple accept="([^"]+)">/.exec(page.body)?.[1]?.split(',');
    expect(accept).toEqual(expect.arrayContaining(['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'image/heif', 'application/pdf']));
  });
});
