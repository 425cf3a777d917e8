import type { LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { users } from '../../db/schema.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { TestClient, signedIn } from '../helpers/client.js';
import { makeOrganization, makeUser, type MadeUser } from '../helpers/factories.js';

let ctx: TestContext;
let alice: MadeUser;
let bob: MadeUser;

beforeEach(async () => {
  ctx = await buildTestApp({
    extraRoutes: (app) => {
      app.get('/test-only/boom', async () => {
        throw new Error('secret internal detail at /srv/app/server/x.ts:12');
      });
    },
  });
  const org = makeOrganization(ctx.db);
  alice = await makeUser(ctx.db, { role: 'supporter', organizationId: org.id, email: 'alice@example.org' });
  bob = await makeUser(ctx.db, { role: 'supporter', organizationId: org.id, email: 'bob@example.org' });
});
afterEach(async () => ctx.close());

const localeOf = (userId: number) =>
  ctx.db
    .select()
    .from(users)
    .all()
    .find((u) => u.id === userId)!.locale;

describe('CSRF and origin checks', () => {
  it('accepts a POST carrying the session’s own token from the same origin', async () => {
    const client = await signedIn(ctx.app, alice);
    const ok = await client.post('/account/locale', { locale: 'en' }, { headers: { origin: 'http://localhost:80', 'sec-fetch-site': 'same-origin' } });
    expect(ok.statusCode).toBe(303);
    expect(localeOf(alice.id)).toBe('en');
  });

  it('refuses a missing, a wrong, and a foreign token (403), changing nothing', async () => {
    const client = await signedIn(ctx.app, alice);
    const missing = await client.post('/account/locale', { locale: 'en' }, { csrf: null });
    expect(missing.statusCode).toBe(403);
    expect(missing.body).toContain('フォームの有効期限が切れたか、不正な送信です。');
    expect((await client.post('/account/locale', { locale: 'en' }, { csrf: 'not-a-token' })).statusCode).toBe(403);

    const other = await signedIn(ctx.app, bob);
    const bobsToken = await other.csrf('/account');
    expect((await client.post('/account/locale', { locale: 'en' }, { csrf: bobsToken })).statusCode).toBe(403);
    expect(localeOf(alice.id)).toBe('ja');
  });

  it('refuses a token minted before sign-in: tokens are bound to the session', async () => {
    const client = new TestClient(ctx.app);
    const signedOutToken = await client.csrf('/login');
    await client.login(alice.email, alice.password);
    expect((await client.post('/account/locale', { locale: 'en' }, { csrf: signedOutToken })).statusCode).toBe(403);
    expect(localeOf(alice.id)).toBe('ja');
  });

  it('refuses cross-site requests even with a valid token', async () => {
    const client = await signedIn(ctx.app, alice);
    const crossSite = await client.post('/account/locale', { locale: 'en' }, { headers: { 'sec-fetch-site': 'cross-site' } });
    expect(crossSite.statusCode).toBe(403);
    const sameSite = await client.post('/account/locale', { locale: 'en' }, { headers: { 'sec-fetch-site': 'same-site' } });
    expect(sameSite.statusCode).toBe(403);
    const foreignOrigin = await client.post('/account/locale', { locale: 'en' }, { headers: { origin: 'https://evil.example' } });
    expect(foreignOrigin.statusCode).toBe(403);
    const nullOrigin = await client.post('/account/locale', { locale: 'en' }, { headers: { origin: 'null' } });
    expect(nullOrigin.statusCode).toBe(403);
    expect(localeOf(alice.id)).toBe('ja');
  });

  it('checks the sign-in form too (no login CSRF)', async () => {
    const client = new TestClient(ctx.app);
    const response = await client.post('/login', { email: alice.email, password: alice.password }, { csrf: null });
    expect(response.statusCode).toBe(403);
    expect(response.cookies.find((c) => c.name === 'sid')).toBeUndefined();
  });
});

function expectHardened(response: LightMyRequestResponse): void {
  const csp = String(response.headers['content-security-policy']);
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("base-uri 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).not.toContain('unsafe-inline');
  expect(response.headers['x-content-type-options']).toBe('nosniff');
  expect(response.headers['x-powered-by']).toBeUndefined();
  expect(response.headers['cache-control']).toBe('no-store');
}

describe('headers on every page', () => {
  it('on a normal page, signed in and out', async () => {
    const login = await ctx.app.inject({ method: 'GET', url: '/login' });
    expect(login.statusCode).toBe(200);
    expectHardened(login);
    const client = await signedIn(ctx.app, alice);
    const home = await client.get('/');
    expect(home.statusCode).toBe(200);
    expectHardened(home);
  });

  it('on a 404, with a request id and the translated page', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/no/such/page' });
    expect(response.statusCode).toBe(404);
    expectHardened(response);
    expect(response.body).toContain('ページが見つかりません。');
    expect(response.body).toMatch(/問い合わせ番号: [0-9a-f]{8}/);
  });

  it('on a 500: a request id, never the error or a stack', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/test-only/boom' });
    expect(response.statusCode).toBe(500);
    expectHardened(response);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toContain('サーバーでエラーが発生しました。');
    expect(response.body).toMatch(/問い合わせ番号: [0-9a-f]{8}/);
    expect(response.body).not.toContain('secret internal detail');
    expect(response.body).not.toMatch(/\.ts:\d+|at \w+ \(|node_modules/);
    const en = await ctx.app.inject({ method: 'GET', url: '/test-only/boom?lang=en' });
    expect(en.statusCode).toBe(500);
    expect(en.body).toContain('<html lang="en" dir="ltr">');
    expect(en.body).not.toContain('secret internal detail');
  });

  it('answers a malformed request body with 400, not 500', async () => {
    const client = new TestClient(ctx.app);
    await client.csrf('/login');
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/json', cookie: client.cookieHeader() },
      payload: '{"not json',
    });
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
    expectHardened(response);
  });

  it('in production: Secure __Host- session cookie and HSTS', async () => {
    await ctx.close();
    ctx = await buildTestApp({ env: { NODE_ENV: 'production' } });
    const org = makeOrganization(ctx.db);
    const user = await makeUser(ctx.db, { role: 'auditor', organizationId: org.id });
    const response = await new TestClient(ctx.app).login(user.email, user.password);
    expect(response.statusCode).toBe(303);
    const cookie = response.cookies.find((c) => c.name === '__Host-sid')!;
    expect(cookie).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(response.headers['strict-transport-security']).toMatch(/max-age=\d+/);
  });
});

describe('operations', () => {
  it('GET /healthz answers {"status":"ok"}', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
    expect(response.headers['content-type']).toMatch(/^application\/json/);
  });
});
