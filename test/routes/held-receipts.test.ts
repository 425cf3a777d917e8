import { existsSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { receipts, uploadTokens } from '../../db/schema.js';
import { HELD_FOR_MS, purgeExpiredHeldReceipts } from '../../server/domain/held-receipts.js';
import { translator } from '../../server/i18n/index.js';
import { signedIn, type TestClient } from '../helpers/client.js';
import { openDisbursementDesk, type DisbursementDesk } from '../helpers/disbursement-desk.js';
import { postMultipart } from '../helpers/multipart.js';

const ja = translator('ja');
let ctx: DisbursementDesk['ctx'];
let world: DisbursementDesk['world'];
let tokyo: DisbursementDesk['tokyo'];
let newRecordFields: DisbursementDesk['newRecordFields'];

beforeEach(async () => {
  ({ ctx, world, tokyo, newRecordFields } = await openDisbursementDesk());
});
afterEach(async () => ctx.close());

const fields = (overrides: Record<string, string | string[]> = {}) =>
  newRecordFields({ 'lines[0][category]': 'food', 'lines[0][amount]': '5000', ...overrides });
const jpeg = () =>
  sharp({ create: { width: 40, height: 30, channels: 3, background: '#3a6' } })
    .jpeg()
    .toBuffer();
const heldDir = () => path.join(ctx.dataDir, 'held-receipts');
const heldFiles = () => (existsSync(heldDir()) ? readdirSync(heldDir()) : []);
const tokensIn = (html: string) => [...html.matchAll(/name="heldReceipt" value="([0-9a-f]{64})"/g)].map((m) => m[1]!);

/** A first submission with the method missing: 422, the photo held. */
async function failOnce(client: TestClient = tokyo): Promise<{ body: string; token: string }> {
  const response = await postMultipart(ctx.app, client, '/disbursements', fields({ method: '' }), [{ name: 'receipt', filename: 'r.jpg', data: await jpeg() }]);
  expect(response.statusCode).toBe(422);
  const [token] = tokensIn(response.body);
  expect(token).toBeDefined();
  return { body: response.body, token: token! };
}

describe('a receipt kept across a validation error (issue 16 §1)', () => {
  it('re-renders the form with the thumbnail, 「削除」 and the hidden token, and keeps the cleaned file', async () => {
    const { body, token } = await failOnce();
    expect(body).toContain(`src="/receipts/held/${token}/thumb"`);
    expect(body).toContain(`name="dropReceipt" value="${token}"`);
    expect(body).toContain(ja('phones.heldRemove'));
    expect(body).not.toContain(ja('receipts.reselect'));
    expect(heldFiles()).toHaveLength(1);
    // The database keeps a digest of the token, never the token itself.
    const rows = ctx.db.select().from(uploadTokens).all();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id).not.toBe(token);
    expect(rows[0]!.expiresAt - rows[0]!.createdAt).toBe(HELD_FOR_MS);
    const thumb = await tokyo.get(`/receipts/held/${token}/thumb`);
    expect(thumb.statusCode).toBe(200);
    expect(thumb.headers['content-type']).toBe('image/jpeg');
    expect(thumb.headers['cache-control']).toContain('no-store');
  });

  it('attaches the held receipt when the corrected form is submitted with its token, then forgets the token', async () => {
    const { token } = await failOnce();
    const response = await postMultipart(ctx.app, tokyo, '/disbursements', fields({ heldReceipt: token }));
    expect(response.statusCode).toBe(303);
    const id = Number(String(response.headers.location).split('/').pop());
    const attached = ctx.db.select().from(receipts).where(eq(receipts.disbursementId, id)).all();
    expect(attached).toHaveLength(1);
    expect(attached[0]!.mediaType).toBe('image/jpeg');
    expect(ctx.db.select().from(uploadTokens).all()).toHaveLength(0);
    expect(heldFiles()).toEqual([]);
    expect((await tokyo.get(`/receipts/held/${token}/thumb`)).statusCode).toBe(404);
  });

  it('adds a second photo chosen on the next try to the held one', async () => {
    const { token } = await failOnce();
    const again = await postMultipart(ctx.app, tokyo, '/disbursements', fields({ method: '', heldReceipt: token }), [
      { name: 'receipt', filename: 'b.jpg', data: await jpeg() },
    ]);
    expect(again.statusCode).toBe(422);
    expect(tokensIn(again.body)).toHaveLength(2);
    const done = await postMultipart(ctx.app, tokyo, '/disbursements', fields({ heldReceipt: tokensIn(again.body) }));
    expect(done.statusCode).toBe(303);
    expect(ctx.db.select().from(receipts).all()).toHaveLength(2);
  });

  it('drops a held receipt the user removed with 「削除」', async () => {
    const { token } = await failOnce();
    const response = await postMultipart(ctx.app, tokyo, '/disbursements', fields({ heldReceipt: token, dropReceipt: token }));
    expect(response.statusCode).toBe(303);
    expect(ctx.db.select().from(receipts).all()).toHaveLength(0);
    expect(heldFiles()).toEqual([]);
  });

  it("never shows or attaches another session's held receipt: 404 and a refused token", async () => {
    const { token } = await failOnce();
    const osaka = await signedIn(ctx.app, world.osakaSupporter);
    expect((await osaka.get(`/receipts/held/${token}/thumb`)).statusCode).toBe(404);
    // The same user on a second device is another session too.
    const otherDevice = await signedIn(ctx.app, world.tokyoSupporter);
    expect((await otherDevice.get(`/receipts/held/${token}/thumb`)).statusCode).toBe(404);
    const stolen = await postMultipart(ctx.app, otherDevice, '/disbursements', fields({ heldReceipt: token }));
    expect(stolen.statusCode).toBe(422);
    expect(stolen.body).toContain(ja('phones.heldExpired'));
    expect(ctx.db.select().from(receipts).all()).toHaveLength(0);
    // Removing it from the other session does nothing either.
    await postMultipart(ctx.app, otherDevice, '/disbursements', fields({ method: '', dropReceipt: token }));
    expect(ctx.db.select().from(uploadTokens).all()).toHaveLength(1);
    expect((await tokyo.get(`/receipts/held/${token}/thumb`)).statusCode).toBe(200);
  });

  it('refuses an expired token with a message to choose the receipt again, and writes nothing', async () => {
    const { token } = await failOnce();
    ctx.clock.set(new Date(ctx.clock.now().getTime() + HELD_FOR_MS + 1000).toISOString());
    tokyo = await signedIn(ctx.app, world.tokyoSupporter);
    const expiredSame = await tokyo.get(`/receipts/held/${token}/thumb`);
    expect(expiredSame.statusCode).toBe(404);
    const response = await postMultipart(ctx.app, tokyo, '/disbursements', fields({ heldReceipt: token }));
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain(ja('phones.heldExpired'));
    expect(tokensIn(response.body)).toEqual([]);
    expect(ctx.db.select().from(receipts).all()).toHaveLength(0);
  });

  it('ignores a malformed token and answers 404 to its thumbnail', async () => {
    expect((await tokyo.get('/receipts/held/not-a-token/thumb')).statusCode).toBe(404);
    const response = await postMultipart(ctx.app, tokyo, '/disbursements', fields({ heldReceipt: '../../etc/passwd' }));
    expect(response.statusCode).toBe(303);
  });
});

describe('the held receipt cleanup job', () => {
  it('removes expired rows with their files and stray files older than an hour, and nothing else', async () => {
    // File ages are real time: run the app's clock on it too.
    ctx.clock.set(new Date().toISOString());
    tokyo = await signedIn(ctx.app, world.tokyoSupporter);
    const { token } = await failOnce();
    const stray = path.join(heldDir(), 'stray.jpg');
    writeFileSync(stray, 'x');
    const fresh = path.join(heldDir(), 'fresh.jpg');
    writeFileSync(fresh, 'x');
    const hourAgo = (Date.now() - HELD_FOR_MS - 60_000) / 1000;
    utimesSync(stray, hourAgo, hourAgo);
    const early = await purgeExpiredHeldReceipts(ctx.db, ctx.dataDir, ctx.clock.now());
    expect(early.removed).toBe(1);
    expect(heldFiles()).toHaveLength(2);
    expect(heldFiles()).toContain('fresh.jpg');
    const later = await purgeExpiredHeldReceipts(ctx.db, ctx.dataDir, new Date(ctx.clock.now().getTime() + HELD_FOR_MS));
    expect(later.removed).toBeGreaterThanOrEqual(1);
    expect(ctx.db.select().from(uploadTokens).all()).toHaveLength(0);
    expect((await tokyo.get(`/receipts/held/${token}/thumb`)).statusCode).toBe(404);
  });
});
