import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { cases } from './cases.js';
import { disbursements } from './money.js';
import { organizations, users } from './people.js';

/** staged: uploaded, being mapped and dry-run; committed: records written (pending); confirmed: approved by a second coordinator; undone: withdrawn/voided as a unit. */
export const IMPORT_STATUSES = ['staged', 'committed', 'confirmed', 'undone'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

const nowIso = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;
const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));

export const importBatches = sqliteTable(
  'import_batches',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    organizationId: integer()
      .notNull()
      .references(() => organizations.id),
    uploadedBy: integer()
      .notNull()
      .references(() => users.id),
    /** The client's file name, shown back to the user; never used as a path. */
    fileName: text().notNull(),
    fileSha256: text().notNull(),
    format: text({ enum: ['xlsx', 'csv'] }).notNull(),
    /** For CSV: utf-8, utf-8-bom or shift_jis; null for workbooks. */
    encoding: text(),
    sheetName: text(),
    /** JSON: the header row as read. */
    headers: text().notNull(),
    rowCount: integer().notNull(),
    /** JSON: the mapping last applied (columns, category and method words, defaults). */
    mapping: text(),
    /** JSON: the last dry run's counts and totals. */
    preview: text(),
    status: text({ enum: IMPORT_STATUSES }).notNull().default('staged'),
    createdAt: text().notNull().default(nowIso),
    committedAt: text(),
    confirmedBy: integer().references(() => users.id),
    confirmedAt: text(),
    undoneBy: integer().references(() => users.id),
    undoneAt: text(),
    undoReason: text(),
  },
  (t) => [
    check('import_batches_status', sql`${t.status} IN (${inList(IMPORT_STATUSES)})`),
    check('import_batches_rows', sql`${t.rowCount} BETWEEN 0 AND 50000`),
    check('import_batches_undo_reason', sql`${t.status} <> 'undone' OR coalesce(length(trim(${t.undoReason})), 0) > 0`),
    index('import_batches_org_file_idx').on(t.organizationId, t.fileSha256),
    index('import_batches_org_created_idx').on(t.organizationId, t.createdAt),
  ],
);

/** The parsed rows of a batch, staged so the steps survive page loads; linked to what they became. */
export const importRows = sqliteTable(
  'import_rows',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    batchId: integer()
      .notNull()
      .references(() => importBatches.id),
    /** The row's number in the sheet or file (1 = the first line), as the user sees it. */
    rowNumber: integer().notNull(),
    /** The cells as a JSON array of text, sealed with field-crypto: a sheet may hold names (SPEC §8). */
    cells: text().notNull(),
    /** Keyed digest of the row's mapped content (set by the dry run): the same row twice is imported once. */
    rowHash: text(),
    /** JSON {field, key, params} of the dry run's refusal, or null. */
    problem: text(),
    isDuplicate: integer({ mode: 'boolean' }).notNull().default(false),
    disbursementId: integer().references(() => disbursements.id),
    /** The sheet's 状態 said 承認待ち: confirming the batch leaves this row's record pending. */
    staysPending: integer({ mode: 'boolean' }).notNull().default(false),
  },
  (t) => [uniqueIndex('import_rows_batch_row_idx').on(t.batchId, t.rowNumber), index('import_rows_hash_idx').on(t.rowHash)],
);

/** The group's own case numbers (ケース番号 in their sheet), matched to cases on later imports. */
export const importCaseRefs = sqliteTable(
  'import_case_refs',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    organizationId: integer()
      .notNull()
      .references(() => organizations.id),
    externalCode: text().notNull(),
    caseId: integer()
      .notNull()
      .references(() => cases.id),
    batchId: integer()
      .notNull()
      .references(() => importBatches.id),
  },
  (t) => [uniqueIndex('import_case_refs_org_code_idx').on(t.organizationId, t.externalCode)],
);

/** A mapping saved by name, reused for the next file of the same layout. */
export const importMappings = sqliteTable(
  'import_mappings',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    organizationId: integer()
      .notNull()
      .references(() => organizations.id),
    name: text().notNull(),
    mapping: text().notNull(),
    createdBy: integer()
      .notNull()
      .references(() => users.id),
    updatedAt: text().notNull().default(nowIso),
  },
  (t) => [uniqueIndex('import_mappings_org_name_idx').on(t.organizationId, t.name)],
);
