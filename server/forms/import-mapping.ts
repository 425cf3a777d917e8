import { METHODS } from '../domain/enums.js';
import { IMPORT_FIELDS, REQUIRED_FIELDS, type ImportField } from '../domain/imports/fields.js';
import { parseColumnChoices } from './column-choices.js';
import type { Method } from '../domain/imports/words.js';
import { cleanText, hasControlChars } from './fields.js';
import type { ImportMapping } from './import-row.js';
import type { FieldErrors } from './parse.js';
import { isId } from './params.js';

/** The mapping form as sent, kept as text to re-render it. */
export interface MappingValues {
  columns: Partial<Record<ImportField, string>>;
  categoryWords: { word: string; code: string }[];
  methodWords: { word: string; code: string }[];
  defaultMethod: string;
  defaultFundId: string;
  missingNote: string;
  saveAs: string;
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v && typeof v === 'object' ? Object.values(v) : []);

export function mappingValues(body: unknown): MappingValues {
  const raw = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const col = raw.col && typeof raw.col === 'object' ? (raw.col as Record<string, unknown>) : {};
  const pairs = (words: unknown, codes: unknown) => {
    const c = list(codes);
    return list(words)
      .slice(0, 200)
      .map((w, i) => ({ word: str(w), code: str(c[i]) }));
  };
  return {
    columns: Object.fromEntries(IMPORT_FIELDS.map((f) => [f, str(col[f])])),
    categoryWords: pairs(raw.categoryWord, raw.categoryCode),
    methodWords: pairs(raw.methodWord, raw.methodCode),
    defaultMethod: str(raw.defaultMethod),
    defaultFundId: str(raw.defaultFundId),
    missingNote: str(raw.missingNote),
    saveAs: str(raw.saveAs),
  };
}

/**
 * Step 2's form: a column per field ('' = not in this file), the required ones present, no column
 * used for two fields, defaults for method and fund, and the user's own words for categories.
 */
export function parseMappingForm(
  body: unknown,
  headerCount: number,
): { ok: true; mapping: ImportMapping; saveAs: string | null; values: MappingValues } | { ok: false; errors: FieldErrors; values: MappingValues } {
  const values = mappingValues(body);
  const errors: FieldErrors = {};
  const columns: ImportMapping['columns'] = parseColumnChoices(values.columns, IMPORT_FIELDS, REQUIRED_FIELDS, headerCount, errors);
  if (!(METHODS as readonly string[]).includes(values.defaultMethod)) errors.defaultMethod = 'validation.invalidChoice';
  if (!isId(values.defaultFundId)) errors.defaultFundId = 'validation.invalidChoice';
  const words = (pairs: { word: string; code: string }[], prefix: string, pattern: RegExp) => {
    const out: Record<string, string> = {};
    pairs.forEach(({ word, code }, i) => {
      if (code === '' || word.trim() === '') return;
      if (!pattern.test(code)) errors[`${prefix}[${i}]`] = 'validation.invalidChoice';
      else out[word.trim()] = code;
    });
    return out;
  };
  const categoryWords = words(values.categoryWords, 'categoryCode', /^[a-z]{2,32}$/);
  const methodWords = words(values.methodWords, 'methodCode', new RegExp(`^(${METHODS.join('|')})$`));
  const missingNote = cleanText(values.missingNote);
  if (missingNote.length > 1000 || hasControlChars(missingNote)) errors.missingNote = 'imports.missingNoteInvalid';
  const saveAs = cleanText(values.saveAs);
  if (saveAs.length > 60 || hasControlChars(saveAs)) errors.saveAs = 'imports.mappingNameTooLong';
  if (Object.keys(errors).length > 0) return { ok: false, errors, values };
  return {
    ok: true,
    mapping: {
      columns,
      categoryWords,
      methodWords,
      defaultMethod: values.defaultMethod as Method,
      defaultFundId: Number(values.defaultFundId),
      missingNote: missingNote === '' ? null : missingNote,
    },
    saveAs: saveAs === '' ? null : saveAs,
    values,
  };
}

/** A mapping shown in the form (the proposal, a saved one, or the last applied). */
export function valuesOf(mapping: ImportMapping): MappingValues {
  return {
    columns: Object.fromEntries(IMPORT_FIELDS.map((f) => [f, mapping.columns[f] === undefined ? '' : String(mapping.columns[f])])),
    categoryWords: Object.entries(mapping.categoryWords).map(([word, code]) => ({ word, code })),
    methodWords: Object.entries(mapping.methodWords).map(([word, code]) => ({ word, code })),
    defaultMethod: mapping.defaultMethod,
    defaultFundId: String(mapping.defaultFundId),
    missingNote: mapping.missingNote ?? '',
    saveAs: '',
  };
}
