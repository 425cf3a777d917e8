import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditEvents, users } from '../../db/schema.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn } from '../helpers/client.js';
import { makeOrganization, makeUser } from '../helpers/factories.js';

let ctx: TestContext;
beforeEach(async () => {
  ctx = await buildTestApp();
});
afterEach(async () => ctx.close());

describe('language per user', () => {
  it('switches to English for every later page, and back', async () => {
    const org = makeOrganization(ctx.db);
    const user = await makeUser(ctx.db, { role: 'coordinator', organizationId: org.id, isAdmin: true });
    const client = await signedIn(ctx.app, user);
    expect((await client.get('/account')).body).toContain('<html lang="ja" dir="ltr">');

    const response = await client.post('/account/locale', { locale: 'en' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/account');
    expect(ctx.db.select().from(users).where(eq(users.id, user.id)).get()!.locale).toBe('en');
    const [event] = ctx.db.select().from(auditEvents).where(eq(auditEvents.action, 'user.locale_changed')).all();
    expect(JSON.parse(event!.after!)).toEqual({ locale: 'en' });

    const next = await client.get('/account');
    expect(next.body).toContain('<html lang="en" dir="ltr">');
    expect(next.body).toContain('Display language changed.');
    const admin = await client.get('/admin/users');
    expect(admin.body).toContain('<html lang="en" dir="ltr">');
    expect(admin.body).toContain('Add a user');
    // the user's choice wins over a ?lang= for another language
    expect((await client.get('/?lang=ja')).body).toContain('<html lang="en" dir="ltr">');

    expect((await client.post('/account/locale', { locale: 'ja' })).statusCode).toBe(303);
    expect((await client.get('/')).body).toContain('<html lang="ja" dir="ltr">');
  });

  it('refuses an unknown language with 422', async () => {
    const org = makeOrganization(ctx.db);
    const user = await makeUser(ctx.db, { role: 'auditor', organizationId: org.id });
    const client = await signedIn(ctx.app, user);
    expect((await client.post('/account/locale', { locale: 'fr' })).statusCode).toBe(422);
    expect(ctx.db.select().from(users).where(eq(users.id, user.id)).get()!.locale).toBe('ja');
  });

  it('renders a signed-in user’s 403 page in their language', async () => {
    const org = makeOrganization(ctx.db);
    const user = await makeUser(ctx.db, { role: 'supporter', organizationId: org.id, locale: 'en' });
    const client = await signedIn(ctx.app, user);
    const response = await client.get('/admin');
    expect(response.statusCode).toBe(403);
    expect(response.body).toContain('<html lang="en" dir="ltr">');
    expect(response.body).toContain('You are not allowed to do this.');
  });
});
