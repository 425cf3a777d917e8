import { eq, gt, sql } from 'drizzle-orm';
import { writeTransaction, type Db } from '../../db/client.js';
import { cases, secondFactors } from '../../db/schema.js';
import { recordAudit } from './audit.js';
import type { FieldCipher, FieldPlace } from './field-crypto.js';

export interface RotationReport {
  casesRewritten: number;
  factorsRewritten: number;
  alreadyCurrent: number;
}

const CASE_COLUMNS = { aliasEnc: 'alias_enc', contactEnc: 'contact_enc', notesEnc: 'notes_enc' } as const;

/**
 * Re-seal every identifying field and TOTP secret with the cipher's current key, one batch per
 * transaction while the app keeps running. A value that already opens with the current key is
 * left alone, so a run killed half-way is simply run again. The alias index is recomputed too.
 */
export function rotateFieldKeys(
  db: Db,
  cipher: FieldCipher,
  options: { batchSize?: number; afterBatch?: (report: RotationReport) => void; now?: () => Date } = {},
): RotationReport {
  const batchSize = options.batchSize ?? 200;
  const now = options.now ?? (() => new Date());
  const report: RotationReport = { casesRewritten: 0, factorsRewritten: 0, alreadyCurrent: 0 };
  let lastId = 0;
  for (;;) {
    const ids = db.select({ id: cases.id }).from(cases)
      .where(sql`${cases.id} > ${lastId} AND (${cases.aliasEnc} IS NOT NULL OR ${cases.contactEnc} IS NOT NULL OR ${cases.notesEnc} IS NOT NULL)`)
      .orderBy(cases.id).limit(batchSize).all().map((r) => r.id);
    if (ids.length === 0) break;
    writeTransaction(db, (tx) => {
      for (const id of ids) {
        // Read inside the transaction: the app may have changed the row since the batch was chosen.
        const row = tx.select().from(cases).where(eq(cases.id, id)).get();
        if (!row) continue;
        const changes: Record<string, string | null> = {};
        for (const [field, column] of Object.entries(CASE_COLUMNS) as [keyof typeof CASE_COLUMNS, string][]) {
          const stored = row[field];
          if (stored === null) continue;
          const place: FieldPlace = { table: 'cases', column, rowId: id };
          if (cipher.isCurrent(stored, place)) continue;
          const plain = cipher.decrypt(stored, place);
          changes[field] = cipher.encrypt(plain, place);
          if (field === 'aliasEnc') changes.aliasIndex = cipher.aliasIndex(plain);
        }
        if (Object.keys(changes).length === 0) report.alreadyCurrent += 1;
        else {
          tx.update(cases).set(changes).where(eq(cases.id, id)).run();
          report.casesRewritten += 1;
        }
      }
    });
    lastId = ids[ids.length - 1]!;
    options.afterBatch?.(report);
  }
  let lastUser = 0;
  for (;;) {
    const rows = db.select().from(secondFactors).where(gt(secondFactors.userId, lastUser)).orderBy(secondFactors.userId).limit(batchSize).all();
    if (rows.length === 0) break;
    writeTransaction(db, (tx) => {
      for (const row of rows) {
        const place: FieldPlace = { table: 'second_factors', column: 'totp_secret', rowId: row.userId };
        if (cipher.isCurrent(row.totpSecretEnc, place)) {
          report.alreadyCurrent += 1;
          continue;
        }
        const sealed = cipher.encrypt(cipher.decrypt(row.totpSecretEnc, place), place);
        tx.update(secondFactors).set({ totpSecretEnc: sealed }).where(eq(secondFactors.userId, row.userId)).run();
        report.factorsRewritten += 1;
      }
    });
    lastUser = rows[rows.length - 1]!.userId;
    options.afterBatch?.(report);
  }
  writeTransaction(db, (tx) =>
    recordAudit(tx, { action: 'keys.rotated', actorUserId: null, entityType: 'system', after: { ...report }, at: now() }),
  );
  return report;
}
