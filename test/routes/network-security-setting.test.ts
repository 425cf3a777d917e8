import { afterEach, describe, expect, it } from 'vitest';
import { auditEvents, networkSettings } from '../../db/schema.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn, TestClient } from '../helpers/client.js';
import { makeWorld } from '../helpers/factories.js';

let ctx: TestContext;
afterEach(async () => ctx.close());

/** Where the password step sends this user. */
async function afterPassword(user: { email: string; password: string }): Promise<string | undefined> {
  const response = await new TestClient(ctx.app).login(user.email, user.password);
  expect(response.statusCode).toBe(303);
  return response.headers.location;
}

describe('the second factor requirement is an admin setting', () => {
  it('an admin turns it on and off on /admin/security, audited; coordinators then go to enrolment, supporters never', async () => {
    ctx = await buildTestApp();
    const world = await makeWorld(ctx.db);
    expect(await afterPassword(world.coordinator)).toBe('/');

    const admin = await signedIn(ctx.app, world.admin);
    const page = await admin.get('/admin/security');
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toMatch(/name="requireSecondFactor"[^>]*checked/);
    expect((await admin.get('/admin')).body).toContain('href="/admin/security"');

    const on = await admin.post('/admin/security', { requireSecondFactor: '1' });
    expect([on.statusCode, on.headers.location]).toEqual([303, '/admin/security']);
    expect((await admin.get('/admin/security')).body).toMatch(/name="requireSecondFactor"[^>]*checked/);
    expect(await afterPassword(world.coordinator)).toBe('/login/second-factor/enrol');
    expect(await afterPassword(world.tokyoSupporter)).toBe('/');

    await admin.post('/admin/security', {});
    expect(await afterPassword(world.coordinator)).toBe('/');
    const events = ctx.db
      .select()
      .from(auditEvents)
      .all()
      .filter((e) => e.action === 'settings.second_factor_required');
    expect(events.map((e) => [e.actorUserId, e.after])).toEqual([
      [world.admin.id, '{"requireSecondFactor":true}'],
      [world.admin.id, '{"requireSecondFactor":false}'],
    ]);
  });

  it('REQUIRE_SECOND_FACTOR is only the default until an admin decides', async () => {
    ctx = await buildTestApp({ env: { REQUIRE_SECOND_FACTOR: '1' } });
    const world = await makeWorld(ctx.db);
    expect(await afterPassword(world.coordinator)).toBe('/login/second-factor/enrol');
    ctx.db.insert(networkSettings).values({ id: 1, requireSecondFactor: false, updatedAt: new Date().toISOString() }).run();
    expect(await afterPassword(world.coordinator)).toBe('/');
  });

  it('is for admins only', async () => {
    ctx = await buildTestApp();
    const world = await makeWorld(ctx.db);
    const coordinator = await signedIn(ctx.app, world.coordinator);
    expect((await coordinator.get('/admin/security')).statusCode).toBe(403);
    expect((await coordinator.post('/admin/security', { requireSecondFactor: '1' })).statusCode).toBe(403);
    expect(ctx.db.select().from(networkSettings).all()).toEqual([]);
  });
});
