import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn, type TestClient } from '../helpers/client.js';
import { makeWorld } from '../helpers/factories.js';

let ctx: TestContext;
let admin: TestClient;
beforeAll(async () => {
  ctx = await buildTestApp();
  const world = await makeWorld(ctx.db);
  admin = await signedIn(ctx.app, world.admin);
});
afterAll(async () => ctx.close());

// One page per former id parser (forms/params.ts `pathId` now serves them all).
const PAGES = [
  '/cases/:id',
  '/cases/:id/disclosure',
  '/disbursements/:id',
  '/disbursements/:id/edit',
  '/disbursements/:id/acknowledgment',
  '/receipts/:id',
  '/imports/:id',
  '/rounds/:id',
  '/admin/funds/:id/edit',
  '/admin/funds/:id/money',
  '/admin/categories/:id/edit',
  '/admin/funds/:id/review-rule',
  '/admin/users/:id',
  '/admin/organizations/:id',
  '/cases/:id/edit',
  '/receipts/:id/thumb',
  '/round-applications/:id',
];

describe('a malformed id in the path', () => {
  it('is a page that does not exist (404), never a 500', async () => {
    for (const page of PAGES) {
      for (const bad of ['0', '01', '1e3', '-1', '99999999999', 'abc', '%20']) {
        const res = await admin.get(page.replace(':id', bad));
        expect(res.statusCode, `${page} with ${bad}`).toBe(404);
      }
    }
  });

  it('a missing case in ?case= on the new-record form is a 400', async () => {
    for (const bad of ['0', 'x', '1.0']) expect((await admin.get(`/disbursements/new?case=${bad}`)).statusCode).toBe(400);
  });
});
