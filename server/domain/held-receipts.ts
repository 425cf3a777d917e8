import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { and, eq, inArray, lte } from 'drizzle-orm';
import sharp from 'sharp';
import { writeTransaction, type Db } from '../../db/client.js';
import { makePrivateDir } from '../../db/private-files.js';
import { uploadTokens } from '../../db/schema.js';
import { NotFound } from './errors.js';
import type { PreparedReceipt } from './receipts.js';

/** A receipt is held for an hour: long enough to fix a form on a slow phone, short for a stray file. */
export const HELD_FOR_MS = 3_600_000;
const TOKEN_PATTERN = /^[0-9a-f]{64}$/;
const EXTENSIONS: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'application/pdf': 'pdf' };

export const heldDir = (dataDir: string) => path.join(dataDir, 'held-receipts');
const tokenId = (token: string) => createHash('sha256').update(token).digest('hex');
export const isHeldToken = (value: unknown): value is string => typeof value === 'string' && TOKEN_PATTERN.test(value);

/** What the form shows and sends back for one held receipt. */
export interface HeldReceipt {
  token: string;
  mediaType: string;
  byteSize: number;
}

/** Keep cleaned uploads for this session; returns the tokens the re-rendered form carries. */
export async function holdReceipts(db: Db, dataDir: string, sessionId: string, prepared: PreparedReceipt[], now: Date): Promise<HeldReceipt[]> {
  const dir = heldDir(dataDir);
  makePrivateDir(dir);
  const rows = prepared.map((p) => ({
    p,
    token: randomBytes(32).toString('hex'),
    storageName: `${randomBytes(16).toString('hex')}.${EXTENSIONS[p.mediaType] ?? 'bin'}`,
  }));
  try {
    for (const r of rows) await writeFile(path.join(dir, r.storageName), r.p.bytes, { flag: 'wx', mode: 0o600 });
    writeTransaction(db, (tx) => {
      for (const r of rows) {
        tx.insert(uploadTokens)
          .values({
            id: tokenId(r.token),
            sessionId,
            storageName: r.storageName,
            mediaType: r.p.mediaType,
            byteSize: r.p.bytes.length,
            sourceSha256: r.p.sourceSha256,
            createdAt: now.getTime(),
            expiresAt: now.getTime() + HELD_FOR_MS,
          })
          .run();
      }
    });
  } catch (error) {
    await Promise.all(rows.map((r) => rm(path.join(dir, r.storageName), { force: true })));
    throw error;
  }
  return rows.map((r) => ({ token: r.token, mediaType: r.p.mediaType, byteSize: r.p.bytes.length }));
}

function liveRow(db: Db, sessionId: string, token: string, now: Date) {
  if (!isHeldToken(token)) return undefined;
  const row = db
    .select()
    .from(uploadTokens)
    .where(and(eq(uploadTokens.id, tokenId(token)), eq(uploadTokens.sessionId, sessionId)))
    .get();
  return row && row.expiresAt > now.getTime() ? row : undefined;
}

/**
 * The held receipts a form sent back, for its own session and not yet expired. Another session's
 * token, an expired one and a made-up one are all simply missing.
 */
export function findHeldReceipts(db: Db, sessionId: string, tokens: string[], now: Date): { held: HeldReceipt[]; missing: number } {
  const held: HeldReceipt[] = [];
  for (const token of new Set(tokens)) {
    const row = liveRow(db, sessionId, token, now);
    if (row) held.push({ token, mediaType: row.mediaType, byteSize: row.byteSize });
  }
  return { held, missing: new Set(tokens).size - held.length };
}

/** The held files as prepared receipts, ready to be stored like a fresh upload. */
export async function readHeldReceipts(db: Db, dataDir: string, sessionId: string, held: HeldReceipt[], now: Date): Promise<PreparedReceipt[]> {
  const out: PreparedReceipt[] = [];
  for (const h of held) {
    const row = liveRow(db, sessionId, h.token, now);
    if (!row) throw new NotFound();
    const bytes = await readFile(path.join(heldDir(dataDir), row.storageName));
    out.push({ bytes, mediaType: row.mediaType as PreparedReceipt['mediaType'], sourceSha256: row.sourceSha256 });
  }
  return out;
}

/** Forget held receipts: after a successful submit, or when the user removed them from the form. */
export async function releaseHeldReceipts(db: Db, dataDir: string, sessionId: string, tokens: string[]): Promise<void> {
  const ids = tokens.filter(isHeldToken).map(tokenId);
  if (ids.length === 0) return;
  const mine = and(inArray(uploadTokens.id, ids), eq(uploadTokens.sessionId, sessionId));
  const rows = writeTransaction(db, (tx) => tx.delete(uploadTokens).where(mine).returning({ storageName: uploadTokens.storageName }).all());
  await Promise.all(rows.map((r) => rm(path.join(heldDir(dataDir), r.storageName), { force: true })));
}

/** A small JPEG of a held image for its own session; anything else (PDF, other session, expired) is 404. */
export async function heldThumbnail(db: Db, dataDir: string, sessionId: string, token: string, now: Date): Promise<Buffer> {
  const row = liveRow(db, sessionId, token, now);
  if (!row || row.mediaType === 'application/pdf') throw new NotFound();
  const source = await readFile(path.join(heldDir(dataDir), row.storageName)).catch(() => null);
  if (!source) throw new NotFound();
  return sharp(source, { failOn: 'error' }).resize(192, 192, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 70 }).toBuffer();
}

/**
 * The cleanup job: expired rows and their files, then any file no row names (its session ended, or
 * the process stopped between the write and the row) once it is older than the holding time.
 */
export async function purgeExpiredHeldReceipts(db: Db, dataDir: string, now: Date): Promise<{ removed: number }> {
  const expired = writeTransaction(db, (tx) =>
    tx.delete(uploadTokens).where(lte(uploadTokens.expiresAt, now.getTime())).returning({ storageName: uploadTokens.storageName }).all(),
  );
  const dir = heldDir(dataDir);
  await Promise.all(expired.map((r) => rm(path.join(dir, r.storageName), { force: true })));
  const names = await readdir(dir).catch(() => [] as string[]);
  const known = new Set(
    db
      .select({ storageName: uploadTokens.storageName })
      .from(uploadTokens)
      .all()
      .map((r) => r.storageName),
  );
  let orphans = 0;
  for (const name of names) {
    if (known.has(name)) continue;
    const info = await stat(path.join(dir, name)).catch(() => null);
    if (info && now.getTime() - info.mtimeMs >= HELD_FOR_MS) {
      await rm(path.join(dir, name), { force: true });
      orphans += 1;
    }
  }
  return { removed: expired.length + orphans };
}
