import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { organizations, users } from '../../db/schema.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn } from '../helpers/client.js';
import { APRIL, csvLines, exportEvents, makeReportWorld, workbook } from '../helpers/report-world.js';

let ctx: TestContext;
beforeEach(async () => {
  ctx = await buildTestApp();
});
afterEach(async () => ctx.close());

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Tokyo and Osaka money in April 2025: a provider payment with a payee, a voided record, a pending one. */
async function seed() {
  const { w, grant, approved, tokyo, osaka } = await makeReportWorld(ctx.db, { name: '助成金A', budget: 500_000 });
  tokyo({
    ...approved,
    paidOn: '2025-04-01',
    method: 'paid_to_provider',
    payee: '山田不動産',
    lines: [
      { category: 'shelter', amount: 50_000 },
      { category: 'food', amount: 12_345 },
    ],
  });
  tokyo({
    ...approved,
    paidOn: '2025-04-30',
    peopleCovered: 2,
    fundId: grant.id,
    method: 'bank_transfer',
    payee: '佐藤花子',
    lines: [{ category: 'medical', amount: 7_655 }],
  });
  osaka({ ...approved, paidOn: '2025-04-15', lines: [{ category: 'medical', amount: 30_000 }] });
  tokyo({ paidOn: '2025-04-20', status: 'voided', decidedBy: w.coordinator.id, lines: [{ category: 'food', amount: 500_000 }] });
  tokyo({ paidOn: '2025-04-21', status: 'pending', lines: [{ category: 'food', amount: 1_000 }] });
  return { w, grant };
}

describe('the report page', () => {
  it('offers every file with the query it shows, and a Shift_JIS link for each CSV', async () => {
    const { w } = await seed();
    const page = (await (await signedIn(ctx.app, w.auditor)).get(`/reports?${APRIL}`)).body;
    const q = 'from=2025-04-01&amp;to=2025-04-30';
    for (const file of ['ledger.xlsx', 'summary.xlsx', 'freee.csv', 'moneyforward.csv']) expect(page).toContain(`href="/reports/${file}?${q}"`);
    for (const file of ['ledger.csv', 'summary.csv', 'freee.csv', 'moneyforward.csv']) expect(page).toContain(`href="/reports/${file}?${q}&amp;encoding=sjis"`);
    expect(page).toContain('明細台帳（CSV・1明細1行）・Shift_JIS版');
  });
});

describe('GET /reports/ledger.xlsx', () => {
  it('is a workbook with number and date cells, words, Japan time, a frozen filtered header and a 条件 sheet', async () => {
    const { w } = await seed();
    const client = await signedIn(ctx.app, w.coordinator);
    const response = await client.get(`/reports/ledger.xlsx?${APRIL}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe(XLSX);
    expect(response.headers['content-disposition']).toBe('attachment; filename="ledger_2025-04-01_2025-04-30.xlsx"');
    const book = await workbook(response.rawPayload);
    expect(book.worksheets.map((s) => s.name)).toEqual(['明細台帳', '条件']);
    const sheet = book.getWorksheet('明細台帳')!;
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.autoFilter).toBeTruthy();
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toContain('対象人数');
    const col = (name: string) => header.indexOf(name) + 1;
    // 4 approved lines, the voided one; pending left out without includePending; then the total.
    expect(sheet.rowCount).toBe(1 + 5 + 1);
    const rent = sheet.getRow(2);
    expect(rent.getCell(col('金額（円）')).value).toBe(50_000);
    expect(rent.getCell(col('金額（円）')).numFmt).toBe('#,##0');
    expect(rent.getCell(col('支給日')).value).toEqual(new Date('2025-04-01T00:00:00Z'));
    expect(rent.getCell(col('支給方法')).value).toBe('支払先へ直接支払い（大家・病院・学校など）');
    expect(rent.getCell(col('状態')).value).toBe('承認済み');
    // Approved 2025-06-02T00:00Z is 09:00 in Tokyo: the cell holds the Tokyo wall time.
    expect(rent.getCell(col('承認日時（日本時間）')).value).toEqual(new Date('2025-06-02T09:00:00Z'));
    const voided = sheet.getRow(5);
    expect([voided.getCell(col('状態')).value, voided.getCell(col('取消理由')).value]).toEqual(['取消', 'test void']);
    const total = sheet.getRow(7);
    expect(total.getCell(1).value).toBe('合計（取消を除く）');
    expect(total.getCell(col('金額（円）')).value).toBe(50_000 + 12_345 + 7_655 + 30_000);
    // Never the payee, never identity.
    expect(JSON.stringify(sheet.getSheetValues())).not.toContain('山田不動産');
    const conditions = book.getWorksheet('条件')!;
    const facts = Object.fromEntries(
      conditions
        .getSheetValues()
        .slice(2)
        .map((r) => [(r as unknown[])[1], (r as unknown[])[2]]),
    );
    expect(facts['期間']).toBe('2025年4月1日 〜 2025年4月30日');
    expect(facts['対象の団体']).toBe('すべての団体');
    expect([facts['総額（円）'], facts['のべ件数'], facts['のべ人数'], facts['実ケース数'], facts['実人数']]).toEqual([100_000, 3, 7, 2, 5]);
    expect(facts['作成者']).toBe(ctx.db.select().from(users).where(eq(users.id, w.coordinator.id)).get()!.displayName);
    expect(facts['作成日時（日本時間）']).toEqual(new Date('2025-06-15T12:00:00Z'));
    expect(exportEvents(ctx.db).map((e) => e.entityId)).toEqual(['ledger.xlsx']);
  });

  it("keeps a supporter to their own group: another group's rows are absent, its id is a 404", async () => {
    const { w } = await seed();
    const client = await signedIn(ctx.app, w.tokyoSupporter);
    expect((await client.get(`/reports/ledger.xlsx?${APRIL}&org=${w.osaka.id}`)).statusCode).toBe(404);
    const book = await workbook((await client.get(`/reports/ledger.xlsx?${APRIL}`)).rawPayload);
    const text = JSON.stringify(book.getWorksheet('明細台帳')!.getSheetValues());
    expect(text).toContain('TKY-2025-0001');
    expect(text).not.toContain('OSK-2025-0001');
    const facts = JSON.stringify(book.getWorksheet('条件')!.getSheetValues());
    expect(facts).toContain('Tokyo group');
  });
});

describe('text that looks like a formula', () => {
  it('stays a plain string cell in the workbooks, never a formula', async () => {
    const { w } = await seed();
    ctx.db.update(organizations).set({ name: '=HYPERLINK("http://evil.example","x")' }).where(eq(organizations.id, w.tokyo.id)).run();
    const client = await signedIn(ctx.app, w.coordinator);
    for (const [file, sheetName] of [
      ['ledger.xlsx', '明細台帳'],
      ['summary.xlsx', '団体別'],
    ] as const) {
      const book = await workbook((await client.get(`/reports/${file}?${APRIL}`)).rawPayload);
      const cells: ExcelJS.Cell[] = [];
      book.getWorksheet(sheetName)!.eachRow((row) => row.eachCell((cell) => cells.push(cell)));
      const evil = cells.filter((c) => String(c.value).includes('HYPERLINK'));
      expect(evil.length, file).toBeGreaterThan(0);
      expect(
        evil.every((c) => c.type === ExcelJS.ValueType.String && c.value === '=HYPERLINK("http://evil.example","x")'),
        file,
      ).toBe(true);
    }
  });
});

describe('GET /reports/summary.xlsx', () => {
  it('has 条件 and one sheet per breakdown, in English for an English user', async () => {
    const { w } = await seed();
    const client = await signedIn(ctx.app, w.auditor);
    ctx.db.run(`UPDATE users SET locale = 'en' WHERE id = ${w.auditor.id}`);
    const response = await client.get(`/reports/summary.xlsx?${APRIL}&includePending=1`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toBe('attachment; filename="summary_2025-04-01_2025-04-30_with-pending.xlsx"');
    const book = await workbook(response.rawPayload);
    expect(book.worksheets.map((s) => s.name)).toEqual(['Conditions', 'By category', 'By month', 'By group', 'By fund']);
    const categories = book.getWorksheet('By category')!;
    expect(categories.getRow(1).values).toEqual([undefined, 'Category', 'Amount (JPY)', 'Share', 'Lines']);
    const food = categories.getRow(3);
    expect([food.getCell(1).value, food.getCell(2).value, food.getCell(3).numFmt]).toEqual(['Food & consumables', 12_345 + 1_000, '0.0%']);
    const totalRow = categories.getRow(categories.rowCount);
    expect([totalRow.getCell(2).value, totalRow.getCell(3).value]).toEqual([101_000, 1]);
    const month = book.getWorksheet('By month')!.getRow(2);
    expect([month.getCell(1).value, month.getCell(2).value, month.getCell(3).value]).toEqual([new Date('2025-04-01T00:00:00Z'), 101_000, 4]);
    const fund = book.getWorksheet('By fund')!;
    expect(JSON.stringify(fund.getSheetValues())).toContain('助成金A');
    const facts = JSON.stringify(book.getWorksheet('Conditions')!.getSheetValues());
    expect(facts).toContain('Approved and pending disbursements');
    expect(exportEvents(ctx.db).map((e) => [e.entityId, e.actorUserId])).toEqual([['summary.xlsx', w.auditor.id]]);
  });
});

describe('accounting presets', () => {
  it('freee.csv follows freee’s template: one 支出 per counted line, 対象外, the mapped accounts', async () => {
    const { w, grant } = await seed();
    const client = await signedIn(ctx.app, w.coordinator);
    const response = await client.get(`/reports/freee.csv?${APRIL}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('attachment; filename="freee_2025-04-01_2025-04-30.csv"');
    expect([...response.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csvLines(response.body);
    expect(lines[0]).toBe(
      '収支区分,管理番号,発生日,決済期日,取引先コード,取引先,勘定科目,税区分,金額,税計算区分,税額,備考,品目,部門,メモタグ（複数指定可、カンマ区切り）,セグメント1,セグメント2,セグメント3,決済日,決済口座,決済金額',
    );
    expect(lines).toHaveLength(1 + 4);
    const rent = lines[1]!.split(',');
    expect(rent.slice(0, 11)).toEqual(['支出', expect.stringMatching(/^\d+-1$/), '2025/04/01', '', '', '山田不動産', '支払助成金', '対象外', '50000', '', '']);
    expect(rent.slice(18)).toEqual(['2025/04/01', '普通預金', '50000']);
    expect(rent[11]).toMatch(/^TKY-2025-0001 シェルター・住居費 支給記録#\d+-1 /);
    expect(response.body).not.toContain('500000'); // voided records never reach the books
    // A transfer to the person: their name must not go into the books as 取引先.
    expect(response.body).not.toContain('佐藤花子');
    // The admin's mapping: a category's account, and a fund's own account over its method's.
    const saved = await (
      await signedIn(ctx.app, w.admin)
    ).post('/admin/accounting', { category: { medical: '医療扶助費' }, fund: { [`id${grant.id}`]: '普通預金（助成金口座）' } });
    expect([saved.statusCode, saved.headers.location, saved.body.slice(0, 300)]).toEqual([303, '/admin/accounting', '']);
    const mapped = csvLines((await client.get(`/reports/freee.csv?${APRIL}`)).body);
    const grantLine = mapped.find((l) => l.includes('2025/04/30'))!.split(',');
    expect([grantLine[6], grantLine[19]]).toEqual(['医療扶助費', '普通預金（助成金口座）']);
  });

  it('moneyforward.csv follows the 仕訳帳 template: one balanced 取引No per disbursement', async () => {
    const { w } = await seed();
    const client = await signedIn(ctx.app, w.coordinator);
    const response = await client.get(`/reports/moneyforward.csv?${APRIL}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toBe('attachment; filename="moneyforward_2025-04-01_2025-04-30.csv"');
    const lines = csvLines(response.body).map((l) => l.split(','));
    expect(lines[0]!.join(',')).toBe(
      '取引No,取引日,借方勘定科目,借方補助科目,借方部門,借方取引先,借方税区分,借方インボイス,借方金額(円),借方税額,貸方勘定科目,貸方補助科目,貸方部門,貸方取引先,貸方税区分,貸方インボイス,貸方金額(円),貸方税額,摘要,仕訳メモ,タグ,MF仕訳タイプ,決算整理仕訳,作成日時,作成者,最終更新日時,最終更新者',
    );
    expect(lines.slice(1).every((l) => l.length === 27)).toBe(true);
    expect(lines.slice(1).map((l) => [l[0], l[1], l[2], l[8], l[10], l[16]])).toEqual([
      ['1', '2025/04/01', '支払助成金', '50000', '普通預金', '50000'],
      ['1', '2025/04/01', '支払助成金', '12345', '普通預金', '12345'],
      ['2', '2025/04/15', '支払助成金', '30000', '現金', '30000'],
      ['3', '2025/04/30', '支払助成金', '7655', '普通預金', '7655'],
    ]);
  });

  it('never gives an auditor the payee, and keeps a supporter to their own group', async () => {
    const { w } = await seed();
    const auditor = await signedIn(ctx.app, w.auditor);
    for (const file of ['freee.csv', 'moneyforward.csv', 'ledger.csv']) {
      const response = await auditor.get(`/reports/${file}?${APRIL}`);
      expect(response.statusCode, file).toBe(200);
      expect(response.body, file).not.toContain('山田不動産');
      expect(response.body, file).not.toContain('佐藤花子');
    }
    const osaka = await signedIn(ctx.app, w.osakaSupporter);
    for (const file of ['freee.csv', 'moneyforward.csv', 'ledger.xlsx', 'summary.xlsx']) {
      expect((await osaka.get(`/reports/${file}?${APRIL}&org=${w.tokyo.id}`)).statusCode, file).toBe(404);
    }
    const own = await osaka.get(`/reports/freee.csv?${APRIL}`);
    expect(own.body).not.toContain('TKY-2025-0001');
    expect(csvLines(own.body)).toHaveLength(2);
  });
});

describe('?encoding=sjis', () => {
  it('writes Shift_JIS (CP932) without BOM for every CSV, and records the encoding in the audit event', async () => {
    const { w } = await seed();
    const client = await signedIn(ctx.app, w.coordinator);
    for (const file of ['ledger.csv', 'summary.csv', 'freee.csv', 'moneyforward.csv']) {
      const response = await client.get(`/reports/${file}?${APRIL}&encoding=sjis`);
      expect(response.statusCode, file).toBe(200);
      expect(response.headers['content-type'], file).toBe('text/csv; charset=Shift_JIS');
      expect(response.headers['content-disposition'], file).toMatch(/_sjis\.csv"$/);
      expect([...response.rawPayload.subarray(0, 3)], file).not.toEqual([0xef, 0xbb, 0xbf]);
      const text = iconv.decode(response.rawPayload, 'cp932');
      expect(text, file).toMatch(/^(支給記録ID|区分コード|収支区分|取引No),/);
    }
    expect(exportEvents(ctx.db).map((e) => JSON.parse(e.after!).encoding)).toEqual(['sjis', 'sjis', 'sjis', 'sjis']);
    expect((await client.get(`/reports/ledger.csv?${APRIL}&encoding=latin1`)).statusCode).toBe(400);
  });

  it('answers 422 naming the record, column and character Shift_JIS cannot hold, and exports nothing', async () => {
    const { w } = await seed();
    ctx.db.update(organizations).set({ name: '𠮷田支援会' }).where(eq(organizations.id, w.osaka.id)).run();
    const client = await signedIn(ctx.app, w.coordinator);
    const response = await client.get(`/reports/ledger.csv?${APRIL}&encoding=sjis`);
    expect(response.statusCode).toBe(422);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toContain('Shift_JISで書き出せない文字があります');
    expect(response.body).toMatch(
      /<td>団体<\/td>\s*<td><a href="\/disbursements\/\d+">#\d+<\/a><\/td>\s*<td><span class="unmappable-char">𠮷<\/span> \(U\+20BB7\)<\/td>/,
    );
    expect(response.body).toContain(`href="/reports/ledger.csv?from=2025-04-01&amp;to=2025-04-30"`);
    expect(exportEvents(ctx.db)).toEqual([]);
    // UTF-8 holds it as it is.
    expect((await client.get(`/reports/ledger.csv?${APRIL}`)).body).toContain('𠮷田支援会');
  });
});
