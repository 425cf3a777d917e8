import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditEvents, users } from '../../db/schema.js';
import { ownCatalogs } from '../../server/i18n/index.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn, TestClient } from '../helpers/client.js';
import { makeOrganization, makeUser } from '../helpers/factories.js';

let ctx: TestContext;
beforeEach(async () => {
  ctx = await buildTestApp();
});
afterEach(async () => ctx.close());

describe('the header language menu', () => {
  it('is on signed-out pages: every language named in itself, unreviewed ones marked', async () => {
    const page = await ctx.app.inject({ method: 'GET', url: '/login' });
    expect(page.body).toContain('<html lang="ja" dir="ltr">');
    expect(page.body).toContain('<details class="lang-menu">');
    for (const name of ['日本語', 'やさしい日本語', 'English', 'Tiếng Việt', '简体中文', 'Filipino', 'Português (Brasil)', 'नेपाली'])
      expect(page.body).toContain(`>${name}</span>`);
    expect(page.body.match(/class="lang-unreviewed">翻訳は確認中</g)).toHaveLength(6);
    expect(page.body).toContain('<span lang="ja" dir="ltr">やさしい日本語</span>');
    expect(page.body).toContain('<input type="hidden" name="return" value="/login">');
  });

  it('picks the first page’s language from Accept-Language, and a cookie or account choice wins over it', async () => {
    expect((await ctx.app.inject({ method: 'GET', url: '/login', headers: { 'accept-language': 'fr;q=0.9, en;q=0.8' } })).body).toContain(
      '<html lang="en" dir="ltr">',
    );
    expect((await ctx.app.inject({ method: 'GET', url: '/login', headers: { 'accept-language': 'en', cookie: 'lang=ja' } })).body).toContain(
      '<html lang="ja" dir="ltr">',
    );
  });

  it('saves a signed-out choice in the cookie and returns to the same page', async () => {
    const client = new TestClient(ctx.app);
    const response = await client.post('/language', { locale: 'en', return: '/login?next=%2Fcases&lang=ja' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/login?next=%2Fcases');
    expect(client.cookie('lang')).toBe('en');
    expect((await client.get('/login')).body).toContain('<html lang="en" dir="ltr">');
  });

  it('never redirects off the site', async () => {
    const client = new TestClient(ctx.app);
    for (const target of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)', '/%0d%0aSet-Cookie:x']) {
      const response = await client.post('/language', { locale: 'vi', return: target });
      expect(response.statusCode, target).toBe(303);
      expect(response.headers.location, target).toMatch(/^\/(?![/\\])/);
      expect(response.headers.location, target).not.toContain('evil');
    }
  });

  it('on the sign-in page keeps a next the sign-in would follow, and drops any other', async () => {
    const menuReturn = async (url: string) => /name="return" value="([^"]*)"/.exec((await ctx.app.inject({ method: 'GET', url })).body)?.[1];
    expect(await menuReturn('/login?next=%2Fcases%2F5')).toBe('/login?next=%2Fcases%2F5');
    for (const next of ['//evil.example', 'https://evil.example/', '/%5Cevil.example', 'javascript:alert(1)', '%2Fcases&next=//evil.example'])
      expect(await menuReturn(`/login?next=${next}`), next).toBe('/login');
    const client = new TestClient(ctx.app);
    const response = await client.post('/language', { locale: 'en', return: '/login?next=%2F%2Fevil.example&lang=ja' });
    expect(response.headers.location).toBe('/login');
  });

  it('refuses an unknown language and a missing CSRF token', async () => {
    const client = new TestClient(ctx.app);
    expect((await client.post('/language', { locale: 'fr', return: '/login' })).statusCode).toBe(422);
    expect((await client.post('/language', { locale: 'vi', return: '/login' }, { csrf: null })).statusCode).toBe(403);
    expect(client.cookie('lang')).toBeUndefined();
  });

  it('saves a signed-in choice to the account (with an audit event) and returns to the page', async () => {
    const org = makeOrganization(ctx.db);
    const user = await makeUser(ctx.db, { role: 'supporter', organizationId: org.id });
    const client = await signedIn(ctx.app, user);
    const page = await client.get('/cases');
    expect(page.body).toContain('<details class="lang-menu">');
    const response = await client.post('/language', { locale: 'en', return: '/cases' });
    expect(response.headers.location).toBe('/cases');
    expect(ctx.db.select().from(users).where(eq(users.id, user.id)).get()!.locale).toBe('en');
    expect(ctx.db.select().from(auditEvents).where(eq(auditEvents.action, 'user.locale_changed')).all()).toHaveLength(1);
    expect((await client.get('/cases')).body).toContain('<html lang="en" dir="ltr">');
  });

  it('says lang="ja" for やさしい日本語 and shows furigana as <ruby> in text, the base in the title', async () => {
    const easy = ownCatalogs['ja-x-easy'];
    const saved = { ...easy };
    // An in-memory message for this test only (the real catalog is dropped in by translators).
    Object.assign(easy, ownCatalogs.ja, { 'app.name': '｜緊急《きんきゅう》の｜支援《しえん》' });
    try {
      const page = await ctx.app.inject({ method: 'GET', url: '/login', headers: { cookie: 'lang=ja-x-easy' } });
      expect(page.body).toContain('<html lang="ja" dir="ltr">');
      expect(page.body).toContain('<title>緊急の支援</title>');
      expect(page.body).toContain('<ruby>緊急<rt>きんきゅう</rt></ruby>の<ruby>支援<rt>しえん</rt></ruby></a>');
      expect(page.body).not.toContain('｜');
    } finally {
      for (const key of Object.keys(easy)) delete easy[key];
      Object.assign(easy, saved);
    }
  });

  it('shows furigana in a page heading that a route passed as its title, the base in <title>', async () => {
    const office = makeOrganization(ctx.db, { code: 'EASY' });
    const admin = await makeUser(ctx.db, { role: 'coordinator', organizationId: office.id, isAdmin: true });
    ctx.db.update(users).set({ locale: 'ja-x-easy' }).where(eq(users.id, admin.id)).run();
    const client = await signedIn(ctx.app, admin);
    const page = await client.get('/admin/funds/new');
    expect(ownCatalogs['ja-x-easy']['funds.newTitle']).toBe('｜財源《ざいげん》の｜追加《ついか》');
    expect(page.body).toContain('<h1><ruby>財源<rt>ざいげん</rt></ruby>の<ruby>追加<rt>ついか</rt></ruby></h1>');
    expect(page.body).toContain('<title>財源の追加 | ');
  });
});
