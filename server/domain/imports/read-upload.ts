import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { fileTypeFromBuffer } from 'file-type';
import { decodeCsv, type CsvEncoding } from './encoding.js';

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

const pad = (n: number) => String(n).padStart(2, '0');

/** One workbook cell as text. A formula gives its cached result: nothing here ever evaluates one. */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return '';
    return `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
  }
  if ('formula' in value || 'sharedFormula' in value) return cellText((value as { result?: ExcelJS.CellValue }).result ?? null);
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('error' in value) return String(value.error);
  if ('text' in value) return String(value.text);
  return '';
}

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

async function readXlsx(bytes: Buffer, wantedSheet: string | null): Promise<ReadResult> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    return refuse('imports.unreadableWorkbook');
  }
  const sheets = workbook.worksheets.map((w) => w.name);
  const sheet = wantedSheet ? workbook.getWorksheet(wantedSheet) : workbook.worksheets[0];
  if (!sheet) return refuse(wantedSheet ? 'imports.noSuchSheet' : 'imports.emptySheet', { sheet: wantedSheet ?? '' });
  const rows: SheetRow[] = [];
  const width = sheet.columnCount;
  let tooMany = false;
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (rows.length > MAX_IMPORT_ROWS + 10) {
      tooMany = true;
      return;
    }
    // exceljs repeats a merged cell's value in every cell of the range: only the first keeps it.
    const cells = Array.from({ length: width }, (_, i) => {
      const cell = row.getCell(i + 1);
      return cell.isMerged && cell.master.address !== cell.address ? '' : cellText(cell.value).trim();
    });
    rows.push({ rowNumber, cells });
  });
  if (tooMany) return refuse('imports.tooManyRows', { max: MAX_IMPORT_ROWS, count: sheet.actualRowCount - 1 });
  const table = tableFrom(rows);
  if ('key' in table) return { ok: false, problem: { ...table, params: { ...table.params, sheet: sheet.name } } };
  // A merged cell in the header row hides which column a title belongs to: the user unmerges it.
  const merges = Object.values((sheet as unknown as { _merges: Record<string, { top: number; bottom: number; range: string }> })._merges ?? {});
  const merged = merges.find((m) => m.top <= table.headerRow && m.bottom >= table.headerRow);
  if (merged) return refuse('imports.mergedHeader', { range: merged.range, sheet: sheet.name });
  return { ok: true, table: { format: 'xlsx', encoding: null, sheets, sheetName: sheet.name, headers: table.headers, rows: table.rows } };
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
