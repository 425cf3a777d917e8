import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { categories, funds } from './money.js';
import { users } from './people.js';

/** Where money in came from; who gave it is the donation platform's to hold, never ours. */
export const MONEY_SOURCES = ['individual', 'grant', 'corporate', 'other'] as const;
export type MoneySource = (typeof MONEY_SOURCES)[number];

const nowIso = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;
const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));
const isDate = (column: unknown) => sql`${column} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'`;

/** Money received into a fund: a donation, a grant instalment, a corporate gift. */
export const moneyIn = sqliteTable(
  'money_in',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    fundId: integer()
      .notNull()
      .references(() => funds.id),
    receivedOn: text().notNull(),
    amount: integer().notNull(),
    source: text({ enum: MONEY_SOURCES }).notNull(),
    /** A free label (campaign name, grant reference); never a donor's name. */
    label: text(),
    createdBy: integer()
      .notNull()
      .references(() => users.id),
    createdAt: text().notNull().default(nowIso),
  },
  (t) => [
    check('money_in_amount', sql`${t.amount} BETWEEN 1 AND 10000000000`),
    check('money_in_source', sql`${t.source} IN (${inList(MONEY_SOURCES)})`),
    check('money_in_date', isDate(t.receivedOn)),
    index('money_in_fund_idx').on(t.fundId, t.receivedOn),
  ],
);

/** A category's budget within a fund for a period. */
export const categoryBudgets = sqliteTable(
  'category_budgets',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    fundId: integer()
      .notNull()
      .references(() => funds.id),
    categoryId: integer()
      .notNull()
      .references(() => categories.id),
    amount: integer().notNull(),
    createdBy: integer()
      .notNull()
      .references(() => users.id),
  },
  (t) => [
    check('category_budgets_amount', sql`${t.amount} BETWEEN 1 AND 10000000000`),
    uniqueIndex('category_budgets_fund_category_idx').on(t.fundId, t.categoryId),
  ],
);

/** A campaign target (e.g. 最低300万円 by a date); shown publicly only when opted in. */
export const fundTargets = sqliteTable(
  'fund_targets',
  {
    fundId: integer()
      .primaryKey()
      .references(() => funds.id),
    amount: integer().notNull(),
    dueOn: text(),
    isPublic: integer({ mode: 'boolean' }).notNull().default(false),
  },
  (t) => [check('fund_targets_amount', sql`${t.amount} BETWEEN 1 AND 10000000000`), check('fund_targets_due', sql`${t.dueOn} IS NULL OR ${isDate(t.dueOn)}`)],
);
