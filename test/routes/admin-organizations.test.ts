import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditEvents, organizations } from '../../db/schema.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn, type TestClient } from '../helpers/client.js';
import { makeWorld } from '../helpers/factories.js';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof makeWorld>>;
let admin: TestClient;

beforeEach(async () => {
  ctx = await buildTestApp();
  world = await makeWorld(ctx.db);
  admin = await signedIn(ctx.app, world.admin);
});
afterEach(async () => ctx.close());

const orgByCode = (code: string) => ctx.db.select().from(organizations).where(eq(organizations.code, code)).get();
const eventsFor = (action: string) => ctx.db.select().from(auditEvents).where(eq(auditEvents.action, action)).all();

describe('admin: organizations', () => {
  it('links every admin section from /admin', async () => {
    const page = await admin.get('/admin');
    expect(page.statusCode).toBe(200);
    for (const section of ['organizations', 'users', 'categories', 'funds', 'period-locks']) {
      expect(page.body).toContain(`href="/admin/${section}"`);
    }
  });

  it('lists organizations with code, name and status', async () => {
    const page = await admin.get('/admin/organizations');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<code>TKY</code>');
    expect(page.body).toContain('Tokyo group');
    expect(page.body).toContain(`href="/admin/organizations/${world.osaka.id}"`);
  });

  it('creates an organization (code normalised from full-width lower case) and audits it', async () => {
    expect((await admin.get('/admin/organizations/new')).statusCode).toBe(200);
    const response = await admin.post('/admin/organizations', { code: 'ｎｇｙ', name: '名古屋支援の会', prefecture: '23' });
    const created = orgByCode('NGY');
    expect(created).toMatchObject({ name: '名古屋支援の会', prefecture: '23', isActive: true });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/admin/organizations/${created!.id}`);
    const [event] = eventsFor('organization.created').filter((e) => e.entityId === String(created!.id));
    expect(event!.actorUserId).toBe(world.admin.id);
    expect(JSON.parse(event!.after!)).toEqual({ code: 'NGY', name: '名古屋支援の会', prefecture: '23', isActive: true });
    const show = await admin.get(response.headers.location as string);
    expect(show.body).toContain('団体を追加しました。');
    expect(show.body).toContain('愛知県');
  });

  it('refuses a bad or taken code with 422, keeping the input', async () => {
    const bad = await admin.post('/admin/organizations', { code: 'T1', name: 'Bad code group', prefecture: '' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('団体コードは英大文字（A〜Z）2〜6文字で入力してください。');
    expect(bad.body).toContain('value="Bad code group"');
    expect(bad.body).toContain('value="T1"');
    const tooLong = await admin.post('/admin/organizations', { code: 'ABCDEFG', name: 'x' });
    expect(tooLong.statusCode).toBe(422);
    const taken = await admin.post('/admin/organizations', { code: 'TKY', name: 'Another Tokyo', prefecture: '13' });
    expect(taken.statusCode).toBe(422);
    expect(taken.body).toContain('この団体コードは既に使われています。');
    expect(taken.body).toContain('value="Another Tokyo"');
    expect(taken.body).toMatch(/<option value="13" selected>/);
    const missing = await admin.post('/admin/organizations', { code: '', name: '', prefecture: '99' });
    expect(missing.statusCode).toBe(422);
    expect(missing.body).toContain('一覧から選んでください。');
    expect(ctx.db.select().from(organizations).all()).toHaveLength(3);
    expect(eventsFor('organization.created')).toHaveLength(3); // makeWorld's three only
  });

  it('renames and moves an organization; the code cannot change', async () => {
    const response = await admin.post(`/admin/organizations/${world.tokyo.id}`, { name: '東京支援ネット', prefecture: '13', code: 'ZZZ' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/admin/organizations/${world.tokyo.id}`);
    expect(orgByCode('TKY')).toMatchObject({ name: '東京支援ネット', prefecture: '13' });
    expect(orgByCode('ZZZ')).toBeUndefined();
    const [event] = eventsFor('organization.updated');
    expect(JSON.parse(event!.before!)).toEqual({ name: 'Tokyo group', prefecture: null });
    expect(JSON.parse(event!.after!)).toEqual({ name: '東京支援ネット', prefecture: '13' });

    const invalid = await admin.post(`/admin/organizations/${world.tokyo.id}`, { name: '   ', prefecture: '13' });
    expect(invalid.statusCode).toBe(422);
    expect(invalid.body).toContain('入力してください。');
    expect(orgByCode('TKY')!.name).toBe('東京支援ネット');
  });

  it('deactivates and reactivates, auditing each', async () => {
    const off = await admin.post(`/admin/organizations/${world.osaka.id}/deactivate`);
    expect(off.statusCode).toBe(303);
    expect(off.headers.location).toBe(`/admin/organizations/${world.osaka.id}`);
    expect(orgByCode('OSK')!.isActive).toBe(false);
    expect(eventsFor('organization.deactivated').map((e) => e.entityId)).toEqual([String(world.osaka.id)]);
    // an inactive organization is not offered to new users
    expect((await admin.get('/admin/users/new')).body).not.toContain(`value="${world.osaka.id}"`);

    const on = await admin.post(`/admin/organizations/${world.osaka.id}/reactivate`);
    expect(on.statusCode).toBe(303);
    expect(orgByCode('OSK')!.isActive).toBe(true);
    expect(eventsFor('organization.reactivated')).toHaveLength(1);
  });

  it('answers 404 for unknown or malformed ids', async () => {
    expect((await admin.get('/admin/organizations/9999')).statusCode).toBe(404);
    expect((await admin.get('/admin/organizations/abc')).statusCode).toBe(404);
    expect((await admin.post('/admin/organizations/9999', { name: 'x' })).statusCode).toBe(404);
    expect((await admin.post('/admin/organizations/9999/deactivate')).statusCode).toBe(404);
    expect((await admin.post('/admin/organizations/0/reactivate')).statusCode).toBe(404);
  });
});
