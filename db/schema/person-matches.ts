import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { cases } from './cases.js';
import { organizations, users } from './people.js';

export const MATCH_DECISIONS = ['same', 'different'] as const;
export type MatchDecision = (typeof MATCH_DECISIONS)[number];

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));

/** A keyed digest of a case's normalized identity parts; never the parts themselves (issue 14 ★). */
export const identityFingerprints = sqliteTable(
  'identity_fingerprints',
  {
    caseId: integer()
      .primaryKey()
      .references(() => cases.id),
    organizationId: integer()
      .notNull()
      .references(() => organizations.id),
    fingerprint: text().notNull(),
    updatedAt: text().notNull(),
  },
  (t) => [index('identity_fingerprints_fp_idx').on(t.fingerprint, t.organizationId)],
);

/** A coordinator's decision on a possible match between two cases of different groups (lower id first). */
export const personMatchDecisions = sqliteTable(
  'person_match_decisions',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    caseA: integer()
      .notNull()
      .references(() => cases.id),
    caseB: integer()
      .notNull()
      .references(() => cases.id),
    decision: text({ enum: MATCH_DECISIONS }).notNull(),
    decidedBy: integer()
      .notNull()
      .references(() => users.id),
    decidedAt: text().notNull(),
  },
  (t) => [
    check('person_match_order', sql`${t.caseA} < ${t.caseB}`),
    check('person_match_decision', sql`${t.decision} IN (${inList(MATCH_DECISIONS)})`),
    uniqueIndex('person_match_pair_idx').on(t.caseA, t.caseB),
  ],
);
