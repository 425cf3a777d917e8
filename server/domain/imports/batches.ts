import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { writeTransaction, type Db, type Tx } from '../../../db/client.js';
import { importBatches, importMappings, organizations, users } from '../../../db/schema.js';
import type { ImportMapping } from '../../forms/import-row.js';
import { assertVisible, can, scopeTo, type Actor } from '../actor.js';
import { recordAudit } from '../audit.js';
import { Forbidden, InvalidInput } from '../errors.js';
import type { FieldCipher } from '../field-crypto.js';
import { clientOf, prepared } from '../figures/sql.js';
import type { SheetRow, UploadTable } from './read-upload.js';
import { columnsByHeader, columnsFromHeaders } from './saved-columns.js';

export type ImportBatch = typeof importBatches.$inferSelect;

/** Importing makes cases and disbursements: whoever may make both for the organization may import. */
export function mayImport(actor: Actor, organizationId: number): boolean {
  return can(actor, 'disbursement.create', { organizationId }) && can(actor, 'case.create', { organizationId });
}

export function assertMayImport(actor: Actor, organizationId?: number): void {
  if (!mayImport(actor, organizationId ?? actor.organizationId)) throw new Forbidden();
}

/** A batch through the actor's scope (another group's is the same 404 as a missing one). */
export function findBatchFor(tx: Tx, actor: Actor, id: number): ImportBatch {
  const batch = assertVisible(
    actor,
    tx
      .select()
      .from(importBatches)
      .where(and(eq(importBatches.id, id), scopeTo(actor, importBatches.organizationId)))
      .get(),
  );
  assertMayImport(actor, batch.organizationId);
  return batch;
}

export function listBatchesFor(tx: Tx, actor: Actor) {
  assertMayImport(actor);
  return tx
    .select({ batch: importBatches, organizationName: organizations.name, uploadedByName: users.displayName })
    .from(importBatches)
    .innerJoin(organizations, eq(organizations.id, importBatches.organizationId))
    .innerJoin(users, eq(users.id, importBatches.uploadedBy))
    .where(scopeTo(actor, importBatches.organizationId))
    .orderBy(desc(importBatches.createdAt), desc(importBatches.id))
    .limit(100)
    .all();
}

/** Organizations the actor may import for: a supporter its own, a coordinator any active one. */
export function listImportOrganizations(tx: Tx, actor: Actor) {
  assertMayImport(actor);
  return tx
    .select({ id: organizations.id, name: organizations.name })
    .from(organizations)
    .where(and(eq(organizations.isActive, true), scopeTo(actor, organizations.id)))
    .orderBy(asc(organizations.code))
    .all();
}

export interface NewUpload {
  organizationId: number;
  fileName: string;
  sha256: string;
  table: UploadTable;
}

/**
 * Stage a parsed upload: the batch and its rows, so mapping and dry run survive page loads.
 * The same file already imported for the organization creates nothing and names the batch that did.
 */
export function stageUpload(db: Db, actor: Actor, upload: NewUpload, now: Date, cipher: FieldCipher): { batchId: number; alreadyImported: boolean } {
  assertMayImport(actor, upload.organizationId);
  return writeTransaction(db, (tx) => {
    const org = tx.select().from(organizations).where(eq(organizations.id, upload.organizationId)).get();
    if (!org || !org.isActive) throw new InvalidInput({ organizationId: 'validation.invalidChoice' });
    const earlier = tx
      .select({ id: importBatches.id })
      .from(importBatches)
      .where(
        and(
          eq(importBatches.organizationId, upload.organizationId),
          eq(importBatches.fileSha256, upload.sha256),
          inArray(importBatches.status, ['committed', 'confirmed']),
        ),
      )
      .get();
    if (earlier) return { batchId: earlier.id, alreadyImported: true };
    const { table } = upload;
    const batch = tx
      .insert(importBatches)
      .values({
        organizationId: upload.organizationId,
        uploadedBy: actor.userId,
        fileName: upload.fileName.slice(0, 200),
        fileSha256: upload.sha256,
        format: table.format,
        encoding: table.encoding,
        sheetName: table.sheetName,
        headers: JSON.stringify(table.headers),
        rowCount: table.rows.length,
        createdAt: now.toISOString(),
      })
      .returning()
      .get();
    const insert = prepared(clientOf(tx), 'INSERT INTO import_rows (batch_id, row_number, cells) VALUES (?, ?, ?)');
    // A sheet may hold names and phone numbers: staged cells are sealed like identifying fields (SPEC §8).
    for (const row of table.rows) insert.run(batch.id, row.rowNumber, sealCells(cipher, batch.id, row.cells));
    recordAudit(tx, {
      action: 'import.uploaded',
      actorUserId: actor.userId,
      entityType: 'import_batch',
      entityId: batch.id,
      at: now,
      after: {
        organizationId: batch.organizationId,
        fileName: batch.fileName,
        fileSha256: batch.fileSha256,
        format: batch.format,
        encoding: batch.encoding,
        sheet: batch.sheetName,
        rows: batch.rowCount,
      },
    });
    return { batchId: batch.id, alreadyImported: false };
  });
}

/**
 * The staged rows of a batch in sheet order, read and decrypted a page at a time: a 50,000-row
 * batch is never held whole (the caller keeps what it needs of each row). Each page is read to
 * the end before a row is yielded, so the caller may run other statements on the connection.
 */
export function* stagedRows(tx: Tx, batchId: number, cipher: FieldCipher, pageSize = 1000): Generator<SheetRow> {
  const page = prepared(
    clientOf(tx),
    'SELECT row_number AS rowNumber, cells FROM import_rows WHERE batch_id = ? AND row_number > ? ORDER BY row_number LIMIT ?',
  );
  let after = -1;
  for (;;) {
    const raw = page.all(batchId, after, pageSize) as { rowNumber: number; cells: string }[];
    for (const r of raw) yield { rowNumber: r.rowNumber, cells: JSON.parse(cipher.decrypt(r.cells, cellsPlace(batchId))) as string[] };
    if (raw.length < pageSize) return;
    after = raw[raw.length - 1]!.rowNumber;
  }
}

const cellsPlace = (batchId: number) => ({ table: 'import_rows', column: 'cells', rowId: batchId });
const sealCells = (cipher: FieldCipher, batchId: number, cells: string[]) => cipher.encrypt(JSON.stringify(cells), cellsPlace(batchId));

/** Counts the distinct words of one column as rows go by (for the "your words → categories" table). */
export function wordCounter(column: number | undefined) {
  const counts = new Map<string, number>();
  return {
    add(cells: string[]) {
      if (column === undefined) return;
      const v = (cells[column] ?? '').trim();
      if (v !== '') counts.set(v, (counts.get(v) ?? 0) + 1);
    },
    /** Most frequent first. */
    top: (limit: number) =>
      [...counts]
        .sort((a, b) => b[1] - a[1])
        .slice(0, limit)
        .map(([v]) => v),
  };
}

/** The distinct words of one column, most frequent first. */
export function distinctColumnValues(rows: Iterable<{ cells: string[] }>, column: number | undefined, limit = 60): string[] {
  const counter = wordCounter(column);
  for (const r of rows) counter.add(r.cells);
  return counter.top(limit);
}

export function listSavedMappings(tx: Tx, organizationId: number) {
  return tx
    .select({ id: importMappings.id, name: importMappings.name, mapping: importMappings.mapping })
    .from(importMappings)
    .where(eq(importMappings.organizationId, organizationId))
    .orderBy(asc(importMappings.name))
    .all();
}

/** A saved mapping names columns by header text, so it applies to the next file whatever the column order. */
export interface SavedMapping extends Omit<ImportMapping, 'columns'> {
  columns: Record<string, string>;
}

export function toSaved(mapping: ImportMapping, headers: string[]): SavedMapping {
  return { ...mapping, columns: columnsByHeader(mapping.columns, headers) };
}

export function fromSaved(saved: SavedMapping, headers: string[]): ImportMapping {
  return { ...saved, columns: columnsFromHeaders(saved.columns, headers) };
}

export function saveMapping(tx: Tx, actor: Actor, batch: ImportBatch, name: string, mapping: ImportMapping, now: Date): void {
  const json = JSON.stringify(toSaved(mapping, JSON.parse(batch.headers) as string[]));
  tx.insert(importMappings)
    .values({ organizationId: batch.organizationId, name, mapping: json, createdBy: actor.userId, updatedAt: now.toISOString() })
    .onConflictDoUpdate({ target: [importMappings.organizationId, importMappings.name], set: { mapping: json, updatedAt: now.toISOString() } })
    .run();
}
