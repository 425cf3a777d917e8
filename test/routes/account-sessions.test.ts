import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditEvents, sessionDetails, sessions } from '../../db/schema.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { TestClient } from '../helpers/client.js';
import { makeWorld } from '../helpers/factories.js';

const PHONE = 'Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0';
const LAPTOP = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof makeWorld>>;
beforeEach(async () => {
  ctx = await buildTestApp();
  world = await makeWorld(ctx.db);
});
afterEach(async () => ctx.close());

async function signInWith(user: { email: string; password: string }, userAgent: string) {
  const client = new TestClient(ctx.app);
  await client.get('/login');
  const response = await client.post('/login', { email: user.email, password: user.password }, { headers: { 'user-agent': userAgent } });
  expect(response.statusCode).toBe(303);
  client.forgetToken();
  return client;
}

const detailIds = (userId: number) =>
  ctx.db
    .select({ id: sessionDetails.id })
    .from(sessionDetails)
    .innerJoin(sessions, eq(sessions.id, sessionDetails.sessionId))
    .where(eq(sessions.userId, userId))
    .all()
    .map((r) => r.id);

describe('the account’s sessions', () => {
  it('lists device family, last seen and the network prefix, never the full address or User-Agent', async () => {
    await signInWith(world.coordinator, PHONE);
    const laptop = await signInWith(world.coordinator, LAPTOP);
    const page = await laptop.get('/account/sessions');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Firefox / Android');
    expect(page.body).toContain('Safari / macOS');
    expect(page.body).toContain('127.0.0.0/24');
    expect(page.body).not.toContain('127.0.0.1');
    expect(page.body).not.toContain('rv:128.0');
    expect(
      ctx.db
        .select()
        .from(sessionDetails)
        .all()
        .every((d) => !d.device.includes('Mozilla')),
    ).toBe(true);
  });

  it('ends one other session, but not the current one nor another user’s', async () => {
    const phone = await signInWith(world.coordinator, PHONE);
    const laptop = await signInWith(world.coordinator, LAPTOP);
    await signInWith(world.admin, LAPTOP);
    const [phoneId, laptopId] = detailIds(world.coordinator.id);
    const [adminId] = detailIds(world.admin.id);

    expect((await laptop.post('/account/sessions/revoke', { session: String(adminId) })).statusCode).toBe(404);
    expect((await laptop.post('/account/sessions/revoke', { session: String(laptopId) })).statusCode).toBe(409);
    expect((await laptop.post('/account/sessions/revoke', { session: 'abc' })).statusCode).toBe(400);
    const done = await laptop.post('/account/sessions/revoke', { session: String(phoneId) });
    expect([done.statusCode, done.headers.location]).toEqual([303, '/account/sessions']);
    expect((await phone.get('/')).headers.location).toMatch(/^\/login/);
    expect((await laptop.get('/')).statusCode).toBe(200);
    expect(detailIds(world.admin.id)).toEqual([adminId]);
    expect(ctx.db.select().from(auditEvents).where(eq(auditEvents.action, 'session.revoked')).all()).toHaveLength(1);
  });

  it('signs out every other device at once, keeping this one', async () => {
    const phone = await signInWith(world.coordinator, PHONE);
    const tablet = await signInWith(world.coordinator, PHONE);
    const laptop = await signInWith(world.coordinator, LAPTOP);
    const admin = await signInWith(world.admin, LAPTOP);
    expect((await laptop.post('/account/sessions/revoke-others')).statusCode).toBe(303);
    for (const gone of [phone, tablet]) expect((await gone.get('/')).headers.location).toMatch(/^\/login/);
    expect((await laptop.get('/')).statusCode).toBe(200);
    expect((await admin.get('/')).statusCode).toBe(200);
    const event = ctx.db.select().from(auditEvents).where(eq(auditEvents.action, 'session.revoked_others')).get()!;
    expect(JSON.parse(event.after!)).toEqual({ count: 2 });
  });
});
