import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';

const pad = (n: number) => String(n).padStart(2, '0');

const DAY_MS = 86_400_000;
/** Days between the 1900 and 1904 date systems' day zero. */
const DAYS_1904 = 1462;

/**
 * One workbook cell as text. A formula gives its cached result: nothing here ever evaluates one.
 * `dayShift` corrects a date exceljs converted with the wrong date system (see dateShift).
 */
export function cellText(value: ExcelJS.CellValue, dayShift = 0): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return '';
    const day = new Date(value.getTime() + dayShift * DAY_MS);
    return `${day.getUTCFullYear()}-${pad(day.getUTCMonth() + 1)}-${pad(day.getUTCDate())}`;
  }
  if ('formula' in value || 'sharedFormula' in value) return cellText((value as { result?: ExcelJS.CellValue }).result ?? null, dayShift);
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('error' in value) return String(value.error);
  if ('text' in value) return String(value.text);
  return '';
}

/**
 * Whether the workbook counts days from 1904 (Excel for Mac's old default; LibreOffice keeps it):
 * the same day number is then four years and a day later. Read from xl/workbook.xml itself, since
 * exceljs recognises only date1904="1" and LibreOffice writes "true".
 */
export async function usesDate1904(bytes: Buffer): Promise<boolean> {
  const zip = await JSZip.loadAsync(bytes);
  const xml = await zip.file('xl/workbook.xml')?.async('string');
  return /<(?:\w+:)?workbookPr\b[^>]*\bdate1904\s*=\s*["'](?:1|true)["']/.test(xml ?? '');
}

/** Days to add to a date exceljs made with its own reading of the date system, to reach the true one. */
const dateShift = (date1904: boolean, exceljsSaw1904: boolean) => (date1904 === exceljsSaw1904 ? 0 : date1904 ? DAYS_1904 : -DAYS_1904);

export interface MergedRange {
  top: number;
  bottom: number;
  /** 0-based columns, left to right. */
  left: number;
  right: number;
  range: string;
}
const columnIndex = (letters: string) => [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
export interface SheetRead {
  sheets: string[];
  sheetName: string | null;
  rows: { rowNumber: number; cells: string[] }[];
  merges: MergedRange[];
  /** Filled rows beyond the kept ones: counted, not kept (a refusal names the count). */
  filledRows: number;
}

/** The streaming reader's worksheet: the raw XML chunks it parses are replaceable before reading. */
interface StreamSheet {
  name: string;
  iterator: AsyncIterable<Buffer | string>;
  [Symbol.asyncIterator](): AsyncIterator<ExcelJS.Row>;
}

const MERGE = /<mergeCell\s+ref="([A-Z]{1,3})([0-9]+):([A-Z]{1,3})([0-9]+)"/g;

/**
 * exceljs's streaming reader passes over <mergeCell> elements, so the XML it reads is watched on
 * the way through (ASCII patterns, read as latin1 so a split UTF-8 character cannot matter).
 */
function watchMerges(source: AsyncIterable<Buffer | string>, merges: Map<string, MergedRange>): AsyncIterable<Buffer | string> {
  return (async function* () {
    let tail = '';
    for await (const chunk of source) {
      const text = tail + (typeof chunk === 'string' ? chunk : chunk.toString('latin1'));
      for (const m of text.matchAll(MERGE))
        merges.set(m[0], {
          top: Number(m[2]),
          bottom: Number(m[4]),
          left: columnIndex(m[1]!),
          right: columnIndex(m[3]!),
          range: `${m[1]}${m[2]}:${m[3]}${m[4]}`,
        });
      tail = text.slice(-200);
      yield chunk;
    }
  })();
}

async function drain(source: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of source) void _;
}

/**
 * exceljs's streaming reader sometimes loses the zip entries stored last (xl/workbook.xml,
 * sometimes the shared strings) on Node 18+: exceljs issue 3064. It then throws or leaves
 * cells unresolved; the caller reads the workbook whole instead.
 */
export class StreamRaceError extends Error {}

/** The same sheet from the whole-workbook reader: only when the streaming one failed (memory-heavy). */
export async function readSheetWhole(bytes: Buffer, wantedSheet: string | null, keep: number): Promise<SheetRead> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const shift = dateShift(await usesDate1904(bytes), workbook.properties.date1904 === true);
  const sheets = workbook.worksheets.map((w) => w.name);
  const sheet = wantedSheet ? workbook.getWorksheet(wantedSheet) : workbook.worksheets[0];
  const result: SheetRead = { sheets, sheetName: sheet?.name ?? null, rows: [], merges: [], filledRows: 0 };
  if (!sheet) return result;
  const width = sheet.columnCount;
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells = Array.from({ length: width }, (_, i) => cellText(row.getCell(i + 1).value, shift).trim());
    if (cells.every((c) => c === '')) return;
    result.filledRows += 1;
    if (result.rows.length < keep) result.rows.push({ rowNumber, cells });
  });
  const merges = Object.values(
    (sheet as unknown as { _merges: Record<string, { top: number; bottom: number; left: number; right: number; range: string }> })._merges ?? {},
  );
  result.merges = merges.map((m) => ({ top: m.top, bottom: m.bottom, left: m.left - 1, right: m.right - 1, range: m.range }));
  return result;
}

/**
 * Read one sheet of a workbook row by row (exceljs's streaming reader: shared strings and styles
 * cached, so a date cell comes as a date in the workbook's own date system). At most `keep`
 * filled rows are held; the whole workbook never is. Throws on a file exceljs cannot read.
 */
export async function readSheetStreaming(bytes: Buffer, wantedSheet: string | null, keep: number): Promise<SheetRead> {
  const date1904 = await usesDate1904(bytes);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([bytes]), {
    sharedStrings: 'cache',
    worksheets: 'emit',
    hyperlinks: 'ignore',
    styles: 'cache',
    entries: 'ignore',
  });
  // What exceljs believes when it converts a date cell (it reads workbook.xml before the sheets).
  const exceljsSaw1904 = () => (reader as unknown as { properties?: { model?: { date1904?: boolean } } }).properties?.model?.date1904 === true;
  const result: SheetRead = { sheets: [], sheetName: null, rows: [], merges: [], filledRows: 0 };
  for await (const raw of reader) {
    const sheet = raw as unknown as StreamSheet;
    result.sheets.push(sheet.name);
    const chosen = result.sheetName === null && (wantedSheet === null || sheet.name === wantedSheet);
    if (!chosen) {
      await drain(sheet.iterator);
      continue;
    }
    result.sheetName = sheet.name;
    const merges = new Map<string, MergedRange>();
    sheet.iterator = watchMerges(sheet.iterator, merges);
    let width = 0;
    for await (const row of sheet) {
      const values = row.values as ExcelJS.CellValue[];
      const shift = dateShift(date1904, exceljsSaw1904());
      const cells: string[] = [];
      for (let i = 1; i < values.length; i++) {
        const v = values[i] ?? null;
        // The shared strings part was not read (exceljs issue 3064, below): never guess a cell.
        if (v !== null && typeof v === 'object' && 'sharedString' in v) throw new StreamRaceError();
        cells.push(cellText(v, shift).trim());
      }
      if (cells.every((c) => c === '')) continue;
      result.filledRows += 1;
      if (result.rows.length >= keep) continue;
      width = Math.max(width, cells.length);
      result.rows.push({ rowNumber: row.number, cells });
    }
    for (const r of result.rows) while (r.cells.length < width) r.cells.push('');
    result.merges = [...merges.values()];
  }
  return result;
}
