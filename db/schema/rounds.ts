import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { cases } from './cases.js';
import { categories, disbursements, funds, METHODS } from './money.js';
import { organizations, users } from './people.js';

/** A round pays a fixed amount per person covered, or per household (one case). */
export const ROUND_UNITS = ['person', 'household'] as const;
export type RoundUnit = (typeof ROUND_UNITS)[number];

const nowIso = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;
const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));
const isDate = (column: unknown) => sql`${column} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'`;

/** A grant round: a fixed amount, one category, on one fund, within an eligibility window. */
export const rounds = sqliteTable(
  'rounds',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    fundId: integer()
      .notNull()
      .references(() => funds.id),
    name: text().notNull(),
    categoryId: integer()
      .notNull()
      .references(() => categories.id),
    /** Yen per unit. */
    amount: integer().notNull(),
    unit: text({ enum: ROUND_UNITS }).notNull(),
    /** Eligibility window: the dates the round's disbursements may be dated. */
    startsOn: text().notNull(),
    endsOn: text().notNull(),
    /** Optional cap on people covered per group over the whole round. */
    maxPeoplePerGroup: integer(),
    isOpen: integer({ mode: 'boolean' }).notNull().default(true),
    createdBy: integer()
      .notNull()
      .references(() => users.id),
    createdAt: text().notNull().default(nowIso),
  },
  (t) => [
    check('rounds_amount', sql`${t.amount} BETWEEN 1 AND 10000000`),
    check('rounds_unit', sql`${t.unit} IN (${inList(ROUND_UNITS)})`),
    check('rounds_window', sql`${isDate(t.startsOn)} AND ${isDate(t.endsOn)} AND ${t.startsOn} <= ${t.endsOn}`),
    check('rounds_max_people', sql`${t.maxPeoplePerGroup} IS NULL OR ${t.maxPeoplePerGroup} >= 1`),
    uniqueIndex('rounds_fund_name_idx').on(t.fundId, t.name),
  ],
);

/** One group's application to a round: one form, many cases. */
export const roundApplications = sqliteTable(
  'round_applications',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    roundId: integer()
      .notNull()
      .references(() => rounds.id),
    organizationId: integer()
      .notNull()
      .references(() => organizations.id),
    paidOn: text().notNull(),
    method: text({ enum: METHODS }).notNull(),
    submittedBy: integer()
      .notNull()
      .references(() => users.id),
    submittedAt: text().notNull().default(nowIso),
  },
  (t) => [index('round_applications_round_idx').on(t.roundId, t.organizationId)],
);

/** A case of an application; its money is an ordinary disbursement, whose status is the entry's. */
export const roundEntries = sqliteTable(
  'round_entries',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    applicationId: integer()
      .notNull()
      .references(() => roundApplications.id),
    roundId: integer()
      .notNull()
      .references(() => rounds.id),
    organizationId: integer()
      .notNull()
      .references(() => organizations.id),
    caseId: integer()
      .notNull()
      .references(() => cases.id),
    peopleCovered: integer().notNull(),
    amount: integer().notNull(),
    disbursementId: integer()
      .notNull()
      .references(() => disbursements.id),
  },
  (t) => [
    check('round_entries_people', sql`${t.peopleCovered} BETWEEN 1 AND 20`),
    check('round_entries_amount', sql`${t.amount} >= 1`),
    uniqueIndex('round_entries_disbursement_idx').on(t.disbursementId),
    index('round_entries_round_idx').on(t.roundId, t.organizationId),
    index('round_entries_case_idx').on(t.caseId, t.roundId),
    index('round_entries_application_idx').on(t.applicationId),
  ],
);
