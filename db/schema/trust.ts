import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './people.js';

export const auditEvents = sqliteTable(
  'audit_events',
  {
    /** Also the chain order. */
    id: integer().primaryKey({ autoIncrement: true }),
    occurredAt: text().notNull(),
    /** Null for events with no signed-in actor (a failed sign-in, a script). */
    actorUserId: integer().references(() => users.id),
    /** Stable event name, e.g. 'disbursement.approved'. */
    action: text().notNull(),
    entityType: text().notNull(),
    entityId: text(),
    /** Allow-listed fields only, JSON; identifying case fields appear only as '[encrypted]'. */
    before: text(),
    after: text(),
    prevHash: text().notNull(),
    hash: text().notNull().unique(),
  },
  (t) => [index('audit_occurred_idx').on(t.occurredAt), index('audit_entity_idx').on(t.entityType, t.entityId), index('audit_actor_idx').on(t.actorUserId)],
);

export const periodLocks = sqliteTable(
  'period_locks',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    startsOn: text().notNull(),
    endsOn: text().notNull(),
    note: text().notNull(),
    lockedBy: integer()
      .notNull()
      .references(() => users.id),
    lockedAt: text().notNull(),
    unlockedBy: integer().references(() => users.id),
    unlockedAt: text(),
    unlockReason: text(),
  },
  (t) => [
    check('period_locks_range', sql`${t.startsOn} <= ${t.endsOn}`),
    check('period_locks_unlock_reason', sql`${t.unlockedAt} IS NULL OR coalesce(length(trim(${t.unlockReason})), 0) > 0`),
    index('period_locks_range_idx').on(t.startsOn, t.endsOn),
  ],
);
