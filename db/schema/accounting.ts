import { sql } from 'drizzle-orm';
import { check, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './people.js';

/**
 * 管理 → 会計連携: the accountant's names for our categories, methods and funds.
 * subject 'category' (key = category code) → 勘定科目 (debit); 'method' (key = method code) and
 * 'fund' (key = fund id) → 口座 / 貸方科目 (a fund's own account wins over its method's).
 * A missing row means the built-in default (exports/accounting-map.ts).
 */
export const accountingAccounts = sqliteTable(
  'accounting_accounts',
  {
    subject: text({ enum: ['category', 'method', 'fund'] }).notNull(),
    subjectKey: text().notNull(),
    account: text().notNull(),
    updatedBy: integer().references(() => users.id),
    updatedAt: text()
      .notNull()
      .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`),
  },
  (t) => [
    primaryKey({ columns: [t.subject, t.subjectKey] }),
    check('accounting_accounts_subject', sql`${t.subject} IN ('category', 'method', 'fund')`),
    check('accounting_accounts_account', sql`length(trim(${t.account})) BETWEEN 1 AND 64`),
  ],
);
