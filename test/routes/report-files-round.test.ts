import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rounds } from '../../db/schema.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn } from '../helpers/client.js';
import { makeWorld } from '../helpers/factories.js';
import { categoryId, defaultFundId } from '../helpers/money-factories.js';

let ctx: TestContext;
beforeEach(async () => {
  ctx = await buildTestApp();
});
afterEach(async () => ctx.close());

async function conditionsOf(body: Buffer): Promise<string[][]> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(body as unknown as ArrayBuffer);
  const rows: string[][] = [];
  book.getWorksheet('条件')!.eachRow((row) => rows.push([String(row.getCell(1).value ?? ''), String(row.getCell(2).value ?? '')]));
  return rows;
}

describe('the 条件 sheet of a file limited to a grant round', () => {
  it('names the round (ledger and summary), and says nothing of rounds when the file covers every record', async () => {
    const w = await makeWorld(ctx.db);
    const round = ctx.db
      .insert(rounds)
      .values({
        fundId: defaultFundId(ctx.db),
        name: '2025年夏の食料支援',
        categoryId: categoryId(ctx.db, 'food'),
        amount: 5000,
        unit: 'person',
        startsOn: '2025-04-01',
        endsOn: '2025-06-30',
        createdBy: w.admin.id,
      })
      .returning()
      .get();
    const admin = await signedIn(ctx.app, w.admin);
    for (const file of ['ledger.xlsx', 'summary.xlsx']) {
      const get = (q: string) =>
        ctx.app.inject({ method: 'GET', url: `/reports/${file}?from=2025-04-01&to=2025-06-30${q}`, headers: { cookie: admin.cookieHeader() } });
      const limited = await get(`&round=${round.id}`);
      expect(limited.statusCode).toBe(200);
      expect(await conditionsOf(limited.rawPayload)).toContainEqual(['助成ラウンド（このラウンドの支給だけ）', '2025年夏の食料支援']);
      const all = await conditionsOf((await get('')).rawPayload);
      expect(all.map((r) => r[0])).not.toContain('助成ラウンド（このラウンドの支給だけ）');
      expect(all[5]![0]).toBe('集計の対象');
    }
  });
});
