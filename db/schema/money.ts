import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { cases } from './cases.js';
import { organizations, users } from './people.js';

export const METHODS = ['cash', 'bank_transfer', 'paid_to_provider', 'prepaid_card', 'in_kind', 'other'] as const;
export const DISBURSEMENT_STATUSES = ['pending', 'approved', 'rejected', 'withdrawn', 'voided'] as const;
export type DisbursementStatus = (typeof DISBURSEMENT_STATUSES)[number];
export const MAX_LINE_AMOUNT = 10_000_000;

const nowIso = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;
const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));

export const categories = sqliteTable(
  'categories',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    code: text().notNull().unique(),
    labelJa: text().notNull(),
    labelEn: text().notNull(),
    sortOrder: integer().notNull().default(0),
    /** false = retired: no new lines, old lines still count. */
    isActive: integer({ mode: 'boolean' }).notNull().default(true),
    requiresNote: integer({ mode: 'boolean' }).notNull().default(false),
    createdAt: text().notNull().default(nowIso),
  },
  (t) => [check('categories_code_format', sql`${t.code} GLOB '[a-z]*' AND length(${t.code}) BETWEEN 2 AND 32`)],
);

export const funds = sqliteTable(
  'funds',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    name: text().notNull().unique(),
    /** Yen, optional. */
    budget: integer(),
    startsOn: text(),
    endsOn: text(),
    isDefault: integer({ mode: 'boolean' }).notNull().default(false),
    isActive: integer({ mode: 'boolean' }).notNull().default(true),
    createdAt: text().notNull().default(nowIso),
  },
  (t) => [
    check('funds_budget', sql`${t.budget} IS NULL OR ${t.budget} >= 0`),
    check('funds_period', sql`${t.startsOn} IS NULL OR ${t.endsOn} IS NULL OR ${t.startsOn} <= ${t.endsOn}`),
    uniqueIndex('funds_one_default_idx')
      .on(t.isDefault)
      .where(sql`${t.isDefault} = 1`),
  ],
);

export const disbursements = sqliteTable(
  'disbursements',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    caseId: integer()
      .notNull()
      .references(() => cases.id),
    /** Copied from the case so scope and reports need no join; a trigger keeps it equal. */
    organizationId: integer()
      .notNull()
      .references(() => organizations.id),
    /** YYYY-MM-DD, Asia/Tokyo calendar date the aid reached the person. */
    paidOn: text().notNull(),
    fundId: integer()
      .notNull()
      .references(() => funds.id),
    method: text({ enum: METHODS }).notNull(),
    peopleCovered: integer().notNull(),
    payee: text(),
    note: text(),
    status: text({ enum: DISBURSEMENT_STATUSES }).notNull().default('pending'),
    /** Bumped on every change: an action names the version it saw, so two deciders cannot both win. */
    version: integer().notNull().default(1),
    submittedBy: integer()
      .notNull()
      .references(() => users.id),
    submittedAt: text().notNull().default(nowIso),
    updatedAt: text().notNull().default(nowIso),
    /** approve / reject / withdraw */
    decidedBy: integer().references(() => users.id),
    decidedAt: text(),
    rejectReason: text(),
    voidedBy: integer().references(() => users.id),
    voidedAt: text(),
    voidReason: text(),
  },
  (t) => [
    check('disbursements_status', sql`${t.status} IN (${inList(DISBURSEMENT_STATUSES)})`),
    check('disbursements_method', sql`${t.method} IN (${inList(METHODS)})`),
    check('disbursements_people', sql`${t.peopleCovered} BETWEEN 1 AND 20`),
    check('disbursements_paid_on', sql`${t.paidOn} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND ${t.paidOn} >= '2000-01-01'`),
    check('disbursements_reject_reason', sql`${t.status} <> 'rejected' OR coalesce(length(trim(${t.rejectReason})), 0) > 0`),
    check('disbursements_void_reason', sql`${t.status} <> 'voided' OR coalesce(length(trim(${t.voidReason})), 0) > 0`),
    index('disbursements_case_idx').on(t.caseId),
    index('disbursements_status_submitted_idx').on(t.status, t.submittedAt),
    index('disbursements_org_submitted_idx').on(t.organizationId, t.submittedAt),
    // Figures: the period window over counted statuses, carrying what §4 needs.
    index('disbursements_figures_idx').on(t.status, t.paidOn, t.organizationId, t.fundId, t.caseId, t.peopleCovered),
  ],
);

export const disbursementLines = sqliteTable(
  'disbursement_lines',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    disbursementId: integer()
      .notNull()
      .references(() => disbursements.id),
    position: integer().notNull(),
    categoryId: integer()
      .notNull()
      .references(() => categories.id),
    amount: integer().notNull(),
    // Copies of the parent's columns so a category aggregate is one covering index range scan.
    // Triggers (see the migration 0001) refuse a mismatch on insert and propagate parent updates.
    status: text({ enum: DISBURSEMENT_STATUSES }).notNull(),
    paidOn: text().notNull(),
    organizationId: integer().notNull(),
    fundId: integer().notNull(),
    caseId: integer().notNull(),
  },
  (t) => [
    check('lines_amount', sql`${t.amount} BETWEEN 1 AND ${sql.raw(String(MAX_LINE_AMOUNT))}`),
    check('lines_position', sql`${t.position} >= 0`),
    uniqueIndex('lines_disbursement_position_idx').on(t.disbursementId, t.position),
    index('lines_category_idx').on(t.categoryId),
    index('lines_figures_idx').on(t.status, t.paidOn, t.organizationId, t.fundId, t.categoryId, t.amount),
  ],
);

export const receipts = sqliteTable(
  'receipts',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    disbursementId: integer()
      .notNull()
      .references(() => disbursements.id),
    /** Generated file name under DATA_DIR/receipts; the client's name never reaches the path. */
    storageName: text().notNull().unique(),
    mediaType: text().notNull(),
    byteSize: integer().notNull(),
    sha256: text().notNull(),
    uploadedBy: integer()
      .notNull()
      .references(() => users.id),
    uploadedAt: text().notNull().default(nowIso),
  },
  (t) => [
    check('receipts_media_type', sql`${t.mediaType} IN ('image/jpeg', 'image/png', 'image/webp', 'image/heic', 'application/pdf')`),
    check('receipts_size', sql`${t.byteSize} > 0`),
    index('receipts_disbursement_idx').on(t.disbursementId),
  ],
);
