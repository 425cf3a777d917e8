import type ExcelJS from 'exceljs';
import { tokyoWallClock } from '../clock.js';
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

/** Display width: CJK and full-width characters take two columns. */
function displayWidth(value: CellValue, kind: ColumnKind | 'percent' | 'month'): number {
  if (value === null) return 0;
  if (value instanceof Date) return kind === 'instant' ? 19 : 10;
  if (typeof value === 'number') return kind === 'yen' ? Math.ceil(String(Math.trunc(value)).length * 4 / 3) : String(value).length;
  let width = 0;
  for (const ch of value) width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) || ch.codePointAt(0)! > 0xffff ? 2 : 1;
  return width;
}

export interface SheetColumn {
  header: string;
  kind: ColumnKind | 'percent' | 'month';
}

/**
 * A table sheet: bold header row frozen, autofilter over the data, number and date formats per
 * column, widths that fit the longest cell (within reason). `footer` rows follow the data, bold,
 * outside the filter.
 */
export function addTableSheet(workbook: ExcelJS.Workbook, name: string, columns: SheetColumn[], rows: CellValue[][], footer: CellValue[][] = []): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  const widths = columns.map((c) => displayWidth(c.header, 'text'));
  sheet.addRow(columns.map((c) => c.header)).font = { bold: true };
  for (const row of [...rows, ...footer]) {
    sheet.addRow(row);
    row.forEach((v, i) => (widths[i] = Math.max(widths[i]!, displayWidth(v, columns[i]!.kind))));
  }
  columns.forEach((c, i) => {
    const column = sheet.getColumn(i + 1);
    column.width = Math.min(60, Math.max(6, widths[i]! + 2));
    const numFmt = NUM_FMT[c.kind];
    if (numFmt) column.numFmt = numFmt;
  });
  sheet.getRow(1).numFmt = '@';
  for (let i = 0; i < footer.length; i++) sheet.getRow(rows.length + 2 + i).font = { bold: true };
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(1, rows.length + 1), column: columns.length } };
  return sheet;
}
