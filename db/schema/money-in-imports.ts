import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { moneyIn } from './fund-money.js';
import { funds } from './money.js';
import { users } from './people.js';

const nowIso = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;

/**
 * A donation platform's export, staged between upload, mapping, dry run and commit (issue 14 §3).
 * Its cells may name donors in columns nobody maps: they are sealed, and dropped at commit.
 */
export const moneyInBatches = sqliteTable(
  'money_in_batches',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    fundId: integer()
      .notNull()
      .references(() => funds.id),
    fileName: text().notNull(),
    fileSha256: text().notNull(),
    format: text({ enum: ['csv', 'xlsx'] }).notNull(),
    encoding: text(),
    /** JSON: the header row's cells. */
    headers: text().notNull(),
    /** Sealed JSON [{ rowNumber, cells }] while staged; '' once committed. */
    rows: text().notNull(),
    rowCount: integer().notNull(),
    /** JSON: the mapping of the last dry run. */
    mapping: text(),
    /** JSON: the last dry run's summary and per-row problems. */
    preview: text(),
    status: text({ enum: ['staged', 'committed'] })
      .notNull()
      .default('staged'),
    uploadedBy: integer()
      .notNull()
      .references(() => users.id),
    createdAt: text().notNull().default(nowIso),
    committedAt: text(),
  },
  (t) => [check('money_in_batches_status', sql`${t.status} IN ('staged', 'committed')`), index('money_in_batches_fund_idx').on(t.fundId, t.fileSha256)],
);

/** Which imported row made each money-in record: the key lets a re-uploaded or overlapping export skip rows already in. */
export const moneyInImportKeys = sqliteTable(
  'money_in_import_keys',
  {
    moneyInId: integer()
      .primaryKey()
      .references(() => moneyIn.id),
    fundId: integer()
      .notNull()
      .references(() => funds.id),
    batchId: integer()
      .notNull()
      .references(() => moneyInBatches.id),
    /** sha256 of the row's meaning (date, amount, source, label), not its position in the file. */
    rowKey: text().notNull(),
  },
  (t) => [index('money_in_import_keys_fund_key_idx').on(t.fundId, t.rowKey)],
);

/** A named column mapping for the platform's export, reused on the next file whatever the column order. */
export const moneyInMappings = sqliteTable(
  'money_in_mappings',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    name: text().notNull(),
    mapping: text().notNull(),
    createdBy: integer()
      .notNull()
      .references(() => users.id),
    updatedAt: text().notNull().default(nowIso),
  },
  (t) => [uniqueIndex('money_in_mappings_name_idx').on(t.name)],
);
