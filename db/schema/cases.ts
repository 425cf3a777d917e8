import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { organizations, users } from './people.js';

export const GENDERS = ['female', 'male', 'nonbinary', 'unknown'] as const;
export const AGE_BANDS = ['0-17', '18-29', '30-49', '50-64', '65+'] as const;
export const RESIDENCE_STATUSES = [
  'refugee_applicant',
  'provisional_release',
  'no_status',
  'designated_activities',
  'technical_intern',
  'specified_skilled',
  'student',
  'dependent',
  'long_term_resident',
  'permanent_resident',
  'spouse_of_japanese',
  'other',
  'unknown',
] as const;
export const CASE_STATUSES = ['open', 'closed'] as const;

const nowIso = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;
const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));

export const cases = sqliteTable(
  'cases',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    organizationId: integer()
      .notNull()
      .references(() => organizations.id),
    /** ORG-YYYY-NNNN: no personal data. */
    code: text().notNull().unique(),
    codeYear: integer().notNull(),
    codeSeq: integer().notNull(),
    householdSize: integer().notNull(),
    gender: text({ enum: GENDERS }),
    ageBand: text({ enum: AGE_BANDS }),
    /** ISO 3166-1 alpha-2, or 'unknown'. */
    nationality: text(),
    residenceStatus: text({ enum: RESIDENCE_STATUSES }),
    /** JIS prefecture code '01'..'47', or 'unknown'. */
    prefecture: text(),
    /** Identifying fields: AES-256-GCM ciphertext (see server/domain/field-crypto.ts), never clear. */
    aliasEnc: text(),
    contactEnc: text(),
    notesEnc: text(),
    /** Keyed HMAC of the normalized alias, so a case can be found by alias without decrypting all. */
    aliasIndex: text(),
    status: text({ enum: CASE_STATUSES }).notNull().default('open'),
    openedOn: text().notNull(),
    closedOn: text(),
    createdBy: integer()
      .notNull()
      .references(() => users.id),
    createdAt: text().notNull().default(nowIso),
    updatedAt: text().notNull().default(nowIso),
  },
  (t) => [
    uniqueIndex('cases_org_year_seq_idx').on(t.organizationId, t.codeYear, t.codeSeq),
    index('cases_alias_index_idx').on(t.organizationId, t.aliasIndex),
    check('cases_household_size', sql`${t.householdSize} BETWEEN 1 AND 20`),
    check('cases_gender', sql`${t.gender} IS NULL OR ${t.gender} IN (${inList(GENDERS)})`),
    check('cases_age_band', sql`${t.ageBand} IS NULL OR ${t.ageBand} IN (${inList(AGE_BANDS)})`),
    check('cases_residence_status', sql`${t.residenceStatus} IS NULL OR ${t.residenceStatus} IN (${inList(RESIDENCE_STATUSES)})`),
    check(
      'cases_nationality',
      sql`${t.nationality} IS NULL OR ${t.nationality} = 'unknown' OR (length(${t.nationality}) = 2 AND ${t.nationality} GLOB '[A-Z][A-Z]')`,
    ),
    check(
      'cases_prefecture',
      sql`${t.prefecture} IS NULL OR ${t.prefecture} = 'unknown' OR (${t.prefecture} GLOB '[0-4][0-9]' AND CAST(${t.prefecture} AS INTEGER) BETWEEN 1 AND 47)`,
    ),
    check('cases_status', sql`${t.status} IN ('open', 'closed')`),
    check('cases_closed_on', sql`(${t.status} = 'closed') = (${t.closedOn} IS NOT NULL)`),
  ],
);
