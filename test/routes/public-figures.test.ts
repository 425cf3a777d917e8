import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditEvents } from '../../db/schema.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn } from '../helpers/client.js';
import { makeWorld } from '../helpers/factories.js';
import { makeCase, makeDisbursement } from '../helpers/money-factories.js';

let ctx: TestContext;
afterEach(async () => ctx.close());

const APRIL = 'from=2025-04-01&to=2025-04-30';
type World = Awaited<ReturnType<typeof makeWorld>>;

/** `n` Tokyo cases each given `amount` of `category` on `paidOn` (approved). */
function tokyoCases(w: World, n: number, line: { category: string; amount: number }, paidOn = '2025-04-10') {
  for (let i = 0; i < n; i += 1) {
    const c = makeCase(ctx.db, { organizationId: w.tokyo.id, createdBy: w.tokyoSupporter.id, householdSize: 2 });
    makeDisbursement(ctx.db, { caseId: c.id, submittedBy: w.tokyoSupporter.id, decidedBy: w.coordinator.id, status: 'approved', paidOn, lines: [line] });
  }
}

describe('a period with fewer distinct cases than the threshold (the 2023-07 report)', () => {
  beforeEach(async () => {
    ctx = await buildTestApp();
  });

  it('publishes no figure at all, only that there were fewer than N cases', async () => {
    const w = await makeWorld(ctx.db);
    // 9 cases, 12 people covered, a repatriation line: every number of this month would single someone out.
    tokyoCases(w, 8, { category: 'food', amount: 30_000 }, '2023-07-05');
    const c = makeCase(ctx.db, { organizationId: w.osaka.id, createdBy: w.osakaSupporter.id, householdSize: 4 });
    makeDisbursement(ctx.db, {
      caseId: c.id,
      submittedBy: w.osakaSupporter.id,
      decidedBy: w.coordinator.id,
      status: 'approved',
      paidOn: '2023-07-20',
      lines: [{ category: 'repatriation', amount: 88_500 }],
    });
    const client = await signedIn(ctx.app, w.coordinator);
    const query = 'from=2023-07-01&to=2023-07-31';

    const page = await client.get(`/reports/public?${query}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('この期間の実ケース数は10未満のため、数字を公開しません。');
    const main = page.body.slice(page.body.indexOf('<main'));
    expect(main).not.toMatch(/¥|万円|88,500|328,500|のべ\d/);
    expect(main).not.toContain('帰国補助費');
    expect(main).not.toContain('copy-text');

    const json = await client.get(`/reports/public.json?${query}`);
    expect(json.statusCode).toBe(200);
    expect(json.json()).toEqual({ published: false, period: { from: '2023-07-01', to: '2023-07-31' }, threshold: 10 });
  });
});

describe('a published period (threshold 3)', () => {
  beforeEach(async () => {
    ctx = await buildTestApp({ env: { PUBLIC_SUPPRESSION_THRESHOLD: '3' } });
  });

  /** Food: 4 Tokyo cases; medical: 3 Tokyo cases; repatriation: 1 Osaka case (the unsafe cell). */
  async function seed() {
    const w = await makeWorld(ctx.db);
    tokyoCases(w, 4, { category: 'food', amount: 10_000 });
    tokyoCases(w, 3, { category: 'medical', amount: 11_111 });
    const c = makeCase(ctx.db, { organizationId: w.osaka.id, createdBy: w.osakaSupporter.id, householdSize: 1 });
    makeDisbursement(ctx.db, {
      caseId: c.id,
      submittedBy: w.osakaSupporter.id,
      decidedBy: w.coordinator.id,
      status: 'approved',
      paidOn: '2025-04-20',
      lines: [{ category: 'repatriation', amount: 88_500 }],
    });
    // Pending money never reaches the public summary, even when asked for.
    const p = makeCase(ctx.db, { organizationId: w.tokyo.id, createdBy: w.tokyoSupporter.id });
    makeDisbursement(ctx.db, {
      caseId: p.id,
      submittedBy: w.tokyoSupporter.id,
      paidOn: '2025-04-21',
      status: 'pending',
      lines: [{ category: 'food', amount: 7_777 }],
    });
    return w;
  }

  it('hides a small cell and the next-smallest with it, in the page and the JSON alike', async () => {
    const w = await seed();
    const client = await signedIn(ctx.app, w.coordinator);
    const total = 40_000 + 33_333 + 88_500;
    const json = (await client.get(`/reports/public.json?${APRIL}&includePending=1`)).json();
    expect(json.published).toBe(true);
    expect(json.total).toBe(total);
    expect(json.cases).toBe(8);
    const byCode = Object.fromEntries(json.categories.map((c: { key: string }) => [c.key, c]));
    expect(Object.keys(byCode)).toEqual(['food', 'medical', 'repatriation']); // zero rows not listed
    expect(byCode.food).toMatchObject({ suppressed: false, amount: 40_000 });
    // Repatriation rests on one case; medical, the smallest shown, goes with it.
    expect(byCode.repatriation).toMatchObject({ suppressed: true, amount: null, share: null });
    expect(byCode.medical).toMatchObject({ suppressed: true, amount: null, share: null });
    expect(json.hiddenCategories.amount).toBe(33_333 + 88_500);
    // Two groups, one with a single case: both hidden, or Tokyo's figure would give Osaka's away.
    expect(json.organizations.every((o: { suppressed: boolean }) => o.suppressed)).toBe(true);
    expect(json.months).toEqual([{ key: '2025-04', suppressed: false, amount: total, disbursements: 8 }]);

    const page = (await client.get(`/reports/public?${APRIL}`)).body;
    expect(page).toContain(`<dd>¥${total.toLocaleString('en-US')}</dd>`);
    expect(page).not.toMatch(/88,500|33,333|8万9|3万3/);
    expect(page).toMatch(/<th scope="row">帰国補助費<\/th><td class="num">非表示<\/td><td class="num">非表示<\/td>/);
    expect(page).not.toContain('水道光熱'); // no zero rows
    // Campaign text: rounded to 万円, hidden categories only together.
    expect(page).toContain('2025年4月、のべ15人に対し、約16万円の緊急支援を実施しました。');
    expect(page).toContain('内訳：食料・消耗品費 24.7%（4万円）、その他（少数のため内訳は非表示） 75.3%（約12万円）。');
    expect(page).not.toContain('16万1,833円');
    expect(
      ctx.db
        .select()
        .from(auditEvents)
        .all()
        .filter((e) => e.action === 'report.exported'),
    ).toHaveLength(0);
  });

  it('scopes a supporter to their own group and keeps malformed queries at 400', async () => {
    const w = await seed();
    const client = await signedIn(ctx.app, w.osakaSupporter);
    const json = (await client.get(`/reports/public.json?${APRIL}`)).json();
    expect(json).toMatchObject({ published: false });
    expect((await client.get(`/reports/public.json?${APRIL}&org=${w.tokyo.id}`)).statusCode).toBe(404);
    expect((await client.get('/reports/public.json?from=2025-13-01&to=2025-04-30')).statusCode).toBe(400);
  });
});
