import { createHash, randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { count, eq } from 'drizzle-orm';
import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';
import { heicToJpeg } from './heic.js';
import { writeTransaction, type Db, type Tx } from '../../db/client.js';
import { makePrivateDir } from '../../db/private-files.js';
import { disbursements, receipts } from '../../db/schema.js';
import { assertCan, assertVisible, can, type Actor, type OwnedRecord } from './actor.js';
import { recordAudit } from './audit.js';
import { Busy, Conflict, InvalidInput } from './errors.js';
import { sanitizePdf } from './pdf-sanitize.js';

export const MAX_RECEIPTS = 5;
export const MAX_RECEIPT_BYTES = 10 * 1024 * 1024;
/** 40 megapixels: any phone photo, but not a small file that decodes into gigabytes. */
export const MAX_RECEIPT_PIXELS = 40_000_000;

type MediaType = 'image/jpeg' | 'image/png' | 'image/webp' | 'image/heic' | 'application/pdf';
const EXTENSIONS: Record<MediaType, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/heic': 'heic',
  'application/pdf': 'pdf',
};

/** An upload checked by its bytes and cleaned, ready to be written. */
export interface PreparedReceipt {
  bytes: Buffer;
  mediaType: MediaType;
  /** SHA-256 of what the client sent: the same retry has the same fingerprint. */
  sourceSha256: string;
}

export interface StoredReceipt {
  storageName: string;
  mediaType: MediaType;
  byteSize: number;
  sha256: string;
  sourceSha256: string;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function detect(bytes: Buffer): Promise<MediaType | 'heic' | null> {
  const type = await fileTypeFromBuffer(bytes);
  switch (type?.mime) {
    case 'image/jpeg':
    case 'image/png':
    case 'image/webp':
    case 'application/pdf':
      return type.mime;
    case 'image/heic':
    case 'image/heif':
      return 'heic';
    default:
      return null;
  }
}

/**
 * Type an upload by its magic bytes (never its name or declared type) and strip images of their
 * metadata: re-encoded after applying the EXIF orientation, so location and camera data are gone.
 * A PDF is rewritten to its pages alone (see pdf-sanitize.ts) or refused.
 */
export async function prepareReceipt(bytes: Buffer): Promise<PreparedReceipt> {
  const refuse = (key: string) => new InvalidInput({ receipt: key });
  const kind = await detect(bytes);
  if (kind === null) throw refuse('receipts.badType');
  const sourceSha256 = sha256(bytes);
  if (kind === 'application/pdf') return { bytes: await sanitizePdf(bytes), mediaType: kind, sourceSha256 };
  // The header says how big the decoded image would be: refuse a decompression bomb before decoding.
  const size = await sharp(bytes, { limitInputPixels: false })
    .metadata()
    .catch(() => null);
  if (size === null) throw refuse('receipts.unreadable');
  if ((size.width ?? 0) * (size.height ?? 0) > MAX_RECEIPT_PIXELS) throw refuse('receipts.tooManyPixels');
  // iPhone photos become JPEG on the HEIC worker: prebuilt sharp reads HEIC headers but cannot
  // decode HEVC (heic.ts). A full queue stays Busy (the forms re-render with it); a photo it cannot decode is unreadable.
  const source =
    kind === 'heic'
      ? await heicToJpeg(bytes).catch((error: unknown) => {
          throw error instanceof Busy ? error : refuse('receipts.unreadable');
        })
      : bytes;
  try {
    // sharp decodes and encodes on libuv's thread pool, not on this thread.
    const image = sharp(source, { failOn: 'error', limitInputPixels: MAX_RECEIPT_PIXELS }).rotate();
    const cleaned =
      kind === 'image/jpeg' || kind === 'heic'
        ? await image.jpeg({ quality: 85, mozjpeg: true }).toBuffer()
        : kind === 'image/png'
          ? await image.png().toBuffer()
          : await image.webp({ quality: 85 }).toBuffer();
    return { bytes: cleaned, mediaType: kind === 'heic' ? 'image/jpeg' : kind, sourceSha256 };
  } catch {
    throw refuse('receipts.unreadable');
  }
}

export const receiptsDir = (dataDir: string) => path.join(dataDir, 'receipts');

/** Write prepared files under generated names, before the transaction that records them. */
export async function storeReceipts(dataDir: string, prepared: PreparedReceipt[]): Promise<StoredReceipt[]> {
  const dir = receiptsDir(dataDir);
  makePrivateDir(dir);
  const stored: StoredReceipt[] = [];
  try {
    for (const p of prepared) {
      const storageName = `${randomBytes(16).toString('hex')}.${EXTENSIONS[p.mediaType]}`;
      stored.push({ storageName, mediaType: p.mediaType, byteSize: p.bytes.length, sha256: sha256(p.bytes), sourceSha256: p.sourceSha256 });
      await writeFile(path.join(dir, storageName), p.bytes, { flag: 'wx', mode: 0o600 });
    }
  } catch (error) {
    await discardReceipts(dataDir, stored);
    throw error;
  }
  return stored;
}

/** Remove files whose transaction failed or was a replay: a refused upload leaves nothing. */
export async function discardReceipts(dataDir: string, stored: StoredReceipt[]): Promise<void> {
  await Promise.all(stored.map((r) => rm(path.join(receiptsDir(dataDir), r.storageName), { force: true })));
}

/** Record stored files against a disbursement, each with its audit event (inside the caller's transaction). */
export function insertReceipts(tx: Tx, actor: Actor, disbursementId: number, stored: StoredReceipt[], now: Date): void {
  const existing = tx.select({ n: count() }).from(receipts).where(eq(receipts.disbursementId, disbursementId)).get()?.n ?? 0;
  if (existing + stored.length > MAX_RECEIPTS) throw new InvalidInput({ receipt: 'receipts.tooMany' });
  for (const r of stored) {
    const row = tx
      .insert(receipts)
      .values({
        disbursementId,
        storageName: r.storageName,
        mediaType: r.mediaType,
        byteSize: r.byteSize,
        sha256: r.sha256,
        uploadedBy: actor.userId,
        uploadedAt: now.toISOString(),
      })
      .returning({ id: receipts.id })
      .get();
    recordAudit(tx, {
      action: 'receipt.attached',
      actorUserId: actor.userId,
      entityType: 'receipt',
      entityId: row.id,
      after: { disbursementId, mediaType: r.mediaType, byteSize: r.byteSize, sha256: r.sha256 },
      at: now,
    });
  }
}

function loadDisbursement(tx: Tx, actor: Actor, id: number) {
  const d = tx
    .select({ id: disbursements.id, organizationId: disbursements.organizationId, submittedBy: disbursements.submittedBy, status: disbursements.status })
    .from(disbursements)
    .where(eq(disbursements.id, id))
    .get();
  return assertVisible(actor, d);
}

/** Attaching later: the owning organization while pending, a coordinator at any time. */
const attachableInStatus = (actor: Actor, status: string) => status === 'pending' || actor.role === 'coordinator';

/** Whether the record's page offers the upload form: the same rule as assertCanAttach, plus room left. */
export function mayAttachReceipt(actor: Actor, d: OwnedRecord & { status: string }, receiptCount: number): boolean {
  return can(actor, 'receipt.attach', d) && attachableInStatus(actor, d.status) && receiptCount < MAX_RECEIPTS;
}

export function assertCanAttach(tx: Tx, actor: Actor, disbursementId: number): void {
  const d = loadDisbursement(tx, actor, disbursementId);
  assertCan(actor, 'receipt.attach', d);
  if (!attachableInStatus(actor, d.status)) throw new Conflict('receipts.notPending');
}

export function attachReceipts(db: Db, actor: Actor, disbursementId: number, stored: StoredReceipt[], now: Date): void {
  writeTransaction(db, (tx) => {
    assertCanAttach(tx, actor, disbursementId);
    insertReceipts(tx, actor, disbursementId, stored, now);
  });
}

/** A receipt for download: only through a visible disbursement, and the read is audited (SPEC §7, §8). */
export function openReceiptFor(db: Db, actor: Actor, receiptId: number, dataDir: string, now: Date) {
  return writeTransaction(db, (tx) => {
    const row = tx
      .select({ r: receipts, organizationId: disbursements.organizationId, submittedBy: disbursements.submittedBy })
      .from(receipts)
      .innerJoin(disbursements, eq(disbursements.id, receipts.disbursementId))
      .where(eq(receipts.id, receiptId))
      .get();
    const found = assertVisible(actor, row);
    assertCan(actor, 'receipt.read', found);
    const { r } = found;
    recordAudit(tx, {
      action: 'receipt.viewed',
      actorUserId: actor.userId,
      entityType: 'receipt',
      entityId: r.id,
      after: { disbursementId: r.disbursementId },
      at: now,
    });
    const ext = EXTENSIONS[r.mediaType as MediaType] ?? 'bin';
    return {
      path: path.join(receiptsDir(dataDir), r.storageName),
      mediaType: r.mediaType,
      downloadName: `receipt-${r.disbursementId}-${r.id}.${ext}`,
    };
  });
}
