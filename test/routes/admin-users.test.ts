import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditEvents, sessions, users } from '../../db/schema.js';
import { verifyPassword } from '../../server/domain/passwords.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { TestClient, signedIn } from '../helpers/client.js';
import { makeOrganization, makeWorld } from '../helpers/factories.js';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof makeWorld>>;
let admin: TestClient;

beforeEach(async () => {
  ctx = await buildTestApp();
  world = await makeWorld(ctx.db);
  admin = await signedIn(ctx.app, world.admin);
});
afterEach(async () => ctx.close());

const userRow = (id: number) => ctx.db.select().from(users).where(eq(users.id, id)).get()!;
const sessionsOf = (id: number) => ctx.db.select().from(sessions).where(eq(sessions.userId, id)).all();
const eventsFor = (action: string) => ctx.db.select().from(auditEvents).where(eq(auditEvents.action, action)).all();

const TEMP = 'temporary-pass-4821';

describe('admin: users list and creation', () => {
  it('lists users with organization, role, admin flag and status', async () => {
    ctx.db.update(users).set({ isActive: false }).where(eq(users.id, world.osakaSupporter.id)).run();
    const page = await admin.get('/admin/users');
    expect(page.statusCode).toBe(200);
    const row = (name: string) =>
      page.body
        .split('<tr')
        .slice(1)
        .find((r) => r.includes(name))!;
    expect(row('Tokyo Supporter')).toContain('<code>TKY</code>');
    expect(row('Tokyo Supporter')).toContain('支援者');
    expect(row('Admin Coordinator')).toContain('管理者');
    expect(row('Second Coordinator')).not.toContain('管理者');
    expect(row('Osaka Supporter')).toContain('無効');
  });

  it('creates a user who must change the temporary password at first sign-in', async () => {
    expect((await admin.get('/admin/users/new')).statusCode).toBe(200);
    const response = await admin.post('/admin/users', {
      email: ' New.Person@Example.org ',
      displayName: '新しい 支援者',
      role: 'supporter',
      organizationId: String(world.tokyo.id),
      password: TEMP,
    });
    expect(response.statusCode).toBe(303);
    const created = ctx.db.select().from(users).where(eq(users.email, 'new.person@example.org')).get()!;
    expect(response.headers.location).toBe(`/admin/users/${created.id}`);
    expect(created).toMatchObject({ role: 'supporter', organizationId: world.tokyo.id, isAdmin: false, mustChangePassword: true, isActive: true });
    expect(await verifyPassword(created.passwordHash, TEMP)).toBe(true);

    const [event] = eventsFor('user.created').filter((e) => e.entityId === String(created.id));
    expect(event!.actorUserId).toBe(world.admin.id);
    expect(JSON.parse(event!.after!)).toMatchObject({ email: 'new.person@example.org', role: 'supporter', isAdmin: false });
    expect(event!.after).not.toContain(TEMP);
    expect(event!.after).not.toContain('argon2');

    const person = new TestClient(ctx.app);
    const login = await person.login('new.person@example.org', TEMP);
    expect(login.headers.location).toBe('/account/password');
    const home = await person.get('/');
    expect(home.statusCode).toBe(303);
    expect(home.headers.location).toBe('/account/password');
  });

  it('creates an admin coordinator', async () => {
    const response = await admin.post('/admin/users', {
      email: 'second.admin@example.org',
      displayName: 'Second Admin',
      role: 'coordinator',
      organizationId: String(world.office.id),
      isAdmin: '1',
      password: TEMP,
    });
    expect(response.statusCode).toBe(303);
    expect(ctx.db.select().from(users).where(eq(users.email, 'second.admin@example.org')).get()).toMatchObject({ isAdmin: true });
  });

  it('refuses invalid input with 422, keeps what was typed, never echoes the password', async () => {
    const count = () => ctx.db.select().from(users).all().length;
    const before = count();
    const base = { email: 'someone@example.org', displayName: 'Some One', role: 'supporter', organizationId: String(world.tokyo.id), password: TEMP };

    const short = await admin.post('/admin/users', { ...base, password: 'short-pw' });
    expect(short.statusCode).toBe(422);
    expect(short.body).toContain('パスワードは12文字以上にしてください。');
    expect(short.body).toContain('value="someone@example.org"');
    expect(short.body).toContain('value="Some One"');
    expect(short.body).not.toContain('short-pw');

    const taken = await admin.post('/admin/users', { ...base, email: world.tokyoSupporter.email.toUpperCase() });
    expect(taken.statusCode).toBe(422);
    expect(taken.body).toContain('このメールアドレスは既に登録されています。');
    expect(taken.body).not.toContain(TEMP);

    const adminSupporter = await admin.post('/admin/users', { ...base, isAdmin: '1' });
    expect(adminSupporter.statusCode).toBe(422);
    expect(adminSupporter.body).toContain('管理者権限はコーディネーターにのみ与えられます。');

    const badEmail = await admin.post('/admin/users', { ...base, email: 'not-an-email' });
    expect(badEmail.statusCode).toBe(422);
    expect(badEmail.body).toContain('メールアドレスの形式で入力してください');

    const badRole = await admin.post('/admin/users', { ...base, role: 'superuser' });
    expect(badRole.statusCode).toBe(422);

    const closed = makeOrganization(ctx.db, { code: 'CLSD' });
    await admin.post(`/admin/organizations/${closed.id}/deactivate`);
    const inactiveOrg = await admin.post('/admin/users', { ...base, organizationId: String(closed.id) });
    expect(inactiveOrg.statusCode).toBe(422);
    expect(inactiveOrg.body).toContain('無効になっている団体には所属させられません。');

    const unknownOrg = await admin.post('/admin/users', { ...base, organizationId: '9999' });
    expect(unknownOrg.statusCode).toBe(422);

    expect(count()).toBe(before);
  });
});

describe('admin: changing a user', () => {
  it('changes role and organization, ending every session of that user', async () => {
    const target = world.tokyoSupporter;
    const phone = await signedIn(ctx.app, target);
    await signedIn(ctx.app, target);
    expect(sessionsOf(target.id)).toHaveLength(2);

    const response = await admin.post(`/admin/users/${target.id}/role`, { role: 'coordinator', organizationId: String(world.office.id) });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/admin/users/${target.id}`);
    expect(userRow(target.id)).toMatchObject({ role: 'coordinator', organizationId: world.office.id, isAdmin: false });
    expect(sessionsOf(target.id)).toHaveLength(0);
    expect((await phone.get('/')).headers.location).toBe('/login?next=%2F');

    const [event] = eventsFor('user.role_changed');
    expect(event!.entityId).toBe(String(target.id));
    expect(JSON.parse(event!.before!)).toEqual({ role: 'supporter', isAdmin: false, organizationId: world.tokyo.id });
    expect(JSON.parse(event!.after!)).toEqual({ role: 'coordinator', isAdmin: false, organizationId: world.office.id });
    expect(sessionsOf(world.admin.id)).toHaveLength(1); // the admin's own session is untouched
  });

  it('grants the admin flag to a coordinator only', async () => {
    const refused = await admin.post(`/admin/users/${world.auditor.id}/role`, { role: 'auditor', organizationId: String(world.office.id), isAdmin: '1' });
    expect(refused.statusCode).toBe(422);
    expect(userRow(world.auditor.id).isAdmin).toBe(false);
    const granted = await admin.post(`/admin/users/${world.coordinator.id}/role`, {
      role: 'coordinator',
      organizationId: String(world.office.id),
      isAdmin: 'on',
    });
    expect(granted.statusCode).toBe(303);
    expect(userRow(world.coordinator.id).isAdmin).toBe(true);
  });

  it('does nothing (no event, sessions kept) when nothing changed', async () => {
    await signedIn(ctx.app, world.auditor);
    const response = await admin.post(`/admin/users/${world.auditor.id}/role`, { role: 'auditor', organizationId: String(world.office.id) });
    expect(response.statusCode).toBe(303);
    expect(eventsFor('user.role_changed')).toHaveLength(0);
    expect(sessionsOf(world.auditor.id)).toHaveLength(1);
  });

  it('never lets an admin demote themselves', async () => {
    const own = `/admin/users/${world.admin.id}/role`;
    const toSupporter = await admin.post(own, { role: 'supporter', organizationId: String(world.office.id) });
    expect(toSupporter.statusCode).toBe(422);
    expect(toSupporter.body).toContain('ご自身の役割の変更や管理者権限の解除はできません。');
    const dropFlag = await admin.post(own, { role: 'coordinator', organizationId: String(world.office.id) });
    expect(dropFlag.statusCode).toBe(422);
    expect(userRow(world.admin.id)).toMatchObject({ role: 'coordinator', isAdmin: true });
    expect(eventsFor('user.role_changed')).toHaveLength(0);
  });

  it('deactivates (ending sessions, refusing sign-in) and reactivates', async () => {
    const target = world.osakaSupporter;
    const phone = await signedIn(ctx.app, target);
    const off = await admin.post(`/admin/users/${target.id}/deactivate`);
    expect(off.statusCode).toBe(303);
    expect(off.headers.location).toBe(`/admin/users/${target.id}`);
    expect(userRow(target.id).isActive).toBe(false);
    expect(sessionsOf(target.id)).toHaveLength(0);
    expect((await phone.get('/')).statusCode).toBe(303);
    expect((await new TestClient(ctx.app).login(target.email, target.password)).statusCode).toBe(401);
    expect(eventsFor('user.deactivated').map((e) => e.entityId)).toEqual([String(target.id)]);

    const on = await admin.post(`/admin/users/${target.id}/reactivate`);
    expect(on.statusCode).toBe(303);
    expect(userRow(target.id).isActive).toBe(true);
    expect(eventsFor('user.reactivated')).toHaveLength(1);
    expect((await new TestClient(ctx.app).login(target.email, target.password)).statusCode).toBe(303);
  });

  it('never lets an admin deactivate themselves', async () => {
    const response = await admin.post(`/admin/users/${world.admin.id}/deactivate`);
    expect(response.statusCode).toBe(409);
    expect(response.body).toContain('ご自身のアカウントは無効にできません。');
    expect(userRow(world.admin.id).isActive).toBe(true);
    expect((await admin.get('/admin')).statusCode).toBe(200);
  });

  it('sets a temporary password: sessions end, the old password stops working, a change is forced', async () => {
    const target = world.tokyoSupporter;
    const phone = await signedIn(ctx.app, target);
    const response = await admin.post(`/admin/users/${target.id}/password`, { password: TEMP });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/admin/users/${target.id}`);
    expect(userRow(target.id).mustChangePassword).toBe(true);
    expect(sessionsOf(target.id)).toHaveLength(0);
    expect((await phone.get('/')).statusCode).toBe(303);

    const [event] = eventsFor('user.password_reset');
    expect(event).toMatchObject({ actorUserId: world.admin.id, entityId: String(target.id) });
    expect(`${event!.before}${event!.after}`).not.toMatch(/argon2|temporary-pass/);

    expect((await new TestClient(ctx.app).login(target.email, target.password)).statusCode).toBe(401);
    const fresh = new TestClient(ctx.app);
    expect((await fresh.login(target.email, TEMP)).headers.location).toBe('/account/password');
    expect((await fresh.get('/cases')).headers.location).toBe('/account/password');
  });

  it('refuses a short temporary password (422, not echoed) and the admin’s own reset (409)', async () => {
    const short = await admin.post(`/admin/users/${world.auditor.id}/password`, { password: 'tiny-secret' });
    expect(short.statusCode).toBe(422);
    expect(short.body).toContain('パスワードは12文字以上にしてください。');
    expect(short.body).not.toContain('tiny-secret');
    const own = await admin.post(`/admin/users/${world.admin.id}/password`, { password: TEMP });
    expect(own.statusCode).toBe(409);
    expect(eventsFor('user.password_reset')).toHaveLength(0);
  });

  it('answers 404 for unknown users on every route', async () => {
    expect((await admin.get('/admin/users/9999')).statusCode).toBe(404);
    expect((await admin.get('/admin/users/1x')).statusCode).toBe(404);
    for (const action of ['role', 'password', 'deactivate', 'reactivate']) {
      const response = await admin.post(`/admin/users/9999/${action}`, { role: 'supporter', organizationId: '1', password: TEMP });
      expect(response.statusCode, action).toBe(404);
    }
  });

  it('shows a user page with the forms and, for oneself, the note instead of the dangerous ones', async () => {
    const other = await admin.get(`/admin/users/${world.tokyoSupporter.id}`);
    expect(other.body).toContain(`action="/admin/users/${world.tokyoSupporter.id}/deactivate"`);
    expect(other.body).toContain(`action="/admin/users/${world.tokyoSupporter.id}/password"`);
    const self = await admin.get(`/admin/users/${world.admin.id}`);
    expect(self.body).toContain('ご自身のアカウントは無効化や降格');
    expect(self.body).not.toContain(`action="/admin/users/${world.admin.id}/deactivate"`);
  });
});
