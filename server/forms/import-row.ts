import { parseYen } from '../domain/money.js';
import { parseSheetDate } from '../domain/imports/dates.js';
import type { ImportField } from '../domain/imports/fields.js';
import { isSkippedStatus, statusForWord, type SheetStatus } from '../domain/imports/status-words.js';
import { categoryForWord, methodForWord, type CategoryWordSource, type Method } from '../domain/imports/words.js';
import { cleanText, hasControlChars } from './fields.js';
import { MAX_HOUSEHOLD } from './case.js';
import { paidOnProblem } from './disbursement.js';

/** How the user said to read the sheet: column per field, their own words, defaults for unmapped fields. */
export interface ImportMapping {
  columns: Partial<Record<ImportField, number>>;
  categoryWords: Record<string, string>;
  methodWords: Record<string, string>;
  defaultMethod: Method;
  defaultFundId: number;
  /** Put into a record whose category needs a note (その他) and whose row has none: a moved ledger carries no notes. */
  missingNote?: string | null;
}

export interface RowVocabulary {
  today: string;
  categories: CategoryWordSource[];
  methodLabels: Record<string, string[]>;
  /** Active funds by folded name. */
  fundIdByName: (name: string) => number | null;
  /** The UI's words for each status, in every language (a ledger export's 状態 column). */
  statusLabels?: Record<string, string[]>;
  /** Organizations by folded name or code (a network ledger's 団体 column). */
  organizationIdByName?: (name: string) => number | null;
}

/** One sheet row read by the disbursement form's rules (SPEC §3), before any database rule. */
export interface ParsedRow {
  caseRef: string;
  paidOn: string;
  voucher: string;
  category: string;
  amount: number;
  method: Method;
  fundId: number;
  peopleCovered: number | null;
  householdSize: number | null;
  payee: string | null;
  note: string | null;
  alias: string | null;
  contact: string | null;
  /** From a 状態 column: approved or pending; null when the sheet has none. */
  status: Extract<SheetStatus, 'approved' | 'pending'> | null;
}
export interface RowProblem {
  field: ImportField;
  key: string;
  params?: Record<string, string | number>;
}
/** Rows not imported on purpose: voided or never paid (取消), or another group's row of a network ledger. */
export type SkipReason = 'voided' | 'otherOrganization' | 'totalRow';
export type RowResult = { ok: true; row: ParsedRow } | { ok: false; problem: RowProblem } | { ok: 'skipped'; reason: SkipReason };

class Refusal extends Error {
  constructor(readonly problem: RowProblem) {
    super(problem.key);
  }
}
const refuse = (field: ImportField, key: string, params?: Record<string, string | number>): never => {
  throw new Refusal({ field, key, params });
};

function optionalText(field: ImportField, raw: string, max: number): string | null {
  const v = cleanText(raw);
  if (hasControlChars(v)) refuse(field, 'validation.invalid');
  if (v.length > max) refuse(field, 'imports.tooLong', { max });
  return v === '' ? null : v;
}

/** 1..20 people, typed as digits, optionally with 人 (「3人」); blank is null. */
function peopleCount(field: ImportField, raw: string): number | null {
  const v = raw.normalize('NFKC').trim().replace(/人$/, '');
  if (v === '') return null;
  if (!/^[0-9]{1,3}$/.test(v)) refuse(field, 'disbursements.peopleInvalid');
  const n = Number(v);
  if (n < 1 || n > MAX_HOUSEHOLD) refuse(field, 'imports.peopleRange', { max: MAX_HOUSEHOLD });
  return n;
}

/** 合計 / 総計 / 小計 / Total: a sheet's own totals line, which adds nothing of its own. */
const TOTAL_WORD = /^(合計|総計|小計|計|total|subtotal|grandtotal)/;
function isTotalsRow(cells: string[], cell: (field: ImportField) => string): boolean {
  // Often written in the date column itself: no case is the telling sign.
  if (cell('caseRef').trim() !== '') return false;
  const first = cells.find((c) => c.trim() !== '');
  return first !== undefined && TOTAL_WORD.test(first.normalize('NFKC').toLowerCase().replace(/\s+/g, ''));
}

/** Status and organization come first: a row that is not to be imported is not judged either. */
function skipOrStatus(
  cell: (field: ImportField) => string,
  vocab: RowVocabulary,
  organizationId: number | null,
): Exclude<SkipReason, 'totalRow'> | ParsedRow['status'] {
  const org = cell('organization');
  if (organizationId !== null && org.trim() !== '') {
    const id = vocab.organizationIdByName?.(org) ?? refuse('organization', 'imports.unknownOrganization', { word: org.slice(0, 60) });
    if (id !== organizationId) return 'otherOrganization';
  }
  const word = cell('status');
  const status =
    word.trim() === '' ? null : (statusForWord(word, vocab.statusLabels ?? {}) ?? refuse('status', 'imports.unknownStatus', { word: word.slice(0, 40) }));
  if (isSkippedStatus(status)) return 'voided';
  return status as ParsedRow['status'];
}

/**
 * A sheet repeats a handful of words over thousands of rows: each is matched once per plan (per
 * vocabulary and mapping object), not folded against every label again on every row.
 */
const wordMemo = new WeakMap<RowVocabulary, WeakMap<ImportMapping, Map<string, string | null>>>();
function remembered(vocab: RowVocabulary, mapping: ImportMapping, key: string, compute: () => string | null): string | null {
  let byMapping = wordMemo.get(vocab);
  if (!byMapping) wordMemo.set(vocab, (byMapping = new WeakMap()));
  let words = byMapping.get(mapping);
  if (!words) byMapping.set(mapping, (words = new Map()));
  if (!words.has(key)) words.set(key, compute());
  return words.get(key)!;
}

export function parseImportRow(cells: string[], mapping: ImportMapping, vocab: RowVocabulary, organizationId: number | null = null): RowResult {
  const cell = (field: ImportField) => {
    const at = mapping.columns[field];
    return at === undefined ? '' : (cells[at] ?? '');
  };
  if (isTotalsRow(cells, cell)) return { ok: 'skipped', reason: 'totalRow' };
  try {
    const status = skipOrStatus(cell, vocab, organizationId);
    if (status === 'voided' || status === 'otherOrganization') return { ok: 'skipped', reason: status };
    const caseRef = cell('caseRef').normalize('NFKC').trim();
    if (caseRef === '') refuse('caseRef', 'imports.caseRequired');
    if (caseRef.length > 64 || hasControlChars(caseRef)) refuse('caseRef', 'imports.caseInvalid');
    const rawDate = cell('paidOn');
    if (rawDate.trim() === '') refuse('paidOn', 'validation.required');
    const date = parseSheetDate(rawDate);
    if (!date.ok) refuse('paidOn', date.problem, { value: rawDate.slice(0, 40) });
    const paidOn = (date as { value: string }).value;
    const dateProblem = paidOnProblem(paidOn, vocab.today);
    if (dateProblem) refuse('paidOn', dateProblem);
    const amount = parseYen(cell('amount'));
    if (!amount.ok) refuse('amount', amount.problem);
    const word = cell('category');
    if (word.trim() === '') refuse('category', 'disbursements.categoryRequired');
    const category =
      remembered(vocab, mapping, `c:${word}`, () => categoryForWord(word, vocab.categories, mapping.categoryWords)) ??
      refuse('category', 'imports.unknownCategory', { word: word.slice(0, 40) });
    const methodWord = cell('method');
    const method =
      mapping.columns.method === undefined || methodWord.trim() === ''
        ? mapping.defaultMethod
        : ((remembered(vocab, mapping, `m:${methodWord}`, () => methodForWord(methodWord, vocab.methodLabels, mapping.methodWords)) as Method | null) ??
          refuse('method', 'imports.unknownMethod', { word: methodWord.slice(0, 40) }));
    const fundName = cell('fund');
    const fundId =
      mapping.columns.fund === undefined || fundName.trim() === ''
        ? mapping.defaultFundId
        : (vocab.fundIdByName(fundName) ?? refuse('fund', 'imports.unknownFund', { word: fundName.slice(0, 40) }));
    return {
      ok: true,
      row: {
        caseRef,
        paidOn,
        voucher: cell('voucher').normalize('NFKC').trim().slice(0, 64),
        category,
        amount: (amount as { value: number }).value,
        method,
        fundId,
        peopleCovered: peopleCount('peopleCovered', cell('peopleCovered')),
        householdSize: peopleCount('householdSize', cell('householdSize')),
        payee: optionalText('payee', cell('payee'), 100),
        note: optionalText('note', cell('note'), 1000),
        alias: optionalText('alias', cell('alias'), 100),
        contact: optionalText('contact', cell('contact'), 200),
        status,
      },
    };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, problem: error.problem };
    throw error;
  }
}
