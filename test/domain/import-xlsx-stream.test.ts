import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { MAX_IMPORT_ROWS, readUpload } from '../../server/domain/imports/read-upload.js';
import { readSheetStreaming, readSheetWhole } from '../../server/domain/imports/read-xlsx.js';

async function workbook(rows: number, build?: (ws: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('表紙').addRow(['この表は', '説明です']);
  const ws = wb.addWorksheet('記録');
  ws.addRow(['支給日', 'ケース番号', '区分', '金額']);
  for (let i = 0; i < rows; i++) ws.addRow([45474 + (i % 300), `K-${i}`, '食費', 1000]);
  build?.(ws);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('reading a workbook row by row (streaming)', () => {
  it('refuses 50,001 data rows with the count, and accepts a chosen sheet after another one', async () => {
    const refused = await readUpload(await workbook(MAX_IMPORT_ROWS + 1), 'many.xlsx', '記録');
    expect(refused).toMatchObject({ ok: false, problem: { key: 'imports.tooManyRows', params: { count: MAX_IMPORT_ROWS + 1 } } });
    const read = await readUpload(await workbook(3), 'few.xlsx', '記録');
    expect(read.ok ? read.table : read.problem).toMatchObject({
      sheets: ['表紙', '記録'],
      sheetName: '記録',
      headers: ['支給日', 'ケース番号', '区分', '金額'],
    });
    expect(read.ok && read.table.rows.map((r) => r.cells)).toEqual([
      ['45474', 'K-0', '食費', '1000'],
      ['45475', 'K-1', '食費', '1000'],
      ['45476', 'K-2', '食費', '1000'],
    ]);
  }, 120_000);

  it('sees a merge below the header without refusing, keeps only the merge’s first cell, and refuses one in the header', async () => {
    const below = await readUpload(await workbook(2, (ws) => ws.mergeCells('C3:D3')), 'm.xlsx', '記録');
    expect(below.ok && below.table.rows[1]!.cells).toEqual(['45475', 'K-1', '食費', '']);
    const header = await readUpload(await workbook(2, (ws) => ws.mergeCells('C1:D1')), 'h.xlsx', '記録');
    expect(header).toMatchObject({ ok: false, problem: { key: 'imports.mergedHeader', params: { range: 'C1:D1', sheet: '記録' } } });
  });

  it('falls back to the whole-workbook reader with the same result (exceljs issue 3064 makes the streaming one fail at times)', async () => {
    const file = await workbook(4, (ws) => ws.mergeCells('C3:D3'));
    const whole = await readSheetWhole(file, '記録', 100);
    let streamed: Awaited<ReturnType<typeof readSheetStreaming>> | null = null;
    for (let attempt = 0; attempt < 5 && streamed === null; attempt++) streamed = await readSheetStreaming(file, '記録', 100).catch(() => null);
    expect(streamed).not.toBeNull();
    expect(whole.sheets).toEqual(streamed!.sheets);
    expect(whole.merges).toEqual(streamed!.merges);
    expect(whole.filledRows).toBe(streamed!.filledRows);
    // The whole reader repeats a merged value across the range; readUpload keeps only the first cell for both.
    expect(whole.rows.map((r) => r.cells.slice(0, 3))).toEqual(streamed!.rows.map((r) => r.cells.slice(0, 3)));
  });
});
