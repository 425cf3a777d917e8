import { createHash } from 'node:crypto';
import type { Db } from '../../db/client.js';
import { receipts } from '../../db/schema.js';
import type { ReceiptTarget } from '../config.js';
import { fileStore, openReceiptStore, type ReceiptStore } from './receipt-targets/index.js';

// Litestream copies the database only. Receipt files are written once and never change, so a
// copy that matches the SHA-256 the receipts table holds is a copy for good: each file is
// copied to the replica's receipts/ once and verified by reading it back from there and
// hashing what came back (see docs/ARCHITECTURE.md). The same walk, from the replica to a
// fresh DATA_DIR/receipts, is how npm run restore:replica brings them back.

export interface MirrorResult {
  copied: number;
  /** Files the database names that are not at the source. */
  missing: string[];
  /** Copies at the target whose hash did not match, removed to be tried again. */
  mismatched: string[];
  /** Files at the source whose hash is not the recorded one: not copied (a damaged original or replica copy). */
  damaged: string[];
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * Copy every receipt the database knows from `from` to `to` unless `verified` already holds its
 * name; verify each copy by reading it back from `to`. `verified` is kept by the caller, so a
 * process verifies each copy once (and every copy again after a restart).
 */
export async function mirrorReceipts(db: Db, from: ReceiptStore, to: ReceiptStore, verified: Set<string>): Promise<MirrorResult> {
  const result: MirrorResult = { copied: 0, missing: [], mismatched: [], damaged: [] };
  const rows = db.select({ name: receipts.storageName, sha256: receipts.sha256 }).from(receipts).all();
  for (const row of rows) {
    if (verified.has(row.name)) continue;
    const existing = await to.get(row.name);
    if (existing) {
      if (sha256(existing) === row.sha256) verified.add(row.name);
      else {
        // Overwriting in place could leave the bad copy if the write fails half-way: remove it, copy next round.
        await to.delete(row.name);
        result.mismatched.push(row.name);
      }
      continue;
    }
    const bytes = await from.get(row.name);
    if (!bytes) {
      result.missing.push(row.name);
      continue;
    }
    if (sha256(bytes) !== row.sha256) {
      result.damaged.push(row.name);
      continue;
    }
    await to.put(row.name, bytes);
    result.copied += 1;
    const back = await to.get(row.name);
    if (back && sha256(back) === row.sha256) verified.add(row.name);
    else {
      await to.delete(row.name);
      result.mismatched.push(row.name);
    }
  }
  return result;
}

/**
 * npm run restore:replica's receipt part: every receipt the restored database names, from the
 * replica into `toDir`. A name added to `verified` came from the replica matching its hash, so
 * the replica holds a good copy of it: the caller keeps the list, and the app's first start on
 * the new machine need not read the whole archive back a second time.
 */
export async function restoreReceipts(db: Db, target: ReceiptTarget, toDir: string, verified = new Set<string>()): Promise<MirrorResult> {
  const replica = openReceiptStore(target);
  try {
    return await mirrorReceipts(db, replica, fileStore(toDir), verified);
  } finally {
    await replica.close();
  }
}

/** The restore's lines about receipts: what came back verified, and which names to fetch from a backup. */
export function restoreReport(result: MirrorResult): { ok: boolean; lines: string[] } {
  const lines = [`  ${result.copied} receipt files restored and verified by hash.`];
  const listed = (names: string[]) => (names.length > 10 ? `${names.slice(0, 10).join(', ')} and ${names.length - 10} more` : names.join(', '));
  if (result.missing.length > 0)
    lines.push(`  ${result.missing.length} receipt files are not on the replica: copy them from the latest npm run backup (${listed(result.missing)}).`);
  const damaged = [...result.damaged, ...result.mismatched];
  if (damaged.length > 0)
    lines.push(
      `  ${damaged.length} receipt files on the replica do not match the hash the database holds and were not restored: copy them from the latest npm run backup (${listed(damaged)}).`,
    );
  return { ok: result.missing.length + damaged.length === 0, lines };
}
