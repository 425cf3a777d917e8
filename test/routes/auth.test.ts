import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditEvents, sessions } from '../../db/schema.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { TestClient, signedIn } from '../helpers/client.js';
import { makeOrganization, makeUser } from '../helpers/factories.js';

let ctx: TestContext;
beforeEach(async () => {
  ctx = await buildTestApp();
});
afterEach(async () => ctx.close());

describe('sign-in', () => {
  it('shows a Japanese sign-in page, English with ?lang=en', async () => {
    const client = new TestClient(ctx.app);
    const ja = await client.get('/login');
    expect(ja.statusCode).toBe(200);
    expect(ja.body).toContain('<html lang="ja" dir="ltr">');
    expect(ja.body).toContain('ログイン');
    const en = await client.get('/login?lang=en');
    expect(en.body).toContain('<html lang="en" dir="ltr">');
    expect(en.body).toContain('Sign in');
    // the choice is remembered for signed-out pages
    expect((await client.get('/login')).body).toContain('<html lang="en" dir="ltr">');
  });

  it('signs in with a new session and records the event', async () => {
    const org = makeOrganization(ctx.db);
    const user = await makeUser(ctx.db, { role: 'supporter', organizationId: org.id });
    const client = new TestClient(ctx.app);
    const response = await client.login(user.email.toUpperCase(), user.password);
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/');
    const cookie = response.cookies.find((c) => c.name === 'sid')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    expect(cookie.value).toMatch(/^[a-z2-7]{32}$/);
    const stored = ctx.db.select().from(sessions).all();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.id).not.toBe(cookie.value);
    expect(stored[0]!.id).toMatch(/^[0-9a-f]{64}$/);
    const home = await client.get('/');
    expect(home.statusCode).toBe(200);
    expect(
      ctx.db
        .select()
        .from(auditEvents)
        .all()
        .map((e) => e.action),
    ).toContain('auth.login');
  });

  it('gives one generic message for a wrong password and an unknown email', async () => {
    const org = makeOrganization(ctx.db);
    const user = await makeUser(ctx.db, { role: 'supporter', organizationId: org.id });
    const wrong = await new TestClient(ctx.app).login(user.email, 'not the right password');
    const unknown = await new TestClient(ctx.app).login('nobody@example.org', 'not the right password');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    const message = 'メールアドレスまたはパスワードが正しくありません。';
    expect(wrong.body).toContain(message);
    expect(unknown.body).toContain(message);
    expect(unknown.body).toContain('value="nobody@example.org"');
    const failed = ctx.db
      .select()
      .from(auditEvents)
      .all()
      .filter((e) => e.action === 'auth.login_failed');
    expect(failed).toHaveLength(2);
  });

  it('refuses an inactive user like a wrong password', async () => {
    const org = makeOrganization(ctx.db);
    const user = await makeUser(ctx.db, { role: 'supporter', organizationId: org.id });
    ctx.db.$client.prepare('UPDATE users SET is_active = 0 WHERE id = ?').run(user.id);
    expect((await new TestClient(ctx.app).login(user.email, user.password)).statusCode).toBe(401);
  });

  it('rotates the session at every sign-in', async () => {
    const org = makeOrganization(ctx.db);
    const user = await makeUser(ctx.db, { role: 'supporter', organizationId: org.id });
    const client = await signedIn(ctx.app, user);
    const first = client.cookie('sid');
    await client.login(user.email, user.password);
    expect(client.cookie('sid')).not.toBe(first);
    const old = await ctx.app.inject({ method: 'GET', url: '/', headers: { cookie: `sid=${first}` } });
    // signing in over a session ends it (issue 11): the earlier cookie opens nothing
    expect(old.statusCode).toBe(303);
  });

  it('sends signed-out visitors of protected pages to the sign-in page', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/account' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/login?next=%2Faccount');
  });

  it('signs out: the session is gone from the database', async () => {
    const org = makeOrganization(ctx.db);
    const user = await makeUser(ctx.db, { role: 'supporter', organizationId: org.id });
    const client = await signedIn(ctx.app, user);
    const response = await client.post('/logout');
    expect(response.statusCode).toBe(303);
    expect(ctx.db.select().from(sessions).all()).toHaveLength(0);
    expect((await client.get('/')).statusCode).toBe(303);
  });
});
