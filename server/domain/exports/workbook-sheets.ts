import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { tokyoWallClock } from '../dates.js';
import type { ColumnKind } from './ledger-columns.js';

/** Number formats an accountant expects: yen with separators, Japanese dates, percentages. */
export const NUM_FMT: Record<ColumnKind | 'percent' | 'month', string | undefined> = {
  int: '0',
  yen: '#,##0',
  date: 'yyyy/mm/dd',
  instant: 'yyyy/mm/dd hh:mm:ss',
  text: undefined,
  percent: '0.0%',
  month: 'yyyy/mm',
};

export type CellValue = string | number | Date | null;

/** A calendar date (YYYY-MM-DD or YYYY-MM) as a date cell: midnight UTC, so no zone can shift the day. */
export const dateCell = (isoDate: string): Date => new Date(`${isoDate.length === 7 ? `${isoDate}-01` : isoDate}T00:00:00Z`);

/** A cell as the sheet stores it: numbers stay numbers, dates and instants become date cells. */
export function typedCell(kind: ColumnKind, value: string | number | null): CellValue {
  if (value === null || value === '') return null;
  if (kind === 'date' && typeof value === 'string') return dateCell(value);
  if (kind === 'instant' && typeof value === 'string') return tokyoWallClock(value);
  return value;
}

const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{10000}-\u{10ffff}]/gu;

/** Display width: CJK and full-width characters take two columns. */
function displayWidth(value: CellValue, kind: ColumnKind | 'percent' | 'month'): number {
  if (value === null) return 0;
  if (value instanceof Date) return kind === 'instant' ? 19 : 10;
  if (typeof value === 'number') return kind === 'yen' ? Math.ceil((String(Math.trunc(value)).length * 4) / 3) : String(value).length;
  return [...value].length + (value.match(WIDE)?.length ?? 0);
}

export interface SheetColumn {
  header: string;
  kind: ColumnKind | 'percent' | 'month';
}

export type WorkbookWriter = ExcelJS.stream.xlsx.WorkbookWriter;

/**
 * A streaming workbook: rows go to the zip as they are committed, so a 50,000-line ledger takes
 * seconds and little memory (the in-memory workbook took most of a minute and a gigabyte).
 */
export function startWorkbook(creator: string, created: Date): { workbook: WorkbookWriter; bytes: () => Promise<Uint8Array> } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  workbook.creator = creator;
  workbook.created = created;
  return {
    workbook,
    bytes: async () => {
      await workbook.commit();
      await ended;
      // A fresh buffer of its own, so the worker can transfer it.
      return new Uint8Array(Buffer.concat(chunks));
    },
  };
}

/**
 * A table sheet: bold header row frozen, autofilter over the data, number and date formats per
 * column, widths that fit the longest cell (within reason). `footer` rows follow the data, bold,
 * outside the filter.
 */
export function addTableSheet(workbook: WorkbookWriter, name: string, columns: SheetColumn[], rows: CellValue[][], footer: CellValue[][] = []): void {
  const widths = columns.map((c) => displayWidth(c.header, 'text'));
  for (const row of [...rows, ...footer]) row.forEach((v, i) => (widths[i] = Math.max(widths[i]!, displayWidth(v, columns[i]!.kind))));
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  // Written at commit; the streaming writer's type does not list it, its code does.
  (sheet as unknown as { autoFilter: ExcelJS.AutoFilter }).autoFilter = {
    from: { row: 1, column: 1 },
    to: { row: Math.max(1, rows.length + 1), column: columns.length },
  };
  sheet.columns = columns.map((c, i) => {
    const numFmt = NUM_FMT[c.kind];
    return { width: Math.min(60, Math.max(6, widths[i]! + 2)), ...(numFmt ? { style: { numFmt } } : {}) };
  });
  const header = sheet.addRow(columns.map((c) => c.header));
  header.font = { bold: true };
  header.commit();
  for (const row of rows) sheet.addRow(row).commit();
  for (const row of footer) {
    const added = sheet.addRow(row);
    added.font = { bold: true };
    added.commit();
  }
  sheet.commit();
}
