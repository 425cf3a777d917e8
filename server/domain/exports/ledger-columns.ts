import type { Locale } from '../../../db/schema.js';
import type { Translate } from '../../i18n/index.js';
import type { LedgerEntry } from './ledger-rows.js';
import { dataLocale } from '../../i18n/languages.js';

/** How a column is written: XLSX turns yen into number cells, dates and instants into date cells. */
export type ColumnKind = 'int' | 'yen' | 'date' | 'instant' | 'text';

export interface LedgerColumn {
  key: string;
  kind: ColumnKind;
  /** Rough width in characters for the XLSX sheet (widened to fit the content). */
  width: number;
  value(entry: LedgerEntry, words: LedgerWords): string | number | null;
}

/** Words in the user's language for codes: status, method, category. */
export interface LedgerWords {
  status(code: string): string;
  method(code: string): string;
  category(entry: Pick<LedgerEntry, 'categoryJa' | 'categoryEn'>): string;
}

export function ledgerWords(t: Translate, locale: Locale): LedgerWords {
  return {
    status: (code) => t(`disbursements.status.${code}`),
    method: (code) => t(`methods.${code}`),
    category: (e) => (dataLocale(locale) === 'ja' ? e.categoryJa : e.categoryEn),
  };
}

/**
 * The ledger's columns, for CSV and XLSX alike (issue 12): words instead of codes, Japan time,
 * voided records with their date and reason. Never an identity field, never the payee.
 */
export const LEDGER_COLUMNS: readonly LedgerColumn[] = [
  { key: 'disbursementId', kind: 'int', width: 10, value: (e) => e.disbursementId },
  { key: 'line', kind: 'int', width: 8, value: (e) => e.line },
  { key: 'caseCode', kind: 'text', width: 16, value: (e) => e.caseCode },
  { key: 'organization', kind: 'text', width: 16, value: (e) => e.organization },
  { key: 'paidOn', kind: 'date', width: 12, value: (e) => e.paidOn },
  { key: 'category', kind: 'text', width: 18, value: (e, w) => w.category(e) },
  { key: 'amount', kind: 'yen', width: 12, value: (e) => e.amount },
  { key: 'fund', kind: 'text', width: 16, value: (e) => e.fund },
  { key: 'method', kind: 'text', width: 14, value: (e, w) => w.method(e.method) },
  { key: 'peopleCovered', kind: 'int', width: 8, value: (e) => e.peopleCovered },
  { key: 'status', kind: 'text', width: 10, value: (e, w) => w.status(e.status) },
  { key: 'submittedBy', kind: 'text', width: 14, value: (e) => e.submittedBy },
  { key: 'submittedAt', kind: 'instant', width: 20, value: (e) => e.submittedAt },
  { key: 'approvedBy', kind: 'text', width: 14, value: (e) => e.approvedBy },
  { key: 'approvedAt', kind: 'instant', width: 20, value: (e) => e.approvedAt },
  { key: 'voidedAt', kind: 'instant', width: 20, value: (e) => e.voidedAt },
  { key: 'voidReason', kind: 'text', width: 24, value: (e) => e.voidReason },
];

export const ledgerHeader = (t: Translate): string[] => LEDGER_COLUMNS.map((c) => t(`exports.col.${c.key}`));

/** The ledger's totals: only what the figures count (voided lines are listed, not added). */
export function countedTotal(entries: readonly LedgerEntry[]): number {
  return entries.reduce((sum, e) => (e.counted ? sum + e.amount : sum), 0);
}
