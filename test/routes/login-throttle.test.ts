import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.js';
import { auditEvents, loginThrottles } from '../../db/schema.js';
import { buildApp } from '../../server/app.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { makeOrganization, makeUser, type MadeUser } from '../helpers/factories.js';

let ctx: TestContext;
let user: MadeUser;
let other: MadeUser;
beforeEach(async () => {
  ctx = await buildTestApp();
  const org = makeOrganization(ctx.db);
  user = await makeUser(ctx.db, { role: 'supporter', organizationId: org.id });
  other = await makeUser(ctx.db, { role: 'supporter', organizationId: org.id });
});
afterEach(async () => ctx.close());

/** One sign-in attempt through the real form, from a given address. */
async function attempt(app: FastifyInstance, email: string, password: string, ip = '127.0.0.1') {
  const page = await app.inject({ method: 'GET', url: '/login', remoteAddress: ip });
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
  const cookie = page.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  return app.inject({
    method: 'POST',
    url: '/login',
    remoteAddress: ip,
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    payload: new URLSearchParams({ _csrf: token, email, password }).toString(),
  });
}

const THROTTLED = 'ログインの試行が多すぎます。';

describe('sign-in throttling', () => {
  it('locks an account after 5 failures, even for the right password, and not its neighbours', async () => {
    for (let i = 1; i <= 5; i++) {
      const failed = await attempt(ctx.app, user.email, `wrong password ${i}`);
      expect(failed.statusCode, `failure ${i}`).toBe(401);
    }
    const locked = await attempt(ctx.app, user.email.toUpperCase(), user.password);
    expect(locked.statusCode).toBe(429);
    expect(locked.body).toContain(THROTTLED);
    expect(locked.headers['set-cookie']?.toString() ?? '').not.toMatch(/sid=/);
    expect((await attempt(ctx.app, other.email, other.password)).statusCode).toBe(303);
    const actions = ctx.db
      .select()
      .from(auditEvents)
      .all()
      .map((e) => e.action);
    expect(actions.filter((a) => a === 'auth.login_failed')).toHaveLength(5);
    expect(actions).toContain('auth.login_throttled');
  });

  it('keeps the lock across a restart (counters live in the database)', async () => {
    for (let i = 0; i < 5; i++) await attempt(ctx.app, user.email, 'wrong password!');
    expect(
      ctx.db
        .select()
        .from(loginThrottles)
        .where(eq(loginThrottles.key, `account:${user.email}`))
        .get(),
    ).toMatchObject({ failures: 5 });

    // The process stops; a new one opens the same file.
    await ctx.app.close();
    ctx.db.$client.close();
    const db = openDatabase(ctx.config.databasePath);
    const app = await buildApp({ config: ctx.config, db, clock: ctx.clock, logger: false });
    await app.ready();
    ctx = { ...ctx, app, db };

    expect((await attempt(app, user.email, user.password)).statusCode).toBe(429);
  });

  it('lifts the lock once the window has passed', async () => {
    for (let i = 0; i < 5; i++) await attempt(ctx.app, user.email, 'wrong password!');
    ctx.clock.advance(14 * 60_000);
    expect((await attempt(ctx.app, user.email, user.password)).statusCode).toBe(429);
    ctx.clock.advance(60_000 + 1);
    const response = await attempt(ctx.app, user.email, user.password);
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/');
    // a success clears the account's counter
    expect(
      ctx.db
        .select()
        .from(loginThrottles)
        .where(eq(loginThrottles.key, `account:${user.email}`))
        .get(),
    ).toBeUndefined();
  });

  it('locks an address after 20 failures across accounts; other addresses still sign in', async () => {
    for (let i = 0; i < 20; i++) {
      expect((await attempt(ctx.app, `nobody${i}@example.org`, 'wrong password!', '203.0.113.9')).statusCode).toBe(401);
    }
    const fromThere = await attempt(ctx.app, user.email, user.password, '203.0.113.9');
    expect(fromThere.statusCode).toBe(429);
    expect(fromThere.body).toContain(THROTTLED);
    expect((await attempt(ctx.app, user.email, user.password, '198.51.100.7')).statusCode).toBe(303);
  });
});
