import { parseYen } from '../domain/money.js';
import { parseSheetDate } from '../domain/imports/dates.js';
import type { ImportField } from '../domain/imports/fields.js';
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
}

export interface RowVocabulary {
  today: string;
  categories: CategoryWordSource[];
  methodLabels: Record<string, string[]>;
  /** Active funds by folded name. */
  fundIdByName: (name: string) => number | null;
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
}
export interface RowProblem {
  field: ImportField;
  key: string;
  params?: Record<string, string | number>;
}
export type RowResult = { ok: true; row: ParsedRow } | { ok: false; problem: RowProblem };

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

export function parseImportRow(cells: string[], mapping: ImportMapping, vocab: RowVocabulary): RowResult {
  const cell = (field: ImportField) => {
    const at = mapping.columns[field];
    return at === undefined ? '' : (cells[at] ?? '');
  };
  try {
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
    const category = categoryForWord(word, vocab.categories, mapping.categoryWords) ?? refuse('category', 'imports.unknownCategory', { word: word.slice(0, 40) });
    const methodWord = cell('method');
    const method =
      mapping.columns.method === undefined || methodWord.trim() === ''
        ? mapping.defaultMethod
        : (methodForWord(methodWord, vocab.methodLabels, mapping.methodWords) ?? refuse('method', 'imports.unknownMethod', { word: methodWord.slice(0, 40) }));
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
      },
    };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, problem: error.problem };
    throw error;
  }
}
