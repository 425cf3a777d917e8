import { eq } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, funds, moneyIn, moneyInBatches } from '../../db/schema.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn, type TestClient } from '../helpers/client.js';
import { makeWorld } from '../helpers/factories.js';
import { postMultipart } from '../helpers/multipart.js';
import { csvOf, proposedForm } from '../imports/helpers.js';

let ctx: TestContext;
let admin: TestClient;
let coordinator: TestClient;
let fundId: number;
let base: string;

// The platform's export also names donors: a column nobody maps, which must not be kept readable.
const HEADER = ['決済日', '寄付金額', '寄付種別', 'プロジェクト', 'お名前'];
const ROWS = [
  ['2025/6/1', '¥3,000', 'マンスリー', '冬の募金', 'Yamada Taro'],
  ['2025/6/1', '3000', 'マンスリー', '冬の募金', 'Suzuki Hanako'],
  ['令和7年6月2日', '１０，０００', '法人', '', '株式会社サンプル'],
  ['2025-06-03', '500000', '助成金', 'A財団', 'A財団'],
];

beforeAll(async () => {
  ctx = await buildTestApp({ env: { RATE_LIMIT_PER_MINUTE: '1000000' } });
  const world = await makeWorld(ctx.db);
  fundId = ctx.db.insert(funds).values({ name: 'Winter campaign', budget: 3_000_000 }).returning().get().id;
  base = `/admin/funds/${fundId}/money-in/imports`;
  admin = await signedIn(ctx.app, world.admin);
  coordinator = await signedIn(ctx.app, world.coordinator);
});
afterAll(async () => ctx.close());

const upload = (client: TestClient, file: Buffer, name: string) => postMultipart(ctx.app, client, base, {}, [{ name: 'file', filename: name, data: file }]);
const batchOf = (res: LightMyRequestResponse) => {
  const m = new RegExp(`^${base}/(\\d+)$`).exec(String(res.headers.location));
  if (!m) throw new Error(`no batch: ${res.statusCode} ${res.body.slice(0, 300)}`);
  return Number(m[1]);
};
const moneyRows = () =>
  ctx.db
    .select()
    .from(moneyIn)
    .where(eq(moneyIn.fundId, fundId))
    .all()
    .map((r) => [r.receivedOn, r.amount, r.source, r.label]);

/** Upload, take the page's proposal (with any overrides), dry run; the batch page after it. */
async function dryRun(file: Buffer, name: string, overrides: Record<string, string> = {}) {
  const id = batchOf(await upload(admin, file, name));
  const form = { ...proposedForm((await admin.get(`${base}/${id}`)).body), ...overrides };
  const res = await admin.post(`${base}/${id}/dry-run`, form);
  expect(res.statusCode).toBe(303);
  return { id, page: (await admin.get(`${base}/${id}`)).body };
}

describe("money in from the donation platform's file", () => {
  it("reads a Shift_JIS export, proposes the columns, maps the file's own source words, and imports it all at once", async () => {
    const { id, page } = await dryRun(csvOf(ROWS, { encoding: 'shift_jis', header: HEADER }), '寄付.csv');
    expect(page).toContain('CSV（文字コード: Shift_JIS）');
    expect(page).toContain('取り込む行: 4');
    expect(page).toContain('取り込む合計: ¥516,000');
    expect(moneyRows()).toEqual([]);
    const staged = JSON.stringify(ctx.db.select().from(moneyInBatches).all());
    expect(staged).not.toContain('Yamada');
    const done = await admin.post(`${base}/${id}/commit`, {});
    expect(done.statusCode).toBe(303);
    expect(moneyRows()).toEqual([
      ['2025-06-01', 3000, 'individual', '冬の募金'],
      ['2025-06-01', 3000, 'individual', '冬の募金'],
      ['2025-06-02', 10000, 'corporate', null],
      ['2025-06-03', 500000, 'grant', 'A財団'],
    ]);
    const event = ctx.db.select().from(auditEvents).where(eq(auditEvents.action, 'money_in.recorded')).all().at(-1)!;
    expect(JSON.parse(event.after!)).toEqual({ origin: 'import', batchId: id, rows: 4, duplicates: 0, total: 516_000 });
    expect((await admin.post(`${base}/${id}/commit`, {})).statusCode).toBe(409);
    // Committed: only the mapped fields remain; the sealed cells are dropped.
    expect(ctx.db.select().from(moneyInBatches).where(eq(moneyInBatches.id, id)).get()?.rows).toBe('');
    expect(JSON.stringify(ctx.db.select().from(auditEvents).all()) + JSON.stringify(ctx.db.select().from(moneyIn).all())).not.toMatch(/Yamada|Suzuki/);
  });

  it('the same file again creates nothing; an overlapping UTF-8 BOM export adds only its new row', async () => {
    const again = await upload(admin, csvOf(ROWS, { encoding: 'shift_jis', header: HEADER }), '寄付.csv');
    expect(again.statusCode).toBe(303);
    expect(
      ctx.db
        .select()
        .from(moneyInBatches)
        .where(eq(moneyInBatches.id, batchOf(again)))
        .get()?.status,
    ).toBe('committed');
    const { id, page } = await dryRun(csvOf([...ROWS, ['2025/6/4', '1000', 'マンスリー', '', 'Sato']], { encoding: 'utf-8-bom', header: HEADER }), 'next.csv');
    expect(page).toContain('CSV（文字コード: UTF-8 BOM付き）');
    expect(page).toContain('取り込み済みのため飛ばす行: 4');
    expect(page).toContain('取り込む行: 1');
    expect((await admin.post(`${base}/${id}/commit`, {})).statusCode).toBe(303);
    expect(moneyRows()).toHaveLength(5);
    expect(moneyRows().at(-1)).toEqual(['2025-06-04', 1000, 'individual', null]);
  });

  it('a bad row is reported with its row number, and the commit writes nothing', async () => {
    const rows = [
      ['2025/7/1', '1000', '', ''],
      ['2025/2/30', '1000', '', ''],
      ['2025/7/2', '1000', '謎', ''],
    ];
    const { id, page } = await dryRun(csvOf(rows, { header: HEADER }), 'bad.csv');
    expect(page).toContain('問題のある行: 2');
    expect(page).toMatch(/<td>3<\/td><td>受入日<\/td>/);
    expect(page).toContain('種別「謎」が分かりません');
    const before = moneyRows().length;
    expect((await admin.post(`${base}/${id}/commit`, {})).statusCode).toBe(409);
    expect(moneyRows()).toHaveLength(before);
    // The user says what 謎 means and the dry run passes the file as it is.
    const fixed = proposedForm((await admin.get(`${base}/${id}`)).body);
    const at = Object.entries(fixed)
      .find(([k, v]) => k.startsWith('sourceWord') && v === '謎')![0]
      .replace('sourceWord', 'sourceCode');
    await admin.post(`${base}/${id}/dry-run`, { ...fixed, [at]: 'other' });
    expect((await admin.get(`${base}/${id}`)).body).toContain('問題のある行: 1');
  });

  it('a saved mapping finds its columns in a file whose columns moved', async () => {
    const header = ['入金', '金額', '日付', 'メモ'];
    const first = await dryRun(csvOf([['x', '700', '2025/8/1', '']], { header }), 'odd.csv', {
      'col[source]': '',
      'col[label]': '',
      'col[receivedOn]': '2',
      'col[amount]': '1',
      saveAs: 'Platform',
    });
    expect(first.page).toContain('取り込む行: 1');
    const id = batchOf(await upload(admin, csvOf([['2025/8/2', '800', '']], { header: ['日付', '金額', 'メモ'] }), 'odd2.csv'));
    const saved = /<option value="(\d+)">Platform<\/option>/.exec((await admin.get(`${base}/${id}`)).body)![1];
    const page = (await admin.get(`${base}/${id}?mapping=${saved}`)).body;
    expect(proposedForm(page)).toMatchObject({ 'col[receivedOn]': '0', 'col[amount]': '1' });
  });

  it('refuses a mapping without a date column (422, kept) and files it cannot read; only the admin flag may import', async () => {
    const id = batchOf(await upload(admin, csvOf([['2025/9/1', '1']], { header: ['日付', '金額'] }), 'm.csv'));
    const res = await admin.post(`${base}/${id}/dry-run`, { ...proposedForm((await admin.get(`${base}/${id}`)).body), 'col[receivedOn]': '' });
    expect(res.statusCode).toBe(422);
    const pdf = await upload(admin, Buffer.from('%PDF-1.4\n'), 'x.csv');
    expect(pdf.statusCode).toBe(422);
    expect((await upload(coordinator, csvOf([['2025/9/1', '1']]), 'c.csv')).statusCode).toBe(403);
    expect((await coordinator.get(`${base}/${id}`)).statusCode).toBe(403);
    expect((await admin.get(`/admin/funds/${fundId + 1000}/money-in/imports/${id}`)).statusCode).toBe(404);
  });
});
