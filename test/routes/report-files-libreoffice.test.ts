import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn } from '../helpers/client.js';
import { CSV_AS_SHOWN, CSV_RAW_VALUES, readCsv, SHIFT_JIS_CSV_IMPORT, startLibreOffice } from '../helpers/libreoffice.js';
import { APRIL, makeReportWorld } from '../helpers/report-world.js';

/**
 * Issue 12 §3: the files read back by a real spreadsheet. One app, one set of downloads, three
 * soffice runs (each start costs seconds): XLSX → CSV raw, XLSX → CSV as shown, Shift_JIS CSV → XLSX.
 */
let ctx: TestContext;
let lo: ReturnType<typeof startLibreOffice>;
const files: Record<string, Buffer> = {};

beforeAll(async () => {
  ctx = await buildTestApp();
  lo = startLibreOffice();
  const { w, grant, approved, tokyo } = await makeReportWorld(ctx.db, { name: '髙橋基金①', budget: 1_000_000 }, { withOsaka: false });
  tokyo({
    ...approved,
    paidOn: '2025-04-01',
    lines: [
      { category: 'shelter', amount: 1_234_567 },
      { category: 'food', amount: 12_345 },
    ],
  });
  tokyo({ ...approved, paidOn: '2025-04-30', fundId: grant.id, lines: [{ category: 'medical', amount: 7_655 }] });
  tokyo({ paidOn: '2025-04-20', status: 'voided', decidedBy: w.coordinator.id, lines: [{ category: 'food', amount: 500_000 }] });
  const client = await signedIn(ctx.app, w.coordinator);
  for (const [name, url] of [
    ['ledger.xlsx', `/reports/ledger.xlsx?${APRIL}`],
    ['summary.xlsx', `/reports/summary.xlsx?${APRIL}`],
    ['ledger.csv', `/reports/ledger.csv?${APRIL}&encoding=sjis`],
    ['freee.csv', `/reports/freee.csv?${APRIL}&encoding=sjis`],
  ] as const) {
    const response = await client.get(url);
    if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode}`);
    files[name] = response.rawPayload;
  }
}, 60_000);
afterAll(async () => {
  lo.close();
  await ctx.close();
});

const TOTAL = 1_234_567 + 12_345 + 7_655;

describe('LibreOffice reads the exports back', () => {
  it('XLSX: every sheet, amounts as plain numbers, dates as dates, words and Japan time', async () => {
    const raw = await lo.convert({ 'ledger.xlsx': files['ledger.xlsx']!, 'summary.xlsx': files['summary.xlsx']! }, CSV_RAW_VALUES);
    expect(Object.keys(raw).sort()).toEqual(
      [
        'ledger-明細台帳.csv',
        'ledger-条件.csv',
        'summary-条件.csv',
        'summary-支出区分別.csv',
        'summary-月別.csv',
        'summary-団体別.csv',
        'summary-財源別.csv',
      ].sort(),
    );
    const ledger = readCsv(raw['ledger-明細台帳.csv']!);
    const header = ledger[0]!;
    const at = (name: string) => header.indexOf(name);
    expect(ledger).toHaveLength(1 + 4 + 1);
    // Raw values: a number cell comes back with no separator and adds up.
    const amounts = ledger.slice(1, -1).map((r) => r[at('金額（円）')]!);
    expect(amounts).toEqual(['1234567', '12345', '500000', '7655']);
    expect(ledger.at(-1)![at('金額（円）')]).toBe(String(TOTAL));
    expect(ledger.map((r) => r[at('状態')])).toEqual(['状態', '承認済み', '承認済み', '取消', '承認済み', '']);
    expect(ledger[3]![at('取消理由')]).toBe('test void');
    const conditions = Object.fromEntries(readCsv(raw['ledger-条件.csv']!).map((r) => [r[0], r[1]]));
    expect([conditions['総額（円）'], conditions['のべ件数'], conditions['実ケース数']]).toEqual([String(TOTAL), '2', '1']);
    const byCategory = readCsv(raw['summary-支出区分別.csv']!);
    expect(byCategory[1]!.slice(0, 2)).toEqual(['シェルター・住居費', '1234567']);
    expect(byCategory.at(-1)!.slice(0, 2)).toEqual(['合計', String(TOTAL)]);
    expect(readCsv(raw['summary-財源別.csv']!).some((r) => r[0] === '髙橋基金①' && r[1] === '7655')).toBe(true);

    // As shown: #,##0 and yyyy/mm/dd were applied, which only happens to number and date cells.
    const shown = await lo.convert({ 'ledger.xlsx': files['ledger.xlsx']! }, CSV_AS_SHOWN);
    const formatted = readCsv(shown['ledger-明細台帳.csv']!);
    expect(formatted[1]![at('金額（円）')]).toBe('1,234,567');
    expect(formatted[1]![at('支給日')]).toBe('2025/04/01');
    // Decided 2025-06-02T00:00Z: 09:00 in Tokyo.
    expect(formatted[1]![at('承認日時（日本時間）')]).toBe('2025/06/02 09:00:00');
    expect(formatted[3]![at('取消日時（日本時間）')]).toBe('2025/06/03 09:00:00');
    // Raw, a date cell is written in the locale's default date form, whatever that locale is.
    expect(ledger[1]![at('支給日')]).toMatch(/^(04\/01\/2025|01\/04\/2025|2025[-/]0?4[-/]0?1)$/);
  }, 120_000);

  it('Shift_JIS CSV: opened as CP932, Japanese intact, amounts numbers, dates dates', async () => {
    const converted = await lo.convert({ 'ledger.csv': files['ledger.csv']!, 'freee.csv': files['freee.csv']! }, 'xlsx', { infilter: SHIFT_JIS_CSV_IMPORT });
    const read = async (name: string) => {
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(converted[name]! as unknown as ArrayBuffer);
      return book.worksheets[0]!;
    };
    // LibreOffice may write mixed-script text as rich text (a font per script): compare .text.
    const texts = (row: ExcelJS.Row) => Array.from({ length: row.cellCount }, (_, i) => row.getCell(i + 1).text);
    const ledger = await read('ledger.xlsx');
    const header = texts(ledger.getRow(1));
    expect(header.slice(0, 7)).toEqual(['支給記録ID', '明細番号', 'ケース番号', '団体', '支給日', '支出区分', '金額（円）']);
    const row = ledger.getRow(2);
    expect(row.getCell(header.indexOf('金額（円）') + 1).value).toBe(1_234_567);
    expect(row.getCell(header.indexOf('支給日') + 1).value).toEqual(new Date('2025-04-01T00:00:00Z'));
    expect(row.getCell(header.indexOf('支出区分') + 1).text).toBe('シェルター・住居費');
    expect(ledger.getRow(5).getCell(header.indexOf('財源') + 1).text).toBe('髙橋基金①');
    expect(ledger.getRow(6).getCell(header.indexOf('金額（円）') + 1).value).toBe(TOTAL);

    const freee = await read('freee.xlsx');
    expect(freee.getRow(1).getCell(1).text).toBe('収支区分');
    const first = freee.getRow(2);
    expect([first.getCell(1).text, first.getCell(7).text, first.getCell(8).text, first.getCell(9).value]).toEqual(['支出', '支払助成金', '対象外', 1_234_567]);
    expect(first.getCell(3).value).toEqual(new Date('2025-04-01T00:00:00Z'));
  }, 120_000);
});
