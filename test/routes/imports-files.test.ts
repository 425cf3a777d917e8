import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { asc, count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disbursementLines, disbursements, importBatches } from '../../db/schema.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn, type TestClient } from '../helpers/client.js';
import { makeWorld } from '../helpers/factories.js';
import { batchIdOf, csvOf, proposedForm, upload } from '../imports/helpers.js';
import { convertWithLibreOffice } from '../imports/libreoffice.js';

let ctx: TestContext;
let tokyo: TestClient;
beforeAll(async () => {
  ctx = await buildTestApp({ env: { RATE_LIMIT_PER_MINUTE: '1000000' } });
  const world = await makeWorld(ctx.db);
  tokyo = await signedIn(ctx.app, world.tokyoSupporter);
});
afterAll(async () => ctx.close());

/** A sheet as partner groups keep them: a merged title line, then the header, then the rows. */
async function pastRecordsWorkbook(options: { mergeHeader?: boolean } = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('支給記録');
  ws.addRow(['2023年度 緊急支援 支給記録']);
  ws.mergeCells('A1:F1');
  ws.addRow(['支給日', 'ケース番号', '区分', '金額', '人数', '備考']);
  if (options.mergeHeader) ws.mergeCells('E2:F2');
  ws.addRow([new Date(Date.UTC(2023, 6, 4)), 'K-1', '家賃', 50000, 2, '']);
  ws.getCell('A3').numFmt = 'yyyy/mm/dd';
  ws.addRow([45112, 'K-1', '食費', 12000, 2, '']); // a date typed as a plain serial number
  // The cached result differs from what the formula would give now: the import takes the cached one.
  ws.addRow(['令和5年7月6日', 'K-2', '医療費', { formula: 'D4/2', result: 6500 }, 1, '通院']);
  ws.addRow(['H31.4.30', 'K-3', '光熱費', '¥3,000', 1, '']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function importAndCommit(file: Buffer, name: string) {
  const res = await upload(ctx.app, tokyo, file, name);
  expect(res.statusCode, res.body.slice(0, 2000)).toBe(303);
  const id = batchIdOf(res);
  const page = await tokyo.get(`/imports/${id}`);
  await tokyo.post(`/imports/${id}/dry-run`, proposedForm(page.body));
  const preview = await tokyo.get(`/imports/${id}`);
  expect(preview.body).toContain('誤りのある行: 0');
  expect((await tokyo.post(`/imports/${id}/commit`)).statusCode).toBe(303);
  return id;
}

/** The lines an import wrote: date, amount. */
const linesOf = (batchRows: number) =>
  ctx.db
    .select({ paidOn: disbursementLines.paidOn, amount: disbursementLines.amount })
    .from(disbursementLines)
    .orderBy(asc(disbursementLines.id))
    .all()
    .slice(-batchRows)
    .map((l) => `${l.paidOn} ${l.amount}`);

describe('workbooks', () => {
  it('reads an exceljs workbook: date cells, serial numbers, 年号 strings, cached formula results', async () => {
    await importAndCommit(await pastRecordsWorkbook(), 'records.xlsx');
    expect(linesOf(4)).toEqual(['2023-07-04 50000', '2023-07-05 12000', '2023-07-06 6500', '2019-04-30 3000']);
  });

  it('reads the same workbook after LibreOffice Calc saved it', async () => {
    const file = convertWithLibreOffice(await pastRecordsWorkbook(), 'records-lo.xlsx');
    // Different bytes: a new file; but the rows are the same content, so they are skipped as imported.
    const res = await upload(ctx.app, tokyo, file, 'records-lo.xlsx');
    const id = batchIdOf(res);
    await tokyo.post(`/imports/${id}/dry-run`, proposedForm((await tokyo.get(`/imports/${id}`)).body));
    const page = await tokyo.get(`/imports/${id}`);
    expect(page.body).toContain('取り込み済みのため飛ばす行: 4');
    expect(page.body).toContain('誤りのある行: 0');
  });

  it('reads a workbook LibreOffice made from a CSV (its own date and number cells)', async () => {
    const csv = Buffer.from('日付,ケース番号,区分,金額\n2024-05-01,L-1,家賃,"80,000"\n令和6年5月2日,L-1,食費,7000\nR6.5.3,L-2,学費,15000\n', 'utf8');
    await importAndCommit(convertWithLibreOffice(csv, 'lo-from-csv.csv'), 'lo-from-csv.xlsx');
    expect(linesOf(3)).toEqual(['2024-05-01 80000', '2024-05-02 7000', '2024-05-03 15000']);
  });

  it('reads date cells of a workbook in the 1904 date system (Excel for Mac) as the days they show, exceljs and LibreOffice files alike', async () => {
    const wb = new ExcelJS.Workbook();
    wb.properties.date1904 = true;
    const ws = wb.addWorksheet('記録');
    ws.addRow(['支給日', 'ケース番号', '区分', '金額']);
    ws.addRow([new Date(Date.UTC(2023, 3, 1)), 'M-1', '家賃', 40000]);
    ws.addRow([new Date(Date.UTC(2024, 2, 31)), 'M-1', '食費', 9000]);
    ws.getColumn(1).numFmt = 'yyyy/mm/dd';
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    // The same day number is four years and a day earlier in the 1900 system: 2019-03-31, not 2023-04-01.
    await importAndCommit(file, 'mac-1904.xlsx');
    expect(linesOf(2)).toEqual(['2023-04-01 40000', '2024-03-31 9000']);
    // LibreOffice writes date1904="true", which exceljs alone would read as the 1900 system; the rows are the same, so skipped.
    const res = await upload(ctx.app, tokyo, convertWithLibreOffice(file, 'mac-1904-lo.xlsx'), 'mac-1904-lo.xlsx');
    const id = batchIdOf(res);
    await tokyo.post(`/imports/${id}/dry-run`, proposedForm((await tokyo.get(`/imports/${id}`)).body));
    const page = await tokyo.get(`/imports/${id}`);
    expect(page.body).toContain('取り込み済みのため飛ばす行: 2');
    expect(page.body).toContain('誤りのある行: 0');
  });

  it('refuses merged header cells with the range, in exceljs and LibreOffice files alike', async () => {
    const merged = await pastRecordsWorkbook({ mergeHeader: true });
    for (const [file, name] of [
      [merged, 'm.xlsx'],
      [convertWithLibreOffice(merged, 'm-lo.xlsx'), 'm-lo.xlsx'],
    ] as const) {
      const res = await upload(ctx.app, tokyo, file, name);
      expect(res.statusCode).toBe(422);
      expect(res.body).toContain('見出し行に結合されたセル（E2:F2）');
    }
  });

  it('reads a chosen sheet, and names a missing one', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('メモ').addRow(['x']);
    const ws = wb.addWorksheet('2024');
    ws.addRow(['日付', 'ケース番号', '区分', '金額']);
    ws.addRow(['2024/6/1', 'S-1', '家賃', 1000]);
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    expect((await upload(ctx.app, tokyo, file, 's.xlsx')).statusCode).toBe(422);
    const missing = await upload(ctx.app, tokyo, file, 's.xlsx', { sheet: '2025' });
    expect(missing.body).toContain('「2025」という名前のシートがありません');
    expect((await upload(ctx.app, tokyo, file, 's.xlsx', { sheet: '2024' })).statusCode).toBe(303);
  });
});

describe('bad files get a clear answer and write nothing', () => {
  const countRows = () => [ctx.db.select({ n: count() }).from(importBatches).get()!.n, ctx.db.select({ n: count() }).from(disbursements).get()!.n];

  it('checks the bytes against the name', async () => {
    const before = countRows();
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000a49444154789c6300010000050001', 'hex');
    const asXlsx = await upload(ctx.app, tokyo, png, 'records.xlsx');
    expect(asXlsx.statusCode).toBe(422);
    expect(asXlsx.body).toContain('名前と中身が違います（中身は png 形式です）');
    const workbookAsCsv = await upload(ctx.app, tokyo, await pastRecordsWorkbook(), 'records.csv');
    expect(workbookAsCsv.body).toContain('中身は xlsx 形式です');
    const csvAsXlsx = await upload(ctx.app, tokyo, csvOf([['2024/1/1', 'A', '家賃', '1']]), 'records.xlsx');
    expect(csvAsXlsx.body).toContain('名前と中身が違います');
    expect((await upload(ctx.app, tokyo, Buffer.from('x'), 'records.xls')).body).toContain('取り込めない形式です');
    expect(countRows()).toEqual(before);
  });

  it('refuses an empty sheet, a CSV with mixed encodings, more than 50,000 rows and more than 10 MB', async () => {
    const before = countRows();
    const empty = new ExcelJS.Workbook();
    empty.addWorksheet('空');
    const res = await upload(ctx.app, tokyo, Buffer.from(await empty.xlsx.writeBuffer()), 'empty.xlsx');
    expect([res.statusCode, res.body.includes('見出し行と記録が見つかりません')]).toEqual([422, true]);

    const mixed = Buffer.concat([csvOf([['2024/1/1', 'A', '家賃', '1', '1', '現金', '']]), iconv.encode('2024/1/2,A,食費,2,1,現金,\r\n', 'cp932')]);
    const m = await upload(ctx.app, tokyo, mixed, 'mixed.csv');
    expect([m.statusCode, m.body.includes('UTF-8 の行と Shift_JIS などの行が混ざっています')]).toEqual([422, true]);

    const many = csvOf(Array.from({ length: 50_001 }, (_, i) => ['2024/1/1', `C-${i}`, '家賃', '1000', '1', '現金', '']));
    const tooMany = await upload(ctx.app, tokyo, many, 'many.csv');
    expect(tooMany.statusCode).toBe(422);
    expect(tooMany.body).toContain('行が多すぎます（50001行）');

    const huge = Buffer.alloc(10 * 1024 * 1024 + 1, 0x41);
    const big = await upload(ctx.app, tokyo, huge, 'huge.csv');
    expect(big.statusCode).toBe(413);
    expect(countRows()).toEqual(before);
  });

  it('accepts exactly 50,000 rows', async () => {
    const rows = Array.from({ length: 50_000 }, (_, i) => ['2024/1/1', `C-${i}`, '家賃', '1000', '1', '現金', '']);
    const res = await upload(ctx.app, tokyo, csvOf(rows), 'max.csv');
    expect(res.statusCode).toBe(303);
    expect(ctx.db.select().from(importBatches).all().at(-1)!.rowCount).toBe(50_000);
  });
});
