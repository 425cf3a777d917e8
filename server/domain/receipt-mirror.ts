import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../../db/client.js';
import { receipts } from '../../db/schema.js';

// Litestream copies the database only. Receipt files are written once and never change, so a
// copy that matches the SHA-256 the receipts table holds is a copy for good: each file is
// copied to the replica's receipts/ once and verified by hash (see docs/ARCHITECTURE.md).

export interface MirrorResult {
  copied: number;
  /** Files the database names that are not in the source directory. */
  missing: string[];
  /** Copies whose hash did not match, removed to be tried again. */
  mismatched: string[];
}

const hashOf = async (file: string) =>
  createHash('sha256')
    .update(await readFile(file))
    .digest('hex');
const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );

/**
 * Copy every receipt the database knows from `fromDir` to `toDir` unless `verified` already
 * holds its name; verify each copy against the recorded hash. `verified` is kept by the caller.
 */
export async function mirrorReceipts(db: Db, fromDir: string, toDir: string, verified: Set<string>): Promise<MirrorResult> {
  const result: MirrorResult = { copied: 0, missing: [], mismatched: [] };
  const rows = db.select({ name: receipts.storageName, sha256: receipts.sha256 }).from(receipts).all();
  await mkdir(toDir, { recursive: true, mode: 0o700 });
  for (const row of rows) {
    if (verified.has(row.name)) continue;
    const target = path.join(toDir, row.name);
    if (!(await exists(target))) {
      const source = path.join(fromDir, row.name);
      if (!(await exists(source))) {
        result.missing.push(row.name);
        continue;
      }
      await copyFile(source, target);
      result.copied += 1;
    }
    if ((await hashOf(target)) === row.sha256) verified.add(row.name);
    else {
      await rm(target, { force: true });
      result.mismatched.push(row.name);
    }
  }
  return result;
}

/** Where a file:// replica keeps receipts; null for targets the app cannot write to itself. */
export function replicaReceiptsDir(replicaUrl: string): string | null {
  return replicaUrl.startsWith('file://') ? path.join(new URL(replicaUrl).pathname, 'receipts') : null;
}
