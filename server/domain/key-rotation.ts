import { eq, gt, sql } from 'drizzle-orm';
import { writeTransaction, type Db } from '../../db/client.js';
import { cases, identityFingerprints, secondFactors, wrappedKeys } from '../../db/schema.js';
import { recordAudit } from './audit.js';
import { AUDIT_KEY_PURPOSE, isAuditKeySealCurrent, sealAuditKey } from './audit-key.js';
import type { FieldCipher, FieldPlace } from './field-crypto.js';
import { recordFingerprint } from './person-matches.js';

export interface RotationReport {
  casesRewritten: number;
  factorsRewritten: number;
  /** Person fingerprints (issue 14) recomputed under the new key, so matches across groups survive. */
  fingerprintsRewritten: number;
  alreadyCurrent: number;
}

/**
 * Seal the audit chain's key under the new DATA_KEY first of all (before any batch), so a run
 * killed at any point leaves a key the new DATA_KEY opens. `chainKey` is the key this database's
 * trail is written with (resolveAuditKey): needed only when no sealed copy exists yet.
 */
export function resealAuditKey(db: Db, cipher: FieldCipher, chainKey: Buffer | undefined, now: Date): 'current' | 'sealed' | 'absent' {
  return writeTransaction(db, (tx) => {
    const row = tx.select().from(wrappedKeys).where(eq(wrappedKeys.purpose, AUDIT_KEY_PURPOSE)).get();
    if (row && isAuditKeySealCurrent(cipher, row.sealed)) return 'current';
    const key = row ? Buffer.from(cipher.decrypt(row.sealed, { table: 'wrapped_keys', column: AUDIT_KEY_PURPOSE, rowId: 0 }), 'base64') : chainKey;
    if (!key) return 'absent';
    const sealed = sealAuditKey(cipher, key);
    tx.insert(wrappedKeys)
      .values({ purpose: AUDIT_KEY_PURPOSE, sealed, updatedAt: now.toISOString() })
      .onConflictDoUpdate({ target: wrappedKeys.purpose, set: { sealed, updatedAt: now.toISOString() } })
      .run();
    return 'sealed';
  });
}

const CASE_COLUMNS = { aliasEnc: 'alias_enc', contactEnc: 'contact_enc', notesEnc: 'notes_enc' } as const;

/**
 * Re-seal every identifying field and TOTP secret with the cipher's current key, one batch per
 * transaction while the app keeps running. A value that already opens with the current key is
 * left alone, so a run killed half-way is simply run again. The alias index and the person
 * fingerprint are recomputed with the alias, in the same transaction.
 */
export function rotateFieldKeys(
  db: Db,
  cipher: FieldCipher,
  options: { batchSize?: number; afterBatch?: (report: RotationReport) => void; now?: () => Date; auditKey?: Buffer } = {},
): RotationReport {
  const batchSize = options.batchSize ?? 200;
  const now = options.now ?? (() => new Date());
  resealAuditKey(db, cipher, options.auditKey, now());
  const report: RotationReport = { casesRewritten: 0, factorsRewritten: 0, fingerprintsRewritten: 0, alreadyCurrent: 0 };
  let lastId = 0;
  for (;;) {
    const ids = db
      .select({ id: cases.id })
      .from(cases)
      .where(sql`${cases.id} > ${lastId} AND (${cases.aliasEnc} IS NOT NULL OR ${cases.contactEnc} IS NOT NULL OR ${cases.notesEnc} IS NOT NULL)`)
      .orderBy(cases.id)
      .limit(batchSize)
      .all()
      .map((r) => r.id);
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
          if (field === 'aliasEnc') {
            changes.aliasIndex = cipher.aliasIndex(plain);
            const fingerprint = tx.select().from(identityFingerprints).where(eq(identityFingerprints.caseId, id)).get();
            if (fingerprint) {
              recordFingerprint(tx, cipher, { id, organizationId: fingerprint.organizationId }, { name: plain, nationality: row.nationality }, now());
              report.fingerprintsRewritten += 1;
            }
          }
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
  writeTransaction(db, (tx) => recordAudit(tx, { action: 'keys.rotated', actorUserId: null, entityType: 'system', after: { ...report }, at: now() }));
  return report;
}
