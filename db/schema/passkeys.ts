import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './people.js';

/** A WebAuthn credential a user registered as a second factor (public key only: nothing secret here). */
export const passkeys = sqliteTable(
  'passkeys',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** base64url of the authenticator's credential id. */
    credentialId: text().notNull().unique(),
    /** base64 of the COSE public key as the authenticator sent it. */
    publicKey: text().notNull(),
    /** COSE algorithm: -7 (ES256) or -257 (RS256). */
    algorithm: integer().notNull(),
    /** The last signature counter seen; a lower or equal non-zero one is a cloned authenticator. */
    signCount: integer().notNull().default(0),
    name: text().notNull(),
    createdAt: integer().notNull(),
    lastUsedAt: integer(),
  },
  (t) => [index('passkeys_user_idx').on(t.userId), check('passkeys_algorithm', sql`${t.algorithm} IN (-7, -257)`)],
);

/** A challenge handed to the browser: good once, for one user and one purpose, for a few minutes. */
export const webauthnChallenges = sqliteTable(
  'webauthn_challenges',
  {
    /** base64url of 32 random bytes. */
    challenge: text().primaryKey(),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: text().notNull(),
    expiresAt: integer().notNull(),
  },
  (t) => [check('webauthn_challenges_purpose', sql`${t.purpose} IN ('register', 'sign_in')`)],
);
