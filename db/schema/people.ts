import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const ROLES = ['supporter', 'coordinator', 'auditor'] as const;
export type Role = (typeof ROLES)[number];
/** UI languages (server/i18n/locales/<lang>/). ja-x-easy is やさしい日本語. */
export const LOCALES = ['ja', 'ja-x-easy', 'en', 'vi', 'zh-Hans', 'fil', 'pt-BR', 'ne'] as const;
export type Locale = (typeof LOCALES)[number];

const nowIso = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;

export const organizations = sqliteTable(
  'organizations',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    /** Short code used in case codes (TKY-2025-0042): 2–6 capital letters. */
    code: text().notNull().unique(),
    name: text().notNull(),
    prefecture: text(),
    isActive: integer({ mode: 'boolean' }).notNull().default(true),
    createdAt: text().notNull().default(nowIso),
  },
  (t) => [check('organizations_code_format', sql`${t.code} GLOB '[A-Z][A-Z]*' AND length(${t.code}) BETWEEN 2 AND 6`)],
);

export const users = sqliteTable(
  'users',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    organizationId: integer()
      .notNull()
      .references(() => organizations.id),
    /** Stored lower-cased; the login. */
    email: text().notNull().unique(),
    displayName: text().notNull(),
    role: text({ enum: ROLES }).notNull(),
    isAdmin: integer({ mode: 'boolean' }).notNull().default(false),
    passwordHash: text().notNull(),
    mustChangePassword: integer({ mode: 'boolean' }).notNull().default(false),
    locale: text({ enum: LOCALES }).notNull().default('ja'),
    isActive: integer({ mode: 'boolean' }).notNull().default(true),
    createdAt: text().notNull().default(nowIso),
    updatedAt: text().notNull().default(nowIso),
  },
  (t) => [
    check('users_role', sql`${t.role} IN ('supporter', 'coordinator', 'auditor')`),
    check('users_locale', sql`${t.locale} IN ('ja', 'ja-x-easy', 'en', 'vi', 'zh-Hans', 'fil', 'pt-BR', 'ne')`),
    check('users_admin_is_coordinator', sql`${t.isAdmin} = 0 OR ${t.role} = 'coordinator'`),
    index('users_organization_idx').on(t.organizationId),
  ],
);

export const sessions = sqliteTable(
  'sessions',
  {
    /** SHA-256 (hex) of the token in the cookie; the token itself is never stored. */
    id: text().primaryKey(),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** Epoch milliseconds, for cheap expiry arithmetic. */
    createdAt: integer().notNull(),
    lastSeenAt: integer().notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/** Failed sign-in counters, per IP and per account, kept across restarts. */
export const loginThrottles = sqliteTable(
  'login_throttles',
  {
    /** 'ip:<address>' or 'account:<email>' */
    key: text().primaryKey(),
    failures: integer().notNull().default(0),
    windowStartedAt: integer().notNull(),
    lockedUntil: integer(),
  },
  (t) => [check('login_throttles_failures', sql`${t.failures} >= 0`)],
);

export const idempotencyKeys = sqliteTable(
  'idempotency_keys',
  {
    key: text().primaryKey(),
    userId: integer()
      .notNull()
      .references(() => users.id),
    /** SHA-256 of the canonical request body: the same key with other content is refused. */
    requestHash: text().notNull(),
    responseLocation: text().notNull(),
    createdAt: integer().notNull(),
  },
  (t) => [index('idempotency_created_idx').on(t.createdAt)],
);
