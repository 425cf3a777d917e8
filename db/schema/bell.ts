import { sql } from 'drizzle-orm';
import { check, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './people.js';

export const BELL_KINDS = ['rejected', 'missing', 'pending', 'secondApproval', 'personMatches'] as const;
export type BellKind = (typeof BELL_KINDS)[number];

/** The bell's read state: per user and kind, everything up to seen_at has been looked at. */
export const bellSeen = sqliteTable(
  'bell_seen',
  {
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text({ enum: BELL_KINDS }).notNull(),
    /** ISO instant, comparable with decided_at / submitted_at / approved_at. */
    seenAt: text().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.kind] }),
    check('bell_seen_kind', sql`${t.kind} IN ('rejected', 'missing', 'pending', 'secondApproval', 'personMatches')`),
  ],
);
