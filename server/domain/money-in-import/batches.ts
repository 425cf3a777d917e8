import { and, asc, eq, sql } from 'drizzle-orm';
import { writeTransaction, type Db, type Tx } from '../../../db/client.js';
import { MONEY_SOURCES, moneyIn, moneyInBatches, moneyInImportKeys, moneyInMappings, type MoneySource } from '../../../db/schema.js';
import { translator } from '../../i18n/index.js';
import { assertCan, type Actor } from '../actor.js';
import { recordAudit } from '../audit.js';
import { Conflict, InvalidInput, NotFound } from '../errors.js';
import { clientOf, prepared } from '../figures/sql.js';
import type { FieldCipher } from '../field-crypto.js';
import { getFund } from '../funds.js';
import type { UploadTable } from '../imports/read-upload.js';
import { columnsByHeader, columnsFromHeaders } from '../imports/saved-columns.js';
import { MAX_MONEY_IN_ROWS, planMoneyIn, type MoneyInMapping, type MoneyInSummary, type RowProblem } from './plan.js';

export type MoneyInBatch = typeof moneyInBatches.$inferSelect;
type Staged = { rowNumber: number; cells: string[] };
export interface MoneyInPreview extends MoneyInSummary {
  problems: ({ rowNumber: number } & RowProblem)[];
}

/** The page's words for each source type, in both languages, so either reads back. */
export function sourceLabels(): Record<MoneySource, string[]> {
  const [ja, en] = [translator('ja'), translator('en')];
  return Object.fromEntries(MONEY_SOURCES.map((s) => [s, [ja(`fundMoney.source.${s}`), en(`fundMoney.source.${s}`)]])) as Record<MoneySource, string[]>;
}

/**
 * Stage an upload for a fund (admin only, like the rest of the treasurer's page). The same file
 * already imported into the fund creates nothing and names the batch that did.
 */
export function stageMoneyInUpload(
  db: Db,
  actor: Actor,
  fundId: number,
  upload: { fileName: string; sha256: string; table: UploadTable },
  now: Date,
  cipher: FieldCipher,
) {
  assertCan(actor, 'admin.manage');
  const { table } = upload;
  if (table.rows.length > MAX_MONEY_IN_ROWS) throw new InvalidInput({ file: 'fundsMore.import.tooManyRows' });
  return writeTransaction(db, (tx) => {
    getFund(tx, fundId);
    const earlier = tx
      .select({ id: moneyInBatches.id })
      .from(moneyInBatches)
      .where(and(eq(moneyInBatches.fundId, fundId), eq(moneyInBatches.fileSha256, upload.sha256), eq(moneyInBatches.status, 'committed')))
      .get();
    if (earlier) return { batchId: earlier.id, alreadyImported: true };
    const batch = tx
      .insert(moneyInBatches)
      .values({
        fundId,
        fileName: upload.fileName.slice(0, 200),
        fileSha256: upload.sha256,
        format: table.format,
        encoding: table.encoding,
        headers: JSON.stringify(table.headers),
        rows: '',
        rowCount: table.rows.length,
        uploadedBy: actor.userId,
        createdAt: now.toISOString(),
      })
      .returning()
      .get();
    // An export may carry donors' names and e-mails in columns nobody maps: sealed like identity (SPEC §8).
    tx.update(moneyInBatches)
      .set({ rows: cipher.encrypt(JSON.stringify(table.rows), rowsPlace(batch.id)) })
      .where(eq(moneyInBatches.id, batch.id))
      .run();
    recordAudit(tx, {
      action: 'money_in.uploaded',
      actorUserId: actor.userId,
      entityType: 'money_in_batch',
      entityId: batch.id,
      at: now,
      after: { fundId, fileSha256: upload.sha256, format: table.format, encoding: table.encoding, rows: table.rows.length },
    });
    return { batchId: batch.id, alreadyImported: false };
  });
}

/** A batch of this fund, or 404 (another fund's batch id is not there). */
export function findMoneyInBatch(tx: Tx, actor: Actor, fundId: number, id: number): MoneyInBatch {
  assertCan(actor, 'admin.manage');
  const batch = tx
    .select()
    .from(moneyInBatches)
    .where(and(eq(moneyInBatches.id, id), eq(moneyInBatches.fundId, fundId)))
    .get();
  if (!batch) throw new NotFound();
  return batch;
}

const rowsPlace = (batchId: number) => ({ table: 'money_in_batches', column: 'rows', rowId: batchId });

/** The staged rows; none once committed (only the mapped fields are kept, in money_in). */
export const stagedRows = (batch: MoneyInBatch, cipher: FieldCipher): Staged[] =>
  batch.rows === '' ? [] : (JSON.parse(cipher.decrypt(batch.rows, rowsPlace(batch.id))) as Staged[]);

function plan(tx: Tx, batch: MoneyInBatch, mapping: MoneyInMapping, cipher: FieldCipher) {
  const count = prepared(clientOf(tx), 'SELECT count(*) AS n FROM money_in_import_keys WHERE fund_id = ? AND row_key = ?');
  return planMoneyIn(batch.fundId, stagedRows(batch, cipher), mapping, sourceLabels(), (key) => (count.get(batch.fundId, key) as { n: number }).n);
}

/** The dry run: every row judged, nothing written but the verdicts (and the mapping, if named). */
export function dryRunMoneyIn(
  db: Db,
  actor: Actor,
  fundId: number,
  id: number,
  mapping: MoneyInMapping,
  saveAs: string | null,
  now: Date,
  cipher: FieldCipher,
): MoneyInPreview {
  return writeTransaction(db, (tx) => {
    const batch = findMoneyInBatch(tx, actor, fundId, id);
    if (batch.status !== 'staged') throw new Conflict('fundsMore.import.notStaged');
    const { outcomes, summary } = plan(tx, batch, mapping, cipher);
    const problems = outcomes.flatMap((o) => (o.status === 'error' ? [{ rowNumber: o.rowNumber, ...o.problem }] : [])).slice(0, 200);
    const preview: MoneyInPreview = { ...summary, problems };
    tx.update(moneyInBatches)
      .set({ mapping: JSON.stringify(mapping), preview: JSON.stringify(preview) })
      .where(eq(moneyInBatches.id, id))
      .run();
    if (saveAs) {
      const json = JSON.stringify({ ...mapping, columns: columnsByHeader(mapping.columns, JSON.parse(batch.headers) as string[]) });
      tx.insert(moneyInMappings)
        .values({ name: saveAs, mapping: json, createdBy: actor.userId, updatedAt: now.toISOString() })
        .onConflictDoUpdate({ target: moneyInMappings.name, set: { mapping: json, updatedAt: now.toISOString() } })
        .run();
    }
    return preview;
  });
}

/**
 * Every new row of the last dry run's mapping, in one transaction, or nothing: the plan is made
 * again inside it, so a row another import added meanwhile is a duplicate, not a second gift.
 */
export function commitMoneyIn(db: Db, actor: Actor, fundId: number, id: number, now: Date, cipher: FieldCipher): MoneyInSummary {
  return writeTransaction(db, (tx) => {
    const batch = findMoneyInBatch(tx, actor, fundId, id);
    if (batch.status !== 'staged') throw new Conflict('fundsMore.import.notStaged');
    if (!batch.mapping) throw new Conflict('fundsMore.import.dryRunFirst');
    const { outcomes, summary } = plan(tx, batch, JSON.parse(batch.mapping) as MoneyInMapping, cipher);
    if (summary.errors > 0) throw new Conflict('fundsMore.import.hasErrors', { count: summary.errors });
    if (summary.ok === 0) throw new Conflict('fundsMore.import.nothingNew', { duplicates: summary.duplicates });
    for (const o of outcomes) {
      if (o.status !== 'ok') continue;
      const row = tx
        .insert(moneyIn)
        .values({ fundId, ...o.value, createdBy: actor.userId, createdAt: now.toISOString() })
        .returning({ id: moneyIn.id })
        .get();
      tx.insert(moneyInImportKeys).values({ moneyInId: row.id, fundId, batchId: id, rowKey: o.key }).run();
    }
    tx.update(moneyInBatches)
      .set({ status: 'committed', committedAt: now.toISOString(), rows: '', preview: JSON.stringify({ ...summary, problems: [] }) })
      .where(eq(moneyInBatches.id, id))
      .run();
    // Labels are free text: counted, not copied into the audit trail.
    recordAudit(tx, {
      action: 'money_in.recorded',
      actorUserId: actor.userId,
      entityType: 'fund',
      entityId: fundId,
      at: now,
      after: { origin: 'import', batchId: id, rows: summary.ok, duplicates: summary.duplicates, total: summary.total },
    });
    return summary;
  });
}

export function listMoneyInMappings(tx: Tx) {
  return tx
    .select({ id: moneyInMappings.id, name: moneyInMappings.name, mapping: moneyInMappings.mapping })
    .from(moneyInMappings)
    .orderBy(asc(moneyInMappings.name))
    .all();
}

/** A saved mapping applied to this file's headers. */
export function savedMoneyInMapping(raw: string, headers: string[]): MoneyInMapping {
  const saved = JSON.parse(raw) as Omit<MoneyInMapping, 'columns'> & { columns: Record<string, string> };
  return { ...saved, columns: columnsFromHeaders(saved.columns, headers) };
}

/** Batches of a fund, newest first, for the fund page. */
export function listMoneyInBatches(tx: Tx, fundId: number) {
  return tx
    .select({
      id: moneyInBatches.id,
      fileName: moneyInBatches.fileName,
      status: moneyInBatches.status,
      rowCount: moneyInBatches.rowCount,
      createdAt: moneyInBatches.createdAt,
    })
    .from(moneyInBatches)
    .where(eq(moneyInBatches.fundId, fundId))
    .orderBy(sql`${moneyInBatches.id} DESC`)
    .limit(20)
    .all();
}
