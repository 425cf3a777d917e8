import Database from 'better-sqlite3';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { auditEvents, sessions, users } from '../../db/schema.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { TestClient, signedIn } from '../helpers/client.js';
import { makeOrganization, makeUser, type MadeUser } from '../helpers/factories.js';

let ctx: TestContext;
afterEach(async () => ctx.close());

async function setUp(env: Record<string, string> = {}): Promise<MadeUser> {
  ctx = await buildTestApp({ env });
  const org = makeOrganization(ctx.db);
  return makeUser(ctx.db, { role: 'supporter', organizationId: org.id });
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const sessionCount = (userId: number) => ctx.db.select().from(sessions).where(eq(sessions.userId, userId)).all().length;

describe('session lifetime', () => {
  it('slides while in use and ends after 2 hours idle', async () => {
    const user = await setUp();
    const client = await signedIn(ctx.app, user);
    ctx.clock.advance(2 * HOUR - MINUTE);
    expect((await client.get('/')).statusCode).toBe(200);
    ctx.clock.advance(2 * HOUR - MINUTE);
    expect((await client.get('/')).statusCode).toBe(200);
    ctx.clock.advance(2 * HOUR + MINUTE);
    const ended = await client.get('/');
    expect(ended.statusCode).toBe(303);
    expect(ended.headers.location).toBe('/login?next=%2F');
    expect(sessionCount(user.id)).toBe(0);
  });

  it('ends after 12 hours however busy', async () => {
    const user = await setUp();
    const client = await signedIn(ctx.app, user);
    for (let i = 0; i < 6; i++) {
      ctx.clock.advance(119 * MINUTE); // 11 h 54 min in all
      expect((await client.get('/')).statusCode, `step ${i}`).toBe(200);
    }
    ctx.clock.advance(7 * MINUTE);
    expect((await client.get('/')).statusCode).toBe(303);
    expect(sessionCount(user.id)).toBe(0);
  });

  it('honours SESSION_IDLE_MINUTES and SESSION_MAX_HOURS', async () => {
    const user = await setUp({ SESSION_IDLE_MINUTES: '5', SESSION_MAX_HOURS: '1' });
    const client = await signedIn(ctx.app, user);
    ctx.clock.advance(4 * MINUTE);
    expect((await client.get('/')).statusCode).toBe(200);
    ctx.clock.advance(6 * MINUTE);
    expect((await client.get('/')).statusCode).toBe(303);
    const again = await signedIn(ctx.app, user);
    for (let i = 0; i < 15; i++) {
      ctx.clock.advance(4 * MINUTE);
      expect((await again.get('/')).statusCode).toBe(200);
    }
    ctx.clock.advance(4 * MINUTE + 1);
    expect((await again.get('/')).statusCode).toBe(303);
  });
});

describe('while another connection holds the write lock (an import committing)', () => {
  const lastSeen = (userId: number) => ctx.db.select({ at: sessions.lastSeenAt }).from(sessions).where(eq(sessions.userId, userId)).get()!.at;

  it('pages still answer: refreshing the session is skipped, not waited for, and done on a later request', async () => {
    const user = await setUp();
    const client = await signedIn(ctx.app, user);
    const before = lastSeen(user.id);
    ctx.clock.advance(5 * MINUTE); // a refresh is due
    const importer = new Database(ctx.config.databasePath);
    importer.exec('BEGIN IMMEDIATE');
    try {
      expect((await client.get('/')).statusCode).toBe(200);
      expect(lastSeen(user.id)).toBe(before);
    } finally {
      importer.exec('ROLLBACK');
      importer.close();
    }
    expect((await client.get('/')).statusCode).toBe(200);
    expect(lastSeen(user.id)).toBe(before + 5 * MINUTE);
  });

  it('a session past its idle limit is still refused, and its row removed when the stale cookie comes back', async () => {
    const user = await setUp();
    const client = await signedIn(ctx.app, user);
    const cookie = client.cookieHeader();
    ctx.clock.advance(3 * HOUR);
    const importer = new Database(ctx.config.databasePath);
    importer.exec('BEGIN IMMEDIATE');
    try {
      expect((await client.get('/')).statusCode).toBe(303);
      expect(sessionCount(user.id)).toBe(1);
    } finally {
      importer.exec('ROLLBACK');
      importer.close();
    }
    expect((await ctx.app.inject({ method: 'GET', url: '/', headers: { cookie } })).statusCode).toBe(303);
    expect(sessionCount(user.id)).toBe(0);
  });
});

describe('sessions end when the password changes', () => {
  it('ends every session of the user, including other devices', async () => {
    const user = await setUp();
    const laptop = await signedIn(ctx.app, user);
    const phone = await signedIn(ctx.app, user);
    expect(sessionCount(user.id)).toBe(2);
    await laptop.get('/account/password');
    const response = await laptop.post('/account/password', {
      currentPassword: user.password,
      newPassword: 'a brand new passphrase',
      confirmPassword: 'a brand new passphrase',
    });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/login?passwordChanged=1');
    expect(sessionCount(user.id)).toBe(0);
    expect((await phone.get('/')).statusCode).toBe(303);
    expect((await laptop.get('/')).statusCode).toBe(303);
    expect((await new TestClient(ctx.app).login(user.email, user.password)).statusCode).toBe(401);
    expect((await new TestClient(ctx.app).login(user.email, 'a brand new passphrase')).statusCode).toBe(303);
    expect(ctx.db.select().from(auditEvents).where(eq(auditEvents.action, 'user.password_changed')).all()).toHaveLength(1);
  });
});

describe('a temporary password', () => {
  it('sends the user to /account/password for every page and form until it is changed', async () => {
    ctx = await buildTestApp();
    const org = makeOrganization(ctx.db);
    const user = await makeUser(ctx.db, { role: 'supporter', organizationId: org.id, mustChangePassword: true });
    const client = new TestClient(ctx.app);
    const login = await client.login(user.email, user.password);
    expect(login.statusCode).toBe(303);
    expect(login.headers.location).toBe('/account/password');
    for (const url of ['/', '/account', '/cases', '/admin']) {
      const page = await client.get(url);
      expect(page.statusCode, url).toBe(303);
      expect(page.headers.location, url).toBe('/account/password');
    }
    const page = await client.get('/account/password');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('一時パスワードでログインしました。');
    const locale = await client.post('/account/locale', { locale: 'en' });
    expect(locale.headers.location).toBe('/account/password');
    expect(ctx.db.select().from(users).where(eq(users.id, user.id)).get()!.locale).toBe('ja');

    await client.post('/account/password', { currentPassword: user.password, newPassword: 'my own new password', confirmPassword: 'my own new password' });
    expect(ctx.db.select().from(users).where(eq(users.id, user.id)).get()!.mustChangePassword).toBe(false);
    const next = await client.login(user.email, 'my own new password');
    expect(next.headers.location).toBe('/');
    expect((await client.get('/')).statusCode).toBe(200);
  });
});
