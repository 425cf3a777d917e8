import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import type { Tx } from '../../db/client.js';
import { disbursements, receipts } from '../../db/schema.js';
import { assertCan, assertVisible, type Actor } from './actor.js';
import { NotFound } from './errors.js';
import { receiptsDir } from './receipts.js';

export const THUMB_SIZE = 192;
const THUMBNAILABLE = new Set(['image/jpeg', 'image/png', 'image/webp']);

export const thumbsDir = (dataDir: string) => path.join(dataDir, 'thumbs');

/** The stored receipt behind a thumbnail, through the very scope and permission a download needs. */
export function findThumbnailSource(tx: Tx, actor: Actor, receiptId: number): { storageName: string } {
  const row = tx
    .select({
      storageName: receipts.storageName,
      mediaType: receipts.mediaType,
      organizationId: disbursements.organizationId,
      submittedBy: disbursements.submittedBy,
    })
    .from(receipts)
    .innerJoin(disbursements, eq(disbursements.id, receipts.disbursementId))
    .where(eq(receipts.id, receiptId))
    .get();
  const found = assertVisible(actor, row);
  assertCan(actor, 'receipt.read', found);
  // PDFs and HEIC get a link, not a picture.
  if (!THUMBNAILABLE.has(found.mediaType)) throw new NotFound();
  return { storageName: found.storageName };
}

/**
 * A small JPEG of the receipt, made once and kept under DATA_DIR/thumbs. sharp writes no metadata
 * unless asked, so the thumbnail carries no EXIF, location or ICC data; the source is already clean.
 */
export async function thumbnailBytes(dataDir: string, storageName: string): Promise<Buffer> {
  const dir = thumbsDir(dataDir);
  const cached = path.join(dir, `${path.parse(storageName).name}.jpg`);
  try {
    return await readFile(cached);
  } catch {
    // not made yet
  }
  let source: Buffer;
  try {
    source = await readFile(path.join(receiptsDir(dataDir), storageName));
  } catch {
    throw new NotFound();
  }
  const bytes = await sharp(source, { failOn: 'error' })
    .rotate()
    .resize(THUMB_SIZE, THUMB_SIZE, { fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: 70 })
    .toBuffer();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // Written aside then renamed: a reader never sees half a file.
  const temp = `${cached}.${process.pid}.tmp`;
  await writeFile(temp, bytes, { mode: 0o600 });
  await rename(temp, cached);
  return bytes;
}
