import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { receipts } from '../../db/schema.js';
import { mirrorReceipts, replicaReceiptsDir } from '../../server/domain/receipt-mirror.js';
import { receiptsDir } from '../../server/domain/receipts.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { makeWorld } from '../helpers/factories.js';
import { makeCase, makeDisbursement } from '../helpers/money-factories.js';

let ctx: TestContext | null = null;
afterEach(async () => {
  await ctx?.close();
  ctx = null;
});

/** A receipt row and its file, as an upload leaves them. */
async function storedReceipt(name: string): Promise<Buffer> {
  const w = await makeWorld(ctx!.db);
  const c = makeCase(ctx!.db, { organizationId: w.tokyo.id, createdBy: w.tokyoSupporter.id });
  const d = makeDisbursement(ctx!.db, {
    caseId: c.id,
    submittedBy: w.tokyoSupporter.id,
    paidOn: '2025-06-10',
    status: 'pending',
    lines: [{ category: 'food', amount: 1000 }],
  });
  const bytes = randomBytes(2048);
  mkdirSync(receiptsDir(ctx!.dataDir), { recursive: true });
  writeFileSync(path.join(receiptsDir(ctx!.dataDir), name), bytes);
  ctx!.db
    .insert(receipts)
    .values({
      disbursementId: d.id,
      storageName: name,
      mediaType: 'image/jpeg',
      byteSize: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      uploadedBy: w.tokyoSupporter.id,
      uploadedAt: '2025-06-10T00:00:00Z',
    })
    .run();
  return bytes;
}

describe('receipt files follow the database to a file:// replica', () => {
  it('copies each file once, verified by the hash the database holds', async () => {
    ctx = await buildTestApp();
    const bytes = await storedReceipt('a1.jpg');
    const target = path.join(ctx.dataDir, 'replica', 'receipts');
    const verified = new Set<string>();
    expect(await mirrorReceipts(ctx.db, receiptsDir(ctx.dataDir), target, verified)).toEqual({ copied: 1, missing: [], mismatched: [] });
    expect(readFileSync(path.join(target, 'a1.jpg')).equals(bytes)).toBe(true);
    expect((await mirrorReceipts(ctx.db, receiptsDir(ctx.dataDir), target, verified)).copied).toBe(0);
  });

  it('removes a damaged copy to try again, and names a file that is gone', async () => {
    ctx = await buildTestApp();
    await storedReceipt('b2.jpg');
    const target = path.join(ctx.dataDir, 'replica', 'receipts');
    mkdirSync(target, { recursive: true });
    writeFileSync(path.join(target, 'b2.jpg'), 'not the receipt');
    expect(await mirrorReceipts(ctx.db, receiptsDir(ctx.dataDir), target, new Set())).toEqual({ copied: 0, missing: [], mismatched: ['b2.jpg'] });
    expect(existsSync(path.join(target, 'b2.jpg'))).toBe(false);
    expect((await mirrorReceipts(ctx.db, receiptsDir(ctx.dataDir), target, new Set())).copied).toBe(1);
    expect((await mirrorReceipts(ctx.db, path.join(ctx.dataDir, 'empty'), path.join(ctx.dataDir, 'elsewhere'), new Set())).missing).toEqual(['b2.jpg']);
  });

  it('only file:// replicas get them from the app', () => {
    expect(replicaReceiptsDir('file:///srv/replica/tokyo')).toBe('/srv/replica/tokyo/receipts');
    expect(replicaReceiptsDir('s3://bucket/tokyo')).toBeNull();
  });
});
