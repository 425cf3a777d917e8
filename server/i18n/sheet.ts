// i18n:export / i18n:import: one language as a sheet (XLSX or CSV) a volunteer translator can edit.
// Columns: key, ja (source), en (source), text (the translation), note. Import refuses the whole file on any problem.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { readAreas, type Messages } from './catalog-files.js';
import { checkMessage } from './check.js';
import { pluralCategories, shapeOf } from './message-shape.js';

export const HEADER = ['key', 'ja', 'en', 'text', 'note'] as const;
export type SheetRow = [key: string, ja: string, en: string, text: string, note: string];

const flat = (areas: Map<string, Messages>): Messages => Object.assign({}, ...areas.values());
const intlOf = (lang: string) => (lang === 'ja-x-easy' ? 'ja' : lang);

/** What a translator should know about one message: its placeholders, plural forms, furigana. */
function noteFor(lang: string, ja: string, en: string | undefined): string {
  const notes: string[] = [];
  const shape = shapeOf(ja, 'ja');
  if (typeof shape !== 'string' && shape.args.length) notes.push(`keep ${shape.args.map((a) => `{${a}}`).join(' ')}`);
  const english = en === undefined ? undefined : shapeOf(en, 'en');
  if (english && typeof english !== 'string' && Object.keys(english.plurals).length && pluralCategories(intlOf(lang)).length > 1) {
    notes.push(`plural forms: ${pluralCategories(intlOf(lang)).join(', ')}`);
  }
  if (lang === 'ja-x-easy') notes.push('furigana: ｜漢字《かんじ》 on kanji beyond 小学校2年');
  return notes.join('; ');
}

/** Every key of the Japanese source, in catalog order, with the language's current text. */
export function exportRows(dir: string, lang: string): SheetRow[] {
  const ja = flat(readAreas(path.join(dir, 'ja')));
  const en = flat(readAreas(path.join(dir, 'en')));
  const current = flat(readAreas(path.join(dir, lang)));
  return Object.keys(ja).map((key) => [key, ja[key]!, en[key] ?? '', current[key] ?? '', noteFor(lang, ja[key]!, en[key])]);
}

export async function writeSheet(rows: SheetRow[], file: string, lang: string): Promise<void> {
  const header = [...HEADER.slice(0, 3), `text (${lang})`, 'note'];
  if (file.endsWith('.csv')) {
    writeFileSync(file, '\ufeff' + stringify([header, ...rows]));
    return;
  }
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(lang);
  sheet.addRow(header).font = { bold: true };
  for (const row of rows) sheet.addRow(row);
  sheet.columns.forEach((c, i) => (c.width = [36, 40, 40, 40, 30][i]));
  for (const col of [2, 3, 4, 5]) sheet.getColumn(col).alignment = { wrapText: true, vertical: 'top' };
  sheet.views = [{ state: 'frozen', ySplit: 1, xSplit: 1 }];
  await book.xlsx.writeFile(file);
}

const cellText = (v: ExcelJS.CellValue): string => {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object' && 'richText' in v) return v.richText.map((r) => r.text).join('');
  if (typeof v === 'object' && 'text' in v) return String(v.text);
  return String(v);
};

/** The rows of an edited sheet (header dropped), as [key, ja, en, text, note]. */
export async function readSheet(file: string): Promise<string[][]> {
  let rows: string[][];
  if (file.endsWith('.csv')) rows = parse(readFileSync(file), { bom: true, relax_column_count: true }) as string[][];
  else {
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    const sheet = book.worksheets[0];
    rows = [];
    sheet?.eachRow({ includeEmpty: false }, (row) => rows.push([1, 2, 3, 4, 5].map((c) => cellText(row.getCell(c).value))));
  }
  if (rows[0]?.[0] !== 'key') throw new Error('the first row must be the header: key, ja, en, text, note');
  return rows.slice(1);
}

/**
 * Check every row like i18n:check does and, only if all pass, write the texts into
 * <dir>/<lang>/<area>.json (keys in source order; an empty cell leaves the key as it was).
 */
export function importRows(dir: string, lang: string, rows: string[][]): { problems: string[]; written: number } {
  if (lang === 'ja') return { problems: ['ja is the source language: edit its JSON files'], written: 0 };
  const jaAreas = readAreas(path.join(dir, 'ja'));
  const ja = flat(jaAreas);
  const en = flat(readAreas(path.join(dir, 'en')));
  const current = flat(readAreas(path.join(dir, lang)));
  const problems: string[] = [];
  const incoming: Messages = {};
  rows.forEach((row, i) => {
    const [key = '', , , text = ''] = row.map((c) => c ?? '');
    const where = `row ${i + 2} (${key || 'no key'})`;
    if (!key.trim()) return text.trim() ? problems.push(`${where}: no key`) : undefined;
    if (key in incoming) return problems.push(`${where}: key given twice`);
    if (!(key in ja)) return problems.push(`${where}: unknown key`);
    if (text === '') return undefined;
    for (const p of checkMessage(lang, key, text, ja[key], lang === 'en' ? undefined : en[key])) problems.push(`${where}: ${p}`);
    incoming[key] = text;
  });
  if (problems.length) return { problems, written: 0 };
  const merged = { ...current, ...incoming };
  mkdirSync(path.join(dir, lang), { recursive: true });
  for (const [area, messages] of jaAreas) {
    const out: Messages = {};
    for (const key of Object.keys(messages)) if (merged[key] !== undefined) out[key] = merged[key]!;
    if (Object.keys(out).length) writeFileSync(path.join(dir, lang, `${area}.json`), JSON.stringify(out, null, 2) + '\n');
  }
  return { problems, written: Object.keys(incoming).length };
}
