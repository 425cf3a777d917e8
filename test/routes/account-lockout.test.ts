import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditEvents, sessions } from '../../db/schema.js';
import { sessionIdFromToken } from '../../server/domain/sessions.js';
import { translator } from '../../server/i18n/index.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn, TestClient } from '../helpers/client.js';
import { makeOrganization, makeUser, type MadeUser } from '../helpers/factories.js';

const ja = translator('ja');
let ctx: TestContext;
let user: MadeUser;
beforeEach(async () => {
  ctx = await buildTestApp();
  user = await makeUser(ctx.db, { role: 'supporter', organizationId: makeOrganization(ctx.db).id });
});
afterEach(async () => ctx.close());

const change = (client: TestClient, currentPassword: string) =>
  client.post('/account/password', { currentPassword, newPassword: 'a brand new long password', confirmPassword: 'a brand new long password' });
const actions = (action: string) => ctx.db.select().from(auditEvents).where(eq(auditEvents.action, action)).all();

describe('POST /account/password with wrong current passwords', () => {
  it('audits each failure and locks the account exactly like failed sign-ins', async () => {
    const client = await signedIn(ctx.app, user);
    for (let i = 1; i <= 5; i++) {
      const wrong = await change(client, `not my password ${i}`);
      expect(wrong.statusCode, `attempt ${i}`).toBe(422);
      expect(wrong.body).toContain(ja('account.wrongPassword'));
    }
    const failures = actions('user.password_change_failed');
    expect(failures).toHaveLength(5);
    expect(failures[0]).toMatchObject({ actorUserId: user.id, entityType: 'user', entityId: String(user.id) });

    // Locked now: the right current password is refused too, and so is a new sign-in.
    const locked = await change(client, user.password);
    expect(locked.statusCode).toBe(429);
    expect(locked.body).toContain(ja('account.passwordLocked'));
    expect(actions('user.password_changed')).toHaveLength(0);
    expect(actions('user.password_change_throttled')).toHaveLength(1);
    const elsewhere = await new TestClient(ctx.app).login(user.email, user.password);
    expect(elsewhere.statusCode).toBe(429);

    // The lock ends as a sign-in lock does.
    ctx.clock.advance(16 * 60_000);
    const later = await signedIn(ctx.app, user);
    expect((await change(later, user.password)).statusCode).toBe(303);
    expect(actions('user.password_changed')).toHaveLength(1);
  });

  it('failed sign-ins count toward the same lock the password form obeys', async () => {
    const client = await signedIn(ctx.app, user);
    for (let i = 0; i < 5; i++) expect((await new TestClient(ctx.app).login(user.email, 'wrong password!')).statusCode).toBe(401);
    expect((await change(client, user.password)).statusCode).toBe(429);
  });
});

describe('signing in while signed in', () => {
  it('ends the previous session: its cookie no longer opens a page', async () => {
    const client = await signedIn(ctx.app, user);
    const firstToken = client.cookie('sid')!;
    expect(
      ctx.db
        .select()
        .from(sessions)
        .where(eq(sessions.id, sessionIdFromToken(firstToken)))
        .get(),
    ).toBeDefined();
    const again = await client.login(user.email, user.password);
    expect(again.statusCode).toBe(303);
    const secondToken = client.cookie('sid')!;
    expect(secondToken).not.toBe(firstToken);
    expect(
      ctx.db
        .select()
        .from(sessions)
        .where(eq(sessions.userId, user.id))
        .all()
        .map((s) => s.id),
    ).toEqual([sessionIdFromToken(secondToken)]);
    const withOldCookie = await ctx.app.inject({ method: 'GET', url: '/account', headers: { cookie: `sid=${firstToken}` } });
    expect(withOldCookie.statusCode).toBe(303);
    expect(withOldCookie.headers.location).toMatch(/^\/login/);
  });
});
