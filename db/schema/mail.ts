import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './people.js';

export const MAIL_KINDS = ['rejection', 'receiptReminder', 'digest'] as const;
export type MailKind = (typeof MAIL_KINDS)[number];
export const MAIL_STATUSES = ['queued', 'sent', 'failed'] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];

/**
 * The transactional outbox (issue 13 §4): a mail is a row written in the same transaction as the
 * decision that causes it, sent later by the background sender. The Message-ID is derived from
 * the id, so a resend after a crash is recognisable as the same message.
 */
export const mailOutbox = sqliteTable(
  'mail_outbox',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    kind: text({ enum: MAIL_KINDS }).notNull(),
    recipientUserId: integer()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    toAddress: text().notNull(),
    subject: text().notNull(),
    body: text().notNull(),
    /** Scheduled mail (digest, reminders) carries its day: enqueued once even across restarts. */
    dedupeKey: text().unique(),
    status: text({ enum: MAIL_STATUSES }).notNull().default('queued'),
    attempts: integer().notNull().default(0),
    /** Epoch ms: the sender leaves the row alone until then (backoff after a failure). */
    nextAttemptAt: integer().notNull(),
    /** An SMTP error code only, never the server's text (it may echo an address). */
    lastError: text(),
    createdAt: integer().notNull(),
    sentAt: integer(),
  },
  (t) => [
    check('mail_outbox_kind', sql`${t.kind} IN ('rejection', 'receiptReminder', 'digest')`),
    check('mail_outbox_status', sql`${t.status} IN ('queued', 'sent', 'failed')`),
    check('mail_outbox_attempts', sql`${t.attempts} >= 0`),
    index('mail_outbox_due_idx').on(t.status, t.nextAttemptAt),
  ],
);

/** Opt-in per user: no row (or is_enabled 0) means no mail. */
export const mailPreferences = sqliteTable('mail_preferences', {
  userId: integer()
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  isEnabled: integer({ mode: 'boolean' }).notNull().default(false),
  updatedAt: text().notNull(),
});

/** One row: this installation's random id, part of every Message-ID (written by the migration). */
export const mailInstall = sqliteTable(
  'mail_install',
  {
    id: integer().primaryKey(),
    installId: text().notNull(),
  },
  (t) => [check('mail_install_single', sql`${t.id} = 1`)],
);
