import { MONEY_SOURCES, type MoneySource } from '../domain/enums.js';
import { MONEY_IN_IMPORT_FIELDS, MONEY_IN_REQUIRED, isMoneySource, type MoneyInField, type MoneyInMapping } from '../domain/money-in-import/plan.js';
import { parseColumnChoices } from './column-choices.js';
import { cleanText, hasControlChars } from './fields.js';
import type { FieldErrors } from './parse.js';

/** The money-in mapping form as sent, kept as text to re-render it. */
export interface MoneyInMappingValues {
  columns: Partial<Record<MoneyInField, string>>;
  sourceWords: { word: string; code: string }[];
  defaultSource: string;
  saveAs: string;
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v && typeof v === 'object' ? Object.values(v) : []);

function valuesFrom(body: unknown): MoneyInMappingValues {
  const raw = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const col = raw.col && typeof raw.col === 'object' ? (raw.col as Record<string, unknown>) : {};
  const codes = list(raw.sourceCode);
  return {
    columns: Object.fromEntries(MONEY_IN_IMPORT_FIELDS.map((f) => [f, str(col[f])])),
    sourceWords: list(raw.sourceWord)
      .slice(0, 100)
      .map((w, i) => ({ word: str(w), code: str(codes[i]) })),
    defaultSource: str(raw.defaultSource),
    saveAs: str(raw.saveAs),
  };
}

/** Columns for date and amount (source and label optional), the file's words for source types, a default, a name to save under. */
export function parseMoneyInMappingForm(
  body: unknown,
  headerCount: number,
): { ok: true; mapping: MoneyInMapping; saveAs: string | null } | { ok: false; errors: FieldErrors; values: MoneyInMappingValues } {
  const values = valuesFrom(body);
  const errors: FieldErrors = {};
  const columns = parseColumnChoices(values.columns, MONEY_IN_IMPORT_FIELDS, MONEY_IN_REQUIRED, headerCount, errors);
  if (!isMoneySource(values.defaultSource)) errors.defaultSource = 'validation.invalidChoice';
  const sourceWords: Record<string, MoneySource> = {};
  values.sourceWords.forEach(({ word, code }, i) => {
    if (code === '' || word.trim() === '') return;
    if (!isMoneySource(code)) errors[`sourceCode[${i}]`] = 'validation.invalidChoice';
    else sourceWords[word.trim()] = code;
  });
  const saveAs = cleanText(values.saveAs);
  if (saveAs.length > 60 || hasControlChars(saveAs)) errors.saveAs = 'imports.mappingNameTooLong';
  if (Object.keys(errors).length > 0) return { ok: false, errors, values };
  return { ok: true, mapping: { columns, sourceWords, defaultSource: values.defaultSource as MoneySource }, saveAs: saveAs === '' ? null : saveAs };
}

/** A mapping shown in the form (the proposal, a saved one, or the last dry run's). */
export function moneyInValuesOf(mapping: MoneyInMapping): MoneyInMappingValues {
  return {
    columns: Object.fromEntries(MONEY_IN_IMPORT_FIELDS.map((f) => [f, mapping.columns[f] === undefined ? '' : String(mapping.columns[f])])),
    sourceWords: Object.entries(mapping.sourceWords).map(([word, code]) => ({ word, code })),
    defaultSource: mapping.defaultSource,
    saveAs: '',
  };
}

export const DEFAULT_MONEY_SOURCE: MoneySource = MONEY_SOURCES[0];
