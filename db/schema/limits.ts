import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { categories, disbursements, funds } from './money.js';
import { users } from './people.js';

/** Why a record was submitted past a warning; the reviewer sees it. */
export const DISBURSEMENT_FLAG_KINDS = ['over_cap', 'duplicate', 'overdraw'] as const;
export type DisbursementFlagKind = (typeof DISBURSEMENT_FLAG_KINDS)[number];

const nowIso = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;
const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));

/** Per fund and category: at most `amount` yen per case within any `periodDays` days. */
export const categoryCaps = sqliteTable(
  'category_caps',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    fundId: integer()
      .notNull()
      .references(() => funds.id),
    categoryId: integer()
      .notNull()
      .references(() => categories.id),
    amount: integer().notNull(),
    periodDays: integer().notNull(),
    createdBy: integer()
      .notNull()
      .references(() => users.id),
    createdAt: text().notNull().default(nowIso),
  },
  (t) => [
    check('category_caps_amount', sql`${t.amount} BETWEEN 1 AND 100000000`),
    check('category_caps_days', sql`${t.periodDays} BETWEEN 1 AND 3660`),
    uniqueIndex('category_caps_fund_category_idx').on(t.fundId, t.categoryId),
  ],
);

/** A warning the submitter saw and went past, with their reason (never silently). */
export const disbursementFlags = sqliteTable(
  'disbursement_flags',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    disbursementId: integer()
      .notNull()
      .references(() => disbursements.id),
    kind: text({ enum: DISBURSEMENT_FLAG_KINDS }).notNull(),
    /** What the rule found, for the reviewer: e.g. the cap and the total, or the other record's id. */
    detail: text().notNull(),
    reason: text(),
    createdAt: text().notNull().default(nowIso),
  },
  (t) => [
    check('disbursement_flags_kind', sql`${t.kind} IN (${inList(DISBURSEMENT_FLAG_KINDS)})`),
    check('disbursement_flags_reason', sql`${t.kind} NOT IN ('over_cap', 'overdraw') OR coalesce(length(trim(${t.reason})), 0) > 0`),
    uniqueIndex('disbursement_flags_kind_idx').on(t.disbursementId, t.kind),
    index('disbursement_flags_kind_only_idx').on(t.kind),
  ],
);
