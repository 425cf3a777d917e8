import { readFileSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { disbursements, receipts } from '../../db/schema.js';
import { newFormKey } from '../../server/domain/idempotency.js';
import { createHeicConverter } from '../../server/domain/heic-pool.js';
import { heicConverter, replaceHeicConverter } from '../../server/domain/heic.js';
import { prepareReceipt } from '../../server/domain/receipts.js';
import { Busy, InvalidInput } from '../../server/domain/errors.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn, type TestClient } from '../helpers/client.js';
import { makeWorld } from '../helpers/factories.js';
import { defaultFundId, makeCase, makeDisbursement } from '../helpers/money-factories.js';
import { postMultipart } from '../helpers/multipart.js';

/** 64×48 HEVC-coded HEIC made once with heif-enc from a JPEG carrying GPS and a camera make. */
const heic = readFileSync(path.join(import.meta.dirname, '../fixtures/receipt-gps.heic'));
let ctx: TestContext;
let tokyo: TestClient;
let caseId: number;
let supporterId: number;

beforeEach(async () => {
  ctx = await buildTestApp();
  const world = await makeWorld(ctx.db);
  caseId = makeCase(ctx.db, { organizationId: world.tokyo.id, createdBy: world.tokyoSupporter.id, householdSize: 2 }).id;
  supporterId = world.tokyoSupporter.id;
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

  it('a full conversion queue re-renders the form (422) with what was typed, the message at the receipt field, storing nothing', async () => {
    // A JPEG held from an earlier try (the date was wrong) must survive the refusal too.
    const first = await postMultipart(ctx.app, tokyo, '/disbursements', { ...fields(), paidOn: '2025-02-30' }, [
      {
        name: 'receipt',
        filename: 'a.jpg',
        data: await sharp({ create: { width: 8, height: 8, channels: 3, background: '#888' } })
          .jpeg()
          .toBuffer(),
      },
    ]);
    const token = /name="heldReceipt" value="([0-9a-f]{64})"/.exec(first.body)?.[1];
    expect(token).toBeDefined();
    const previous = replaceHeicConverter(createHeicConverter(0));
    try {
      const response = await postMultipart(ctx.app, tokyo, '/disbursements', { ...fields(), payee: '山田商店', heldReceipt: token! }, [
        { name: 'receipt', filename: 'IMG_0002.HEIC', contentType: 'image/heic', data: heic },
      ]);
      expect(response.statusCode).toBe(422);
      expect(response.headers['retry-after']).toBeUndefined();
      expect(response.body).toMatch(
        /<p class="error" id="f-receipt-error">いまiPhoneの写真（HEIC）の変換が混み合っていて、写真を変換できませんでした。[^<]*1分ほど待ってから[^<]*<\/p>/,
      );
      expect(response.body).toContain('value="2025-06-10"');
      expect(response.body).toContain('value="山田商店"');
      expect(response.body).toMatch(/name="lines\[0\]\[amount\]"[^>]*value="[^"]*3[,，]?000"/);
      expect(response.body).toContain(`name="heldReceipt" value="${token}"`);
      expect(ctx.db.select().from(receipts).all()).toEqual([]);
      expect(ctx.db.select().from(disbursements).all()).toEqual([]);
    } finally {
      await replaceHeicConverter(previous ?? createHeicConverter())?.close();
    }
  });

  it('a full conversion queue on the record page re-renders it (422) with the message at the receipt field', async () => {
    const d = makeDisbursement(ctx.db, { caseId, submittedBy: supporterId });
    const previous = replaceHeicConverter(createHeicConverter(0));
    try {
      const response = await postMultipart(ctx.app, tokyo, `/disbursements/${d.id}/receipts`, {}, [
        { name: 'receipt', filename: 'IMG_0003.HEIC', contentType: 'image/heic', data: heic },
      ]);
      expect(response.statusCode).toBe(422);
      expect(response.body).toContain(`action="/disbursements/${d.id}/receipts"`);
      expect(response.body).toMatch(/<p class="error" id="f-receipt-error" role="alert">いまiPhoneの写真（HEIC）の変換が混み合っていて/);
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

describe('a full queue met outside a form', () => {
  it('stays a 503 with Retry-After and a translated message, as a page and as JSON', async () => {
    const busy = await buildTestApp({
      extraRoutes: (app) => {
        app.get('/test-busy', async () => {
          throw new Busy('heic.busy');
        });
        app.get('/test-busy.json', async () => {
          throw new Busy('heic.busy');
        });
      },
    });
    try {
      const page = await busy.app.inject({ method: 'GET', url: '/test-busy' });
      expect([page.statusCode, page.headers['retry-after']]).toEqual([503, '30']);
      expect(page.body).toContain('いまiPhoneの写真（HEIC）の変換が混み合っています');
      const json = await busy.app.inject({ method: 'GET', url: '/test-busy.json' });
      expect([json.statusCode, json.headers['retry-after']]).toEqual([503, '30']);
      expect(json.json()).toMatchObject({ error: expect.stringContaining('HEIC') });
    } finally {
      await busy.close();
    }
  });
});
