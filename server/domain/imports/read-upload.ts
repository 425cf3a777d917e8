import { parse } from 'csv-parse/sync';
import { fileTypeFromBuffer } from 'file-type';
import { decodeCsv, type CsvEncoding } from './encoding.js';
import { readSheetStreaming, readSheetWhole, type MergedRange, type SheetRead } from './read-xlsx.js';

export { cellText } from './read-xlsx.js';

export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 50_000;

export interface SheetRow {
  /** As the user sees it: the sheet's row number, or the CSV's line number. */
  rowNumber: number;
  cells: string[];
}
export interface UploadTable {
  format: 'xlsx' | 'csv';
  encoding: CsvEncoding | null;
  sheets: string[];
  sheetName: string | null;
  headers: string[];
  rows: SheetRow[];
}
export type Problem = { key: string; params?: Record<string, string | number> };
export type ReadResult = { ok: true; table: UploadTable } | { ok: false; problem: Problem };

const refuse = (key: string, params?: Record<string, string | number>): ReadResult => ({ ok: false, problem: { key, params } });

const isBlankRow = (cells: string[]) => cells.every((c) => c.trim() === '');
/** The header is the first row with at least two filled cells: a merged title line above it is skipped. */
const isHeaderLike = (cells: string[]) => cells.filter((c) => c.trim() !== '').length >= 2;

function tableFrom(rows: SheetRow[]): { headers: string[]; rows: SheetRow[]; headerRow: number } | Problem {
  const at = rows.findIndex((r) => isHeaderLike(r.cells));
  if (at < 0) return { key: 'imports.emptySheet' };
  const headers = rows[at]!.cells.map((c) => c.trim());
  const data = rows.slice(at + 1).filter((r) => !isBlankRow(r.cells));
  if (data.length === 0) return { key: 'imports.noDataRows' };
  if (data.length > MAX_IMPORT_ROWS) return { key: 'imports.tooManyRows', params: { max: MAX_IMPORT_ROWS, count: data.length } };
  return { headers, rows: data, headerRow: rows[at]!.rowNumber };
}

/** Only the first cell of a merged range keeps its value (a reader may repeat it across the range). */
function blankMergedCopies(rows: SheetRow[], merges: MergedRange[]): void {
  if (merges.length === 0) return;
  for (const row of rows)
    for (const m of merges)
      if (row.rowNumber >= m.top && row.rowNumber <= m.bottom)
        for (let c = m.left; c <= m.right && c < row.cells.length; c++) if (row.rowNumber !== m.top || c !== m.left) row.cells[c] = '';
}

async function readXlsx(bytes: Buffer, wantedSheet: string | null): Promise<ReadResult> {
  let read: SheetRead;
  try {
    // A header, a title line or two above it, and one row more than allowed are kept; the rest only counted.
    read = await readSheetStreaming(bytes, wantedSheet, MAX_IMPORT_ROWS + 11).catch(() => readSheetWhole(bytes, wantedSheet, MAX_IMPORT_ROWS + 11));
  } catch {
    return refuse('imports.unreadableWorkbook');
  }
  if (read.sheetName === null) return refuse(wantedSheet ? 'imports.noSuchSheet' : 'imports.emptySheet', { sheet: wantedSheet ?? '' });
  if (read.filledRows > MAX_IMPORT_ROWS + 10) return refuse('imports.tooManyRows', { max: MAX_IMPORT_ROWS, count: read.filledRows - 1 });
  blankMergedCopies(read.rows, read.merges);
  const table = tableFrom(read.rows);
  if ('key' in table) return { ok: false, problem: { ...table, params: { ...table.params, sheet: read.sheetName } } };
  // A merged cell in the header row hides which column a title belongs to: the user unmerges it.
  const merged = read.merges.find((m) => m.top <= table.headerRow && m.bottom >= table.headerRow);
  if (merged) return refuse('imports.mergedHeader', { range: merged.range, sheet: read.sheetName });
  return { ok: true, table: { format: 'xlsx', encoding: null, sheets: read.sheets, sheetName: read.sheetName, headers: table.headers, rows: table.rows } };
}

function readCsv(bytes: Buffer): ReadResult {
  const decoded = decodeCsv(bytes);
  if (!decoded.ok) return refuse(decoded.problem);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(decoded.text, { relax_column_count: true, info: true, skip_empty_lines: false, trim: false }) as unknown as typeof records;
  } catch (error) {
    const line = error && typeof error === 'object' && 'lines' in error ? Number(error.lines) : 0;
    return refuse('imports.badCsv', { line });
  }
  if (records.length > MAX_IMPORT_ROWS + 1 + 10_000) return refuse('imports.tooManyRows', { max: MAX_IMPORT_ROWS, count: records.length - 1 });
  const rows = records.map((r) => ({ rowNumber: r.info.lines, cells: r.record.map((c) => c.trim()) }));
  const table = tableFrom(rows);
  if ('key' in table) return { ok: false, problem: table };
  return { ok: true, table: { format: 'csv', encoding: decoded.encoding, sheets: [], sheetName: null, headers: table.headers, rows: table.rows } };
}

/**
 * Read an upload as its name says, after checking that its bytes agree: a .xlsx must be a
 * workbook (zip with an xl/ part), a .csv must be text (no known binary signature).
 */
export async function readUpload(bytes: Buffer, fileName: string, wantedSheet: string | null): Promise<ReadResult> {
  if (bytes.length === 0) return refuse('imports.emptyFile');
  if (bytes.length > MAX_IMPORT_BYTES) return refuse('imports.tooLarge', { max: '10 MB' });
  const ext = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase() ?? '';
  const detected = await fileTypeFromBuffer(bytes);
  if (ext === 'xlsx') {
    if (detected?.ext !== 'xlsx') return refuse('imports.notWhatNameSays', { name: fileName, found: detected?.ext ?? 'text' });
    return readXlsx(bytes, wantedSheet);
  }
  if (ext === 'csv' || ext === 'txt') {
    if (detected) return refuse('imports.notWhatNameSays', { name: fileName, found: detected.ext });
    return readCsv(bytes);
  }
  return refuse('imports.unsupportedType', { name: fileName });
}
