import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { sessions } from './people.js';

/**
 * A receipt already checked and cleaned, held for the session that sent it while its form is
 * corrected (issue 16 §1). The file lives under DATA_DIR/held-receipts; rows and files go after an
 * hour, on submit, or with the session.
 */
export const uploadTokens = sqliteTable(
  'upload_tokens',
  {
    /** SHA-256 (hex) of the token in the form; the token itself is never stored. */
    id: text().primaryKey(),
    sessionId: text()
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    storageName: text().notNull().unique(),
    mediaType: text().notNull(),
    byteSize: integer().notNull(),
    /** SHA-256 of what the client first sent: the form key's fingerprint stays the same on resubmit. */
    sourceSha256: text().notNull(),
    /** Epoch milliseconds. */
    createdAt: integer().notNull(),
    expiresAt: integer().notNull(),
  },
  (t) => [
    check('upload_tokens_media_type', sql`${t.mediaType} IN ('image/jpeg', 'image/png', 'image/webp', 'application/pdf')`),
    check('upload_tokens_size', sql`${t.byteSize} > 0`),
    index('upload_tokens_session_idx').on(t.sessionId),
    index('upload_tokens_expires_idx').on(t.expiresAt),
  ],
);
