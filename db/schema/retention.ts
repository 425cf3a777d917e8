import { sql } from 'drizzle-orm';
import { check, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { cases } from './cases.js';
import { receipts } from './money.js';
import { organizations, users } from './people.js';

/** How long a closed case keeps its identity, per organization (no row: the default). */
export const retentionPolicies = sqliteTable(
  'retention_policies',
  {
    organizationId: integer()
      .primaryKey()
      .references(() => organizations.id),
    identityYears: integer().notNull(),
    /** Receipt files of erased cases go after this many years from the payment (bookkeeping: 7). */
    receiptYears: integer().notNull().default(7),
  },
  (t) => [
    check('retention_identity_years', sql`${t.identityYears} BETWEEN 1 AND 50`),
    check('retention_receipt_years', sql`${t.receiptYears} BETWEEN 7 AND 50`),
  ],
);

/** Receipt files deleted by the retention job; the row (type, size, digest) stays for the books. */
export const receiptErasures = sqliteTable('receipt_erasures', {
  receiptId: integer()
    .primaryKey()
    .references(() => receipts.id),
  erasedAt: text().notNull(),
});

/** One row per case whose identity was erased: the fact stays, never the data. */
export const casePurges = sqliteTable(
  'case_purges',
  {
    caseId: integer()
      .primaryKey()
      .references(() => cases.id),
    purgedAt: text().notNull(),
    /** 'retention' (the daily job) or 'request' (the person asked to be forgotten). */
    kind: text().notNull(),
    purgedBy: integer().references(() => users.id),
  },
  (t) => [check('case_purges_kind', sql`${t.kind} IN ('retention', 'request')`)],
);

/** Per organization: may its own supporters see identity without a reason (the default), or must they give one too? */
export const revealPolicies = sqliteTable('reveal_policies', {
  organizationId: integer()
    .primaryKey()
    .references(() => organizations.id),
  ownerNeedsReason: integer({ mode: 'boolean' }).notNull().default(false),
});
