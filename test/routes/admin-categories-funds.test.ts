import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditEvents, categories, funds } from '../../db/schema.js';
import { categoryLabel, listActiveCategories } from '../../server/domain/categories.js';
import { findDefaultFund, listActiveFunds } from '../../server/domain/funds.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn, type TestClient } from '../helpers/client.js';
import { makeWorld } from '../helpers/factories.js';
import { makeCase, makeDisbursement } from '../helpers/money-factories.js';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof makeWorld>>;
let admin: TestClient;
beforeEach(async () => {
  ctx = await buildTestApp();
  world = await makeWorld(ctx.db);
  admin = await signedIn(ctx.app, world.admin);
});
afterEach(async () => ctx.close());

const category = (code: string) => ctx.db.select().from(categories).where(eq(categories.code, code)).get();
const auditActions = () =>
  ctx.db
    .select()
    .from(auditEvents)
    .all()
    .map((e) => e.action);
const activeCodes = () => listActiveCategories(ctx.db).map((c) => c.code);

describe('admin pages are for the admin flag only', () => {
  it.each(['tokyoSupporter', 'auditor', 'coordinator'] as const)('%s gets 403 on every page and action', async (who) => {
    const client = await signedIn(ctx.app, world[who]);
    const food = category('food')!;
    const fundId = findDefaultFund(ctx.db)!.id;
    for (const url of ['/admin/categories', `/admin/categories/${food.id}/edit`, '/admin/funds', '/admin/funds/new', `/admin/funds/${fundId}/edit`]) {
      expect((await client.get(url)).statusCode, url).toBe(403);
    }
    const token = await client.csrf('/cases');
    const before = JSON.stringify({ c: ctx.db.select().from(categories).all(), f: ctx.db.select().from(funds).all(), a: auditActions() });
    const posts: [string, Record<string, string>][] = [
      ['/admin/categories', { code: 'legal', labelJa: '法律', labelEn: 'Legal' }],
      [`/admin/categories/${food.id}`, { labelJa: 'x', labelEn: 'x' }],
      [`/admin/categories/${food.id}/move`, { direction: 'up' }],
      [`/admin/categories/${food.id}/retire`, {}],
      [`/admin/categories/${food.id}/delete`, {}],
      ['/admin/funds', { name: 'Grant' }],
      [`/admin/funds/${fundId}`, { name: 'Renamed' }],
      [`/admin/funds/${fundId}/deactivate`, {}],
    ];
    for (const [url, body] of posts) expect((await client.post(url, body, { csrf: token })).statusCode, url).toBe(403);
    expect(JSON.stringify({ c: ctx.db.select().from(categories).all(), f: ctx.db.select().from(funds).all(), a: auditActions() })).toBe(before);
  });
});

describe('categories', () => {
  it('lists the seeded categories in order with labels in both languages', async () => {
    const page = await admin.get('/admin/categories');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('シェルター・住居費');
    expect(page.body).toContain('Shelter &amp; housing');
    expect(page.body.indexOf('shelter')).toBeLessThan(page.body.indexOf('tuition'));
    expect(activeCodes()).toEqual(['shelter', 'food', 'medical', 'utilities', 'repatriation', 'tuition', 'other']);
    expect(categoryLabel(category('food')!, 'ja')).toBe('食料・消耗品費');
    expect(categoryLabel(category('food')!, 'en')).toBe('Food & consumables');
  });

  it('adds a category at the end, with the note rule, and audits it', async () => {
    const response = await admin.post('/admin/categories', { code: 'legal_fees', labelJa: '法律相談費', labelEn: 'Legal fees', requiresNote: '1' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/admin/categories');
    expect(category('legal_fees')).toMatchObject({ labelJa: '法律相談費', labelEn: 'Legal fees', requiresNote: true, isActive: true });
    expect(activeCodes().at(-1)).toBe('legal_fees');
    const unchecked = await admin.post('/admin/categories', { code: 'transport', labelJa: '交通費', labelEn: 'Transport' });
    expect(unchecked.statusCode).toBe(303);
    expect(category('transport')!.requiresNote).toBe(false);
    const event = ctx.db.select().from(auditEvents).where(eq(auditEvents.action, 'category.created')).all();
    expect(event).toHaveLength(2);
    expect(JSON.parse(event[0]!.after!)).toMatchObject({ code: 'legal_fees', labelEn: 'Legal fees' });
  });

  it.each([
    [{ code: 'Legal', labelJa: '法律', labelEn: 'Legal' }, 'code', 'コードは英小文字で始まり'],
    [{ code: 'x', labelJa: '法律', labelEn: 'Legal' }, 'code', 'コードは英小文字で始まり'],
    [{ code: '_legal', labelJa: '法律', labelEn: 'Legal' }, 'code', 'コードは英小文字で始まり'],
    [{ code: 'a'.repeat(33), labelJa: '法律', labelEn: 'Legal' }, 'code', 'コードは英小文字で始まり'],
    [{ code: 'food', labelJa: '法律', labelEn: 'Legal' }, 'code', 'このコードは既に使われています'],
    [{ code: 'legal', labelJa: '  ', labelEn: 'Legal' }, 'labelJa', '名称を入力してください'],
    [{ code: 'legal', labelJa: '法律' }, 'labelEn', '名称を入力してください'],
  ] as [Record<string, string>, string, string][])('refuses %j with a message beside %s and the input kept', async (body, field, message) => {
    const count = ctx.db.select().from(categories).all().length;
    const response = await admin.post('/admin/categories', body);
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain(`id="f-${field}-error"`);
    expect(response.body).toContain(message);
    for (const value of Object.values(body)) if (value.trim()) expect(response.body).toContain(`value="${value}"`);
    expect(ctx.db.select().from(categories).all()).toHaveLength(count);
  });

  it('relabels without changing the code', async () => {
    const food = category('food')!;
    const form = await admin.get(`/admin/categories/${food.id}/edit`);
    expect(form.body).toContain('value="食料・消耗品費"');
    const response = await admin.post(`/admin/categories/${food.id}`, { labelJa: '食料・日用品費', labelEn: 'Food & daily goods' });
    expect(response.statusCode).toBe(303);
    expect(category('food')).toMatchObject({ code: 'food', labelJa: '食料・日用品費', labelEn: 'Food & daily goods', requiresNote: false });
    const event = ctx.db.select().from(auditEvents).where(eq(auditEvents.action, 'category.relabeled')).get()!;
    expect(JSON.parse(event.before!)).toMatchObject({ labelJa: '食料・消耗品費' });
    expect(JSON.parse(event.after!)).toMatchObject({ labelJa: '食料・日用品費' });
    const invalid = await admin.post(`/admin/categories/${food.id}`, { labelJa: '', labelEn: 'Typed' });
    expect(invalid.statusCode).toBe(422);
    expect(invalid.body).toContain('value="Typed"');
    expect((await admin.get('/admin/categories/99999/edit')).statusCode).toBe(404);
  });

  it('reorders with move up and move down', async () => {
    const medical = category('medical')!;
    expect((await admin.post(`/admin/categories/${medical.id}/move`, { direction: 'up' })).statusCode).toBe(303);
    expect(activeCodes()).toEqual(['shelter', 'medical', 'food', 'utilities', 'repatriation', 'tuition', 'other']);
    await admin.post(`/admin/categories/${medical.id}/move`, { direction: 'up' });
    expect(activeCodes().slice(0, 3)).toEqual(['medical', 'shelter', 'food']);
    // already first: nothing moves
    await admin.post(`/admin/categories/${medical.id}/move`, { direction: 'up' });
    expect(activeCodes().slice(0, 3)).toEqual(['medical', 'shelter', 'food']);
    await admin.post(`/admin/categories/${category('shelter')!.id}/move`, { direction: 'down' });
    expect(activeCodes().slice(0, 3)).toEqual(['medical', 'food', 'shelter']);
    expect(auditActions().filter((a) => a === 'category.reordered')).toHaveLength(3);
    expect((await admin.post(`/admin/categories/${medical.id}/move`, { direction: 'sideways' })).statusCode).toBe(422);
  });

  it('retires (absent from listActiveCategories, still in the admin list) and reactivates', async () => {
    const tuition = category('tuition')!;
    expect((await admin.post(`/admin/categories/${tuition.id}/retire`)).statusCode).toBe(303);
    expect(category('tuition')!.isActive).toBe(false);
    expect(activeCodes()).not.toContain('tuition');
    const page = await admin.get('/admin/categories');
    expect(page.body).toContain('学費');
    expect(page.body).toContain('廃止');
    expect(page.body).toContain(`action="/admin/categories/${tuition.id}/reactivate"`);
    await admin.post(`/admin/categories/${tuition.id}/reactivate`);
    expect(activeCodes()).toContain('tuition');
    expect(auditActions()).toEqual(expect.arrayContaining(['category.retired', 'category.reactivated']));
  });

  it('refuses to delete a used category (409, clear message) and deletes an unused one', async () => {
    const theCase = makeCase(ctx.db, { organizationId: world.tokyo.id, createdBy: world.tokyoSupporter.id });
    makeDisbursement(ctx.db, {
      caseId: theCase.id,
      submittedBy: world.tokyoSupporter.id,
      status: 'withdrawn',
      lines: [{ category: 'repatriation', amount: 50_000 }],
    });
    const repatriation = category('repatriation')!;
    const page = await admin.get('/admin/categories');
    expect(page.body).not.toContain(`action="/admin/categories/${repatriation.id}/delete"`);
    const refused = await admin.post(`/admin/categories/${repatriation.id}/delete`);
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('明細で使われているため削除できません');
    expect(category('repatriation')).toBeDefined();
    expect(auditActions()).not.toContain('category.deleted');
    // the database refuses too, whatever the code does
    expect(() => ctx.db.delete(categories).where(eq(categories.id, repatriation.id)).run()).toThrow(/in use/);

    await admin.post('/admin/categories', { code: 'unused', labelJa: '未使用', labelEn: 'Unused' });
    const unused = category('unused')!;
    expect((await admin.post(`/admin/categories/${unused.id}/delete`)).statusCode).toBe(303);
    expect(category('unused')).toBeUndefined();
    const event = ctx.db.select().from(auditEvents).where(eq(auditEvents.action, 'category.deleted')).get()!;
    expect(JSON.parse(event.before!)).toMatchObject({ code: 'unused' });
  });
});

describe('funds', () => {
  const fund = (name: string) => ctx.db.select().from(funds).where(eq(funds.name, name)).get();

  it('creates a fund with a budget typed as ¥1,000,000 and a period', async () => {
    const form = await admin.get('/admin/funds/new');
    expect(form.statusCode).toBe(200);
    const response = await admin.post('/admin/funds', { name: '2025年度助成', budget: '¥1,000,000', startsOn: '2025-04-01', endsOn: '2026-03-31' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/admin/funds');
    expect(fund('2025年度助成')).toMatchObject({ budget: 1_000_000, startsOn: '2025-04-01', endsOn: '2026-03-31', isDefault: false, isActive: true });
    const event = ctx.db.select().from(auditEvents).where(eq(auditEvents.action, 'fund.created')).get()!;
    expect(JSON.parse(event.after!)).toMatchObject({ name: '2025年度助成', budget: 1_000_000 });
    const list = await admin.get('/admin/funds');
    expect(list.body).toContain('¥1,000,000');
    expect(list.body).toContain('2025年4月1日');
    expect((await admin.post('/admin/funds', { name: '全角', budget: '１２０００００円' })).statusCode).toBe(303);
    expect(fund('全角')!.budget).toBe(1_200_000);
    expect((await admin.post('/admin/funds', { name: 'No budget' })).statusCode).toBe(303);
    expect(fund('No budget')).toMatchObject({ budget: null, startsOn: null, endsOn: null });
  });

  it.each([
    [{ name: '', budget: '100' }, 'name', '名称を入力してください'],
    [{ name: 'A', budget: '1.5' }, 'budget', '整数の円で入力'],
    [{ name: 'A', budget: '-100' }, 'budget', '整数の円で入力'],
    [{ name: 'A', budget: '10,000,000,001' }, 'budget', '100億円'],
    [{ name: 'A', startsOn: '2025-02-30' }, 'startsOn', '実在する日付'],
    [{ name: 'A', startsOn: '2025/04/01' }, 'startsOn', '実在する日付'],
    [{ name: 'A', startsOn: '2025-04-02', endsOn: '2025-04-01' }, 'endsOn', '終了日は開始日と同じか'],
    [{ name: '一般寄付金 (General donations)' }, 'name', '同じ名称の財源'],
  ])('refuses %j with a message beside %s and the input kept', async (body, field, message) => {
    const count = ctx.db.select().from(funds).all().length;
    const response = await admin.post('/admin/funds', body);
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain(`id="f-${field}-error"`);
    expect(response.body).toContain(message);
    for (const value of Object.values(body)) if (value) expect(response.body).toContain(`value="${value}"`);
    expect(ctx.db.select().from(funds).all()).toHaveLength(count);
  });

  it('edits a fund', async () => {
    await admin.post('/admin/funds', { name: 'Grant A', budget: '500000' });
    const id = fund('Grant A')!.id;
    expect((await admin.get(`/admin/funds/${id}/edit`)).body).toContain('value="500,000"');
    const response = await admin.post(`/admin/funds/${id}`, { name: 'Grant A (2025)', budget: '600,000', startsOn: '', endsOn: '2025-12-31' });
    expect(response.statusCode).toBe(303);
    expect(ctx.db.select().from(funds).where(eq(funds.id, id)).get()).toMatchObject({ name: 'Grant A (2025)', budget: 600_000, endsOn: '2025-12-31' });
    const event = ctx.db.select().from(auditEvents).where(eq(auditEvents.action, 'fund.updated')).get()!;
    expect(JSON.parse(event.before!)).toMatchObject({ name: 'Grant A', budget: 500_000 });
  });

  it('keeps exactly one default, and the default cannot be deactivated', async () => {
    const seeded = findDefaultFund(ctx.db)!;
    await admin.post('/admin/funds', { name: 'Grant B' });
    const grant = fund('Grant B')!;
    const refused = await admin.post(`/admin/funds/${seeded.id}/deactivate`);
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('既定の財源は無効にできません');
    expect(findDefaultFund(ctx.db)!.isActive).toBe(true);

    expect((await admin.post(`/admin/funds/${grant.id}/default`)).statusCode).toBe(303);
    const defaults = ctx.db.select().from(funds).where(eq(funds.isDefault, true)).all();
    expect(defaults.map((f) => f.id)).toEqual([grant.id]);
    expect(listActiveFunds(ctx.db)[0]!.id).toBe(grant.id);
    const event = ctx.db.select().from(auditEvents).where(eq(auditEvents.action, 'fund.default_changed')).get()!;
    expect(JSON.parse(event.before!)).toEqual({ defaultFundId: seeded.id });
    expect(JSON.parse(event.after!)).toEqual({ defaultFundId: grant.id });

    // the old default can now be deactivated, is left out of listActiveFunds, and cannot become default again while inactive
    expect((await admin.post(`/admin/funds/${seeded.id}/deactivate`)).statusCode).toBe(303);
    expect(listActiveFunds(ctx.db).map((f) => f.id)).not.toContain(seeded.id);
    expect((await admin.post(`/admin/funds/${seeded.id}/default`)).statusCode).toBe(409);
    expect(findDefaultFund(ctx.db)!.id).toBe(grant.id);
    expect((await admin.post(`/admin/funds/${seeded.id}/reactivate`)).statusCode).toBe(303);
    expect(listActiveFunds(ctx.db).map((f) => f.id)).toContain(seeded.id);
    expect(auditActions()).toEqual(expect.arrayContaining(['fund.deactivated', 'fund.reactivated']));
    // the database allows no second default either
    expect(() => ctx.db.update(funds).set({ isDefault: true }).where(eq(funds.id, seeded.id)).run()).toThrow(/UNIQUE/);
  });
});
