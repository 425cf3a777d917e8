import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accountingAccounts, auditEvents, funds } from '../../db/schema.js';
import { loadAccountingMap } from '../../server/domain/exports/accounting-map.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn } from '../helpers/client.js';
import { makeWorld } from '../helpers/factories.js';
import { defaultFundId } from '../helpers/money-factories.js';

let ctx: TestContext;
beforeEach(async () => {
  ctx = await buildTestApp();
});
afterEach(async () => ctx.close());

describe('管理 → 会計連携', () => {
  it('shows every category, method and fund with the default beside it', async () => {
    const w = await makeWorld(ctx.db);
    const admin = await signedIn(ctx.app, w.admin);
    const page = await admin.get('/admin/accounting');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('name="category[shelter]"');
    expect(page.body).toContain('name="method[bank_transfer]"');
    expect(page.body).toContain(`name="fund[id${defaultFundId(ctx.db)}]"`);
    expect(page.body).toContain('既定：支払助成金');
    expect(page.body).toContain('既定：普通預金');
    expect((await admin.get('/admin')).body).toContain('href="/admin/accounting"');
  });

  it('saves the mapping in one audited change, and the exports use it (fund over method)', async () => {
    const w = await makeWorld(ctx.db);
    const admin = await signedIn(ctx.app, w.admin);
    const grant = ctx.db.insert(funds).values({ name: '助成金B' }).returning().get();
    const response = await admin.post('/admin/accounting', {
      category: { food: '食料費扶助', medical: '' },
      method: { cash: '小口現金' },
      fund: { [`id${grant.id}`]: '普通預金（B）' },
    });
    expect([response.statusCode, response.headers.location]).toEqual([303, '/admin/accounting']);
    const map = loadAccountingMap(ctx.db);
    expect([
      map.debit('food'),
      map.debit('medical'),
      map.credit(defaultFundId(ctx.db), 'cash'),
      map.credit(grant.id, 'cash'),
      map.credit(defaultFundId(ctx.db), 'in_kind'),
    ]).toEqual(['食料費扶助', '支払助成金', '小口現金', '普通預金（B）', '貯蔵品']);
    const event = ctx.db
      .select()
      .from(auditEvents)
      .all()
      .find((e) => e.action === 'accounting.updated')!;
    expect(event.actorUserId).toBe(w.admin.id);
    expect(JSON.parse(event.after!)).toEqual({ 'category:food': '食料費扶助', 'method:cash': '小口現金', [`fund:${grant.id}`]: '普通預金（B）' });
    // Emptying a field goes back to the default; fields not sent stay as they are.
    await admin.post('/admin/accounting', { category: { food: '' } });
    expect(loadAccountingMap(ctx.db).debit('food')).toBe('支払助成金');
    expect(loadAccountingMap(ctx.db).credit(grant.id, 'cash')).toBe('普通預金（B）');
  });

  it('re-renders 422 with the message beside the field and the input kept, writing nothing', async () => {
    const w = await makeWorld(ctx.db);
    const admin = await signedIn(ctx.app, w.admin);
    const response = await admin.post('/admin/accounting', { category: { food: '=HYPERLINK("x")', shelter: '住居費' }, method: { cash: 'x'.repeat(65) } });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('改行・タブ・先頭の「= + - @」は使えません。');
    expect(response.body).toContain('64文字以内で入力してください。');
    expect(response.body).toContain('value="=HYPERLINK(&quot;x&quot;)"');
    expect(response.body).toContain('value="住居費"');
    expect(ctx.db.select().from(accountingAccounts).all()).toEqual([]);
    expect(
      ctx.db
        .select()
        .from(auditEvents)
        .all()
        .filter((e) => e.action === 'accounting.updated'),
    ).toEqual([]);
  });
});
