import { not, like, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../../db/schema.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { TestClient, signedIn } from '../helpers/client.js';
import { makeWorld } from '../helpers/factories.js';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof makeWorld>>;
beforeAll(async () => {
  ctx = await buildTestApp();
  world = await makeWorld(ctx.db);
});
afterAll(async () => ctx.close());

/** Every /admin route the app registers, ours and the other admin pages, with ids that exist. */
const adminRoutes = () =>
  ctx.app.registeredRoutes
    // The reveals report is for admins and auditors alike (issue 18); the access sweep covers it.
    .filter((r) => (r.url === '/admin' || r.url.startsWith('/admin/')) && r.url !== '/admin/reveals')
    .map((r) => ({ method: r.method, url: r.url.replace(/:[A-Za-z]+/g, '1') }));

// Changes an admin route could make; sign-ins are the only events the sweep may write.
const nonAuthEvents = () =>
  ctx.db
    .select({ n: sql<number>`count(*)` })
    .from(auditEvents)
    .where(not(like(auditEvents.action, 'auth.%')))
    .get()!.n;

describe('admin routes: admin flag only', () => {
  it('registers the organization and user pages', () => {
    const urls = adminRoutes().map((r) => `${r.method} ${r.url}`);
    for (const expected of [
      'GET /admin',
      'GET /admin/organizations',
      'GET /admin/organizations/new',
      'POST /admin/organizations',
      'GET /admin/organizations/1',
      'POST /admin/organizations/1',
      'POST /admin/organizations/1/deactivate',
      'POST /admin/organizations/1/reactivate',
      'GET /admin/users',
      'GET /admin/users/new',
      'POST /admin/users',
      'GET /admin/users/1',
      'POST /admin/users/1/role',
      'POST /admin/users/1/password',
      'POST /admin/users/1/deactivate',
      'POST /admin/users/1/reactivate',
    ]) {
      expect(urls).toContain(expected);
    }
  });

  const refused = { tokyoSupporter: 'a supporter', auditor: 'an auditor', coordinator: 'a coordinator without the admin flag' } as const;
  for (const who of ['tokyoSupporter', 'auditor', 'coordinator'] as const) {
    it(`refuses every admin route to ${refused[who]} (403), writing nothing`, async () => {
      const client = await signedIn(ctx.app, world[who]);
      await client.get('/');
      const before = nonAuthEvents();
      for (const route of adminRoutes()) {
        const form = {
          code: 'HACK',
          name: 'x',
          email: 'x@example.org',
          displayName: 'x',
          role: 'coordinator',
          organizationId: '1',
          isAdmin: '1',
          password: 'long enough password',
        };
        const response = route.method === 'GET' ? await client.get(route.url) : await client.post(route.url, form);
        expect(response.statusCode, `${route.method} ${route.url}`).toBe(403);
        expect(response.body).toContain('この操作を行う権限がありません。');
      }
      expect(nonAuthEvents()).toBe(before);
    });
  }

  it('sends a signed-out visitor to the sign-in page (303) from every admin route', async () => {
    const client = new TestClient(ctx.app);
    for (const route of adminRoutes()) {
      const response = route.method === 'GET' ? await client.get(route.url) : await client.post(route.url, {}, { csrf: null });
      expect(response.statusCode, `${route.method} ${route.url}`).toBe(303);
      expect(response.headers.location).toMatch(/^\/login/);
    }
  });

  it('lets the admin coordinator in (every admin page without an id answers 200)', async () => {
    const client = await signedIn(ctx.app, world.admin);
    for (const route of adminRoutes().filter((r) => r.method === 'GET' && !/\/1(\/|$)/.test(r.url))) {
      expect((await client.get(route.url)).statusCode, route.url).toBe(200);
    }
  });
});
