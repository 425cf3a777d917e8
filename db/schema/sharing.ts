import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './people.js';

const nowIso = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;
const isDate = (column: unknown) => sql`${column} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'`;

/**
 * A link to the public summary of a fixed period (feature row 33). Only the SHA-256 of the token
 * is kept: whoever reads the database cannot open the links. Openings are a counter, not a log.
 */
export const shareLinks = sqliteTable(
  'share_links',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    tokenHash: text().notNull().unique(),
    periodFrom: text().notNull(),
    periodTo: text().notNull(),
    /** ISO instant; the link answers 410 from then on. */
    expiresAt: text().notNull(),
    createdBy: integer()
      .notNull()
      .references(() => users.id),
    createdAt: text().notNull().default(nowIso),
    revokedBy: integer().references(() => users.id),
    revokedAt: text(),
    openCount: integer().notNull().default(0),
  },
  (t) => [
    check('share_links_period', sql`${isDate(t.periodFrom)} AND ${isDate(t.periodTo)} AND ${t.periodFrom} <= ${t.periodTo}`),
    check('share_links_token_hash', sql`length(${t.tokenHash}) = 64`),
    check('share_links_open_count', sql`${t.openCount} >= 0`),
    check('share_links_revoked', sql`(${t.revokedAt} IS NULL) = (${t.revokedBy} IS NULL)`),
    index('share_links_created_idx').on(t.createdAt),
  ],
);
