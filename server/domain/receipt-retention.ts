import { rm } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { writeTransaction, type Db } from '../../db/client.js';
import { receiptErasures } from '../../db/schema.js';
import { recordAudit } from './audit.js';
import { todayInTokyo } from './dates.js';
import { receiptsDir } from './receipts.js';

/** Years a receipt file is kept after its payment when the organization set nothing (bookkeeping duty). */
export const DEFAULT_RECEIPT_YEARS = 7;
const BATCH = 100;

/**
 * Receipt files of cases whose identity was already erased go once their payment is older than the
 * receipt retention. The receipt row (type, size, digest) stays, so the books still show a receipt
 * existed. File first, then the record: a crash in between is repaired by the next run.
 */
export async function purgeExpiredReceiptFiles(db: Db, dataDir: string, now: Date): Promise<{ erased: number }> {
  const today = todayInTokyo({ now: () => now });
  let erased = 0;
  for (;;) {
    const batch = db.all<{ id: number; storageName: string }>(sql`
      SELECT r.id, r.storage_name AS storageName FROM receipts r
      JOIN disbursements d ON d.id = r.disbursement_id
      JOIN case_purges p ON p.case_id = d.case_id
      LEFT JOIN retention_policies rp ON rp.organization_id = d.organization_id
      WHERE NOT EXISTS (SELECT 1 FROM receipt_erasures e WHERE e.receipt_id = r.id)
        AND d.paid_on <= date(${today}, '-' || coalesce(rp.receipt_years, ${DEFAULT_RECEIPT_YEARS}) || ' years')
      ORDER BY r.id LIMIT ${BATCH}`);
    if (batch.length === 0) break;
    await Promise.all(batch.map((r) => rm(path.join(receiptsDir(dataDir), r.storageName), { force: true })));
    writeTransaction(db, (tx) => {
      for (const r of batch) tx.insert(receiptErasures).values({ receiptId: r.id, erasedAt: now.toISOString() }).run();
      recordAudit(tx, { action: 'receipt.files_erased', actorUserId: null, entityType: 'receipt', after: { receipts: batch.map((r) => r.id) }, at: now });
    });
    erased += batch.length;
  }
  return { erased };
}
