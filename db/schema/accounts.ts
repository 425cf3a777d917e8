import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { sessions, users } from './people.js';

/** A user's TOTP factor; the secret is sealed with the field cipher (place: second_factors.totp_secret#userId). */
export const secondFactors = sqliteTable('second_factors', {
  userId: integer()
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  totpSecretEnc: text().notNull(),
  /** Null while enrolment waits for its first code. Epoch ms. */
  confirmedAt: integer(),
  /** The last 30-second step accepted: a code is good once (no replay inside its window). */
  lastUsedStep: integer(),
  createdAt: integer().notNull(),
});

/** One-time recovery codes, only their SHA-256 kept (they carry 80 random bits). */
export const recoveryCodes = sqliteTable(
  'recovery_codes',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text().notNull().unique(),
    usedAt: integer(),
  },
  (t) => [index('recovery_codes_user_idx').on(t.userId)],
);

/**
 * What the account page shows about a session (device family, IP prefix: never the full
 * address or User-Agent) and whether it still waits for the second factor.
 */
export const sessionDetails = sqliteTable(
  'session_details',
  {
    /** A public handle for the revoke form; the session id itself stays server-side. */
    id: integer().primaryKey({ autoIncrement: true }),
    sessionId: text()
      .notNull()
      .unique()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    device: text().notNull(),
    ipPrefix: text().notNull(),
    /** 'verify' or 'enrol' while half-authenticated; null once the second factor passed (or none needed). */
    factorStage: text(),
  },
  (t) => [check('session_details_stage', sql`${t.factorStage} IS NULL OR ${t.factorStage} IN ('verify', 'enrol')`)],
);
