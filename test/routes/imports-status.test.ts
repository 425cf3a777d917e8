import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { disbursements } from '../../db/schema.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn } from '../helpers/client.js';
import { makeWorld } from '../helpers/factories.js';
import { batchIdOf, csvOf, proposedForm, upload } from '../imports/helpers.js';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof makeWorld>>;

beforeEach(async () => {
  ctx = await buildTestApp({ env: { RATE_LIMIT_PER_MINUTE: '1000000' } });
  world = await makeWorld(ctx.db);
});
afterEach(async () => ctx.close());

const HEADER = ['支給日', 'ケース番号', '区分', '金額', '状態'];

describe('a sheet with a 状態 column', () => {
  it('leaves voided rows out with a count, imports the rest, and four eyes approve only what the sheet says was approved', async () => {
    const tokyo = await signedIn(ctx.app, world.tokyoSupporter);
    const file = csvOf(
      [
        ['2025/5/1', 'A-1', '食費', '1000', '承認済'],
        ['2025/5/2', 'A-2', '食費', '2000', '承認待ち'],
        ['2025/5/3', 'A-3', '食費', '4000', '取消'],
        ['2025/5/4', 'A-4', '食費', '8000', 'Approved'],
      ],
      { header: HEADER },
    );
    const id = batchIdOf(await upload(ctx.app, tokyo, file, 'status.csv'));
    const form = proposedForm((await tokyo.get(`/imports/${id}`)).body);
    expect(form['col[status]']).toBe('4');
    expect((await tokyo.post(`/imports/${id}/dry-run`, form)).statusCode).toBe(303);
    const page = (await tokyo.get(`/imports/${id}`)).body;
    expect(page).toContain('取り込める行: 3');
    expect(page).toContain('取消・差し戻し・取り下げのため取り込まない行: 1（集計に入りません）');
    expect(page).toContain('¥11,000');
    expect((await tokyo.post(`/imports/${id}/commit`)).statusCode).toBe(303);
    // Until a coordinator confirms, everything is pending (four eyes).
    expect(
      ctx.db
        .select()
        .from(disbursements)
        .all()
        .map((d) => d.status),
    ).toEqual(['pending', 'pending', 'pending']);
    const coordinator = await signedIn(ctx.app, world.coordinator);
    expect((await coordinator.post(`/imports/${id}/confirm`)).statusCode).toBe(303);
    expect(
      ctx.db
        .select()
        .from(disbursements)
        .all()
        .map((d) => [d.paidOn, d.status]),
    ).toEqual([
      ['2025-05-01', 'approved'],
      ['2025-05-02', 'pending'],
      ['2025-05-04', 'approved'],
    ]);
  });

  it('refuses a status word it cannot read, naming the row', async () => {
    const tokyo = await signedIn(ctx.app, world.tokyoSupporter);
    const id = batchIdOf(await upload(ctx.app, tokyo, csvOf([['2025/5/1', 'A-1', '食費', '1000', 'たぶん']], { header: HEADER }), 's.csv'));
    await tokyo.post(`/imports/${id}/dry-run`, proposedForm((await tokyo.get(`/imports/${id}`)).body));
    const page = (await tokyo.get(`/imports/${id}`)).body;
    expect(page).toContain('誤りのある行: 1');
    expect(page).toContain('「たぶん」は状態として読めません');
  });

  it('keeps the note typed for categories that need one, and re-renders a bad one with a 422', async () => {
    const tokyo = await signedIn(ctx.app, world.tokyoSupporter);
    const id = batchIdOf(await upload(ctx.app, tokyo, csvOf([['2025/5/1', 'A-1', 'その他', '1000', '承認済']], { header: HEADER }), 'n.csv'));
    const form = proposedForm((await tokyo.get(`/imports/${id}`)).body);
    const bad = await tokyo.post(`/imports/${id}/dry-run`, { ...form, missingNote: 'x'.repeat(1001) });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('1000文字以内');
    await tokyo.post(`/imports/${id}/dry-run`, { ...form, missingNote: '移行データ' });
    expect((await tokyo.post(`/imports/${id}/commit`)).statusCode).toBe(303);
    expect(ctx.db.select().from(disbursements).get()!.note).toBe('移行データ');
  });
});
