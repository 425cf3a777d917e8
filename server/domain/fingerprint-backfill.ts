import { writeTransaction, type Db } from '../../db/client.js';
import type { FieldCipher } from './field-crypto.js';
import { clientOf, prepared } from './figures/sql.js';
import { identityFingerprint } from './person-matches.js';

/**
 * Fingerprints for cases whose identity was entered before fingerprints existed, or whose
 * fingerprint row is missing (imported cases before this change). Batched: each batch is one
 * short transaction, so the app keeps serving; resumable and idempotent: a case that has its row
 * is never selected again, so a run stopped anywhere simply continues next time.
 */
export interface BackfillCounts {
  /** Cases with a sealed name and no fingerprint row, looked at. */
  scanned: number;
  created: number;
  /** A name that normalizes to nothing (only punctuation): no fingerprint to hold. */
  noName: number;
  /** A value this key cannot open (e.g. mid-rotation without the previous key): left for a later run. */
  unreadable: number;
  batches: number;
}

const CANDIDATES = `SELECT id, organization_id AS organizationId, alias_enc AS aliasEnc, nationality FROM cases c
  WHERE c.id > ? AND c.alias_enc IS NOT NULL AND NOT EXISTS (SELECT 1 FROM identity_fingerprints f WHERE f.case_id = c.id)
  ORDER BY c.id LIMIT ?`;

/** One batch after `afterId`; returns the last id looked at (null when none was left). */
export function backfillBatch(db: Db, cipher: FieldCipher, afterId: number, size: number, now: Date, counts: BackfillCounts): number | null {
  return writeTransaction(db, (tx) => {
    const client = clientOf(tx);
    const rows = prepared(client, CANDIDATES).all(afterId, size) as { id: number; organizationId: number; aliasEnc: string; nationality: string | null }[];
    if (rows.length === 0) return null;
    // OR IGNORE: a case saved by the app meanwhile already has its (fresher) row.
    const insert = prepared(client, 'INSERT OR IGNORE INTO identity_fingerprints (case_id, organization_id, fingerprint, updated_at) VALUES (?, ?, ?, ?)');
    for (const c of rows) {
      counts.scanned += 1;
      let name: string;
      try {
        name = cipher.decrypt(c.aliasEnc, { table: 'cases', column: 'alias_enc', rowId: c.id });
      } catch {
        counts.unreadable += 1;
        continue;
      }
      const fingerprint = identityFingerprint(cipher, { name, nationality: c.nationality });
      if (fingerprint === null) counts.noName += 1;
      else counts.created += insert.run(c.id, c.organizationId, fingerprint, now.toISOString()).changes;
    }
    counts.batches += 1;
    return rows.at(-1)!.id;
  });
}

/** Every missing fingerprint, batch by batch; `pause` between batches lets a server answer requests. */
export async function backfillFingerprints(
  db: Db,
  cipher: FieldCipher,
  now: Date,
  options: { batchSize?: number; pause?: () => Promise<void> } = {},
): Promise<BackfillCounts> {
  const counts: BackfillCounts = { scanned: 0, created: 0, noName: 0, unreadable: 0, batches: 0 };
  let afterId: number | null = 0;
  while ((afterId = backfillBatch(db, cipher, afterId, options.batchSize ?? 500, now, counts)) !== null) await options.pause?.();
  return counts;
}
