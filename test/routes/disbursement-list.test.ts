import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn } from '../helpers/client.js';
import { makeWorld } from '../helpers/factories.js';
import { makeCase, makeDisbursement } from '../helpers/money-factories.js';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof makeWorld>>;
beforeEach(async () => {
  ctx = await buildTestApp();
  world = await makeWorld(ctx.db);
});
afterEach(async () => ctx.close());

const idsOn = (body: string) => [...body.matchAll(/<a href="\/disbursements\/([0-9]+)">#/g)].map((m) => Number(m[1]));

function seed() {
  const tc = makeCase(ctx.db, { organizationId: world.tokyo.id, createdBy: world.tokyoSupporter.id });
  const oc = makeCase(ctx.db, { organizationId: world.osaka.id, createdBy: world.osakaSupporter.id });
  const tokyoFood = makeDisbursement(ctx.db, {
    caseId: tc.id,
    submittedBy: world.tokyoSupporter.id,
    paidOn: '2025-05-01',
    lines: [
      { category: 'food', amount: 8_000 },
      { category: 'medical', amount: 4_000 },
    ],
  });
  const tokyoApproved = makeDisbursement(ctx.db, {
    caseId: tc.id,
    submittedBy: world.tokyoSupporter.id,
    status: 'approved',
    decidedBy: world.admin.id,
    paidOn: '2025-06-01',
    lines: [{ category: 'shelter', amount: 50_000 }],
  });
  const osaka = makeDisbursement(ctx.db, {
    caseId: oc.id,
    submittedBy: world.osakaSupporter.id,
    paidOn: '2025-06-05',
    lines: [{ category: 'food', amount: 3_000 }],
  });
  return { tokyoFood, tokyoApproved, osaka };
}

describe('GET /disbursements', () => {
  it('lists each role its scope, with categories and amounts, and filters by status, amount and category', async () => {
    const { tokyoFood, tokyoApproved, osaka } = seed();
    const tokyo = await signedIn(ctx.app, world.tokyoSupporter);
    const own = (await tokyo.get('/disbursements')).body;
    expect(idsOn(own).sort()).toEqual([tokyoFood.id, tokyoApproved.id].sort());
    expect(own).toContain('食料・消耗品費 ¥8,000、医療費 ¥4,000');
    expect(own).not.toContain('Osaka Supporter');
    expect((await tokyo.get(`/disbursements?org=${world.osaka.id}`)).body).not.toContain(`/disbursements/${osaka.id}"`);

    const auditor = await signedIn(ctx.app, world.auditor);
    expect(idsOn((await auditor.get('/disbursements')).body)).toHaveLength(3);
    expect(idsOn((await auditor.get('/disbursements?status=approved')).body)).toEqual([tokyoApproved.id]);
    expect(idsOn((await auditor.get('/disbursements?min=10000')).body).sort()).toEqual([tokyoFood.id, tokyoApproved.id].sort());
    expect(idsOn((await auditor.get('/disbursements?category=food&sort=amount')).body)).toEqual([tokyoFood.id, osaka.id]);
    expect((await auditor.get('/disbursements?status=lost')).statusCode).toBe(400);
  });

  it('the home page says what each recent record was for', async () => {
    seed();
    const tokyo = await signedIn(ctx.app, world.tokyoSupporter);
    const home = (await tokyo.get('/')).body;
    expect(home).toContain('シェルター・住居費 ¥50,000');
    expect(home).toContain('食料・消耗品費 ¥8,000、医療費 ¥4,000');
  });
});

describe('「支給を記録」 opens a case picker', () => {
  it('lists open cases in scope found by any part of the code, each opening the form for it', async () => {
    const mine = makeCase(ctx.db, { organizationId: world.tokyo.id, createdBy: world.tokyoSupporter.id, code: 'TKY-2025-0015' });
    makeCase(ctx.db, { organizationId: world.osaka.id, createdBy: world.osakaSupporter.id, code: 'OSK-2025-0015' });
    const tokyo = await signedIn(ctx.app, world.tokyoSupporter);
    expect((await tokyo.get('/')).body).toContain('href="/disbursements/new"');
    const picker = await tokyo.get('/disbursements/new?q=15');
    expect(picker.statusCode).toBe(200);
    expect(picker.body).toContain(`href="/disbursements/new?case=${mine.id}"`);
    expect(picker.body).not.toContain('OSK-2025-0015');
    expect((await tokyo.get(`/disbursements/new?case=${mine.id}`)).statusCode).toBe(200);
    expect((await (await signedIn(ctx.app, world.auditor)).get('/disbursements/new')).statusCode).toBe(403);
  });
});
