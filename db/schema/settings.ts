import { sql } from 'drizzle-orm';
import { check, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './people.js';

/**
 * Keys that must outlive a DATA_KEY rotation (the audit chain's MAC key), stored sealed with the
 * field cipher under DATA_KEY; keys:rotate re-seals them, so the key itself never changes.
 */
export const wrappedKeys = sqliteTable('wrapped_keys', {
  purpose: text().primaryKey(),
  sealed: text().notNull(),
  updatedAt: text().notNull(),
});

/** Network-wide settings an admin changes on /admin/security (one row; none: the configured defaults). */
export const networkSettings = sqliteTable(
  'network_settings',
  {
    id: integer().primaryKey(),
    requireSecondFactor: integer({ mode: 'boolean' }).notNull(),
    updatedBy: integer().references(() => users.id),
    updatedAt: text().notNull(),
  },
  (t) => [check('network_settings_single_row', sql`${t.id} = 1`)],
);
