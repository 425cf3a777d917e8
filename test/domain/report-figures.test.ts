import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { funds } from '../../db/schema.js';
import type { Actor } from '../../server/domain/actor.js';
import { computeSummary, figureQueries, type ReportQuery } from '../../server/domain/figures.js';
import { NotFound } from '../../server/domain/errors.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { makeWorld, type MadeUser } from '../helpers/factories.js';
import { makeCase, makeDisbursement } from '../helpers/money-factories.js';

let ctx: TestContext;
beforeEach(async () => {
  ctx = await buildTestApp();
});
afterEach(async () => ctx.close());

const actorOf = (u: MadeUser): Actor => ({
  userId: u.id,
  role: u.role,
  organizationId: u.organizationId,
  isAdmin: u.isAdmin,
  displayName: 'x',
  locale: 'ja',
});
const april = (over: Partial<ReportQuery> = {}): ReportQuery => ({
  from: '2025-04-01',
  to: '2025-04-30',
  organizationId: null,
  fundId: null,
  includePending: false,
  ...over,
});

/** The hand-built dataset: every §4 rule has a record that would break it if counted wrongly. */
async function buildDataset() {
  const w = await makeWorld(ctx.db);
  const grant = ctx.db.insert(funds).values({ name: 'Grant A', budget: 1_000_000 }).returning().get();
  const by = w.tokyoSupporter.id;
  const cA = makeCase(ctx.db, { organizationId: w.tokyo.id, createdBy: by, householdSize: 3, residenceStatus: 'refugee_applicant', nationality: 'MM' });
  const cB = makeCase(ctx.db, { organizationId: w.tokyo.id, createdBy: by, householdSize: 2, residenceStatus: 'provisional_release', nationality: 'TR' });
  const cC = makeCase(ctx.db, { organizationId: w.osaka.id, createdBy: w.osakaSupporter.id, householdSize: 4, residenceStatus: 'no_status' });
  const cD = makeCase(ctx.db, { organizationId: w.tokyo.id, createdBy: by, householdSize: 1 });
  const d = (
    caseId: number,
    paidOn: string,
    lines: { category: string; amount: number }[],
    extra: Parameters<typeof makeDisbursement>[1] extends infer O ? Partial<O> : never = {},
  ) => makeDisbursement(ctx.db, { caseId, submittedBy: by, paidOn, lines, status: 'approved', decidedBy: w.coordinator.id, ...extra });
  // Counted: first day, last day, a case twice (のべ 2, 実 1) with different people covered.
  d(
    cA.id,
    '2025-04-01',
    [
      { category: 'shelter', amount: 50_000 },
      { category: 'food', amount: 12_345 },
    ],
    { peopleCovered: 3 },
  );
  d(cA.id, '2025-04-20', [{ category: 'medical', amount: 8_000 }], { peopleCovered: 2, fundId: grant.id, method: 'bank_transfer' });
  d(
    cB.id,
    '2025-04-30',
    [
      { category: 'food', amount: 7_655 },
      { category: 'utilities', amount: 3_000 },
    ],
    { peopleCovered: 2, method: 'paid_to_provider' },
  );
  d(cC.id, '2025-04-15', [{ category: 'shelter', amount: 30_000 }], { peopleCovered: 4, fundId: grant.id, submittedBy: w.osakaSupporter.id });
  // Not counted: the day after, the day before, voided, rejected, withdrawn; pending only on request.
  d(cB.id, '2025-05-01', [{ category: 'food', amount: 99_999 }]);
  d(cD.id, '2025-03-31', [{ category: 'food', amount: 77_777 }]);
  d(cD.id, '2025-04-10', [{ category: 'shelter', amount: 1_000_000 }], { status: 'voided' });
  d(cD.id, '2025-04-10', [{ category: 'shelter', amount: 2_000_000 }], { status: 'rejected' });
  d(cD.id, '2025-04-10', [{ category: 'shelter', amount: 3_000_000 }], { status: 'withdrawn' });
  d(cD.id, '2025-04-12', [{ category: 'food', amount: 5_000 }], { status: 'pending', peopleCovered: 1 });
  return { w, grant, cA, cB, cC, cD };
}

describe('computeSummary (SPEC §4) on a hand-built dataset', () => {
  it('counts approved, not voided money in the period: every figure', async () => {
    const { w, grant } = await buildDataset();
    const s = computeSummary(ctx.db, actorOf(w.coordinator), april());
    expect(s.period).toEqual({ from: '2025-04-01', to: '2025-04-30' });
    expect(s.total).toBe(111_000);
    expect(s.disbursements).toBe(4);
    expect(s.peopleCumulative).toBe(11);
    expect(s.cases).toBe(3);
    expect(s.peopleUnique).toBe(9);
    expect(s.byCategory.map((c) => [c.code, c.amount, c.share, c.lines])).toEqual([
      ['shelter', 80_000, 72.1, 2],
      ['food', 20_000, 18.0, 2],
      ['medical', 8_000, 7.2, 1],
      ['utilities', 3_000, 2.7, 1],
      ['repatriation', 0, 0, 0],
      ['tuition', 0, 0, 0],
      ['other', 0, 0, 0],
    ]);
    expect(s.byCategory.reduce((sum, c) => sum + c.amount, 0)).toBe(s.total);
    expect(Math.round(s.byCategory.reduce((sum, c) => sum + c.share * 10, 0))).toBe(1000);
    expect(s.byMonth).toEqual([{ month: '2025-04', amount: 111_000, disbursements: 4 }]);
    expect(s.byOrganization).toEqual([
      { id: w.tokyo.id, name: 'Tokyo group', amount: 81_000, disbursements: 3 },
      { id: w.osaka.id, name: 'Osaka group', amount: 30_000, disbursements: 1 },
    ]);
    expect(s.byFund.map((f) => [f.name, f.amount, f.disbursements, f.budget])).toEqual([
      [expect.stringContaining('General donations'), 73_000, 2, null],
      ['Grant A', 38_000, 2, 1_000_000],
    ]);
    expect(s.byFund[1]!.id).toBe(grant.id);
    expect(s.byMethod).toEqual([
      { method: 'cash', disbursements: 2, peopleCumulative: 7 },
      { method: 'bank_transfer', disbursements: 1, peopleCumulative: 2 },
      { method: 'paid_to_provider', disbursements: 1, peopleCumulative: 2 },
    ]);
    expect(s.byResidenceStatus.map((r) => [r.key, r.cases, r.peopleUnique, r.disbursements, r.peopleCumulative])).toEqual([
      ['no_status', 1, 4, 1, 4],
      ['refugee_applicant', 1, 3, 2, 5],
      ['provisional_release', 1, 2, 1, 2],
    ]);
    expect(s.byNationality.map((r) => [r.key, r.cases, r.peopleUnique])).toEqual([
      ['unknown', 1, 4],
      ['MM', 1, 3],
      ['TR', 1, 2],
    ]);
  });

  it('includes pending money only when asked', async () => {
    const { w } = await buildDataset();
    const s = computeSummary(ctx.db, actorOf(w.coordinator), april({ includePending: true }));
    expect([s.total, s.disbursements, s.peopleCumulative, s.cases, s.peopleUnique]).toEqual([116_000, 5, 12, 4, 10]);
    expect(s.byCategory.find((c) => c.code === 'food')).toMatchObject({ amount: 25_000, lines: 3 });
  });

  it('filters by fund: 実人数 takes the largest people covered within the filter', async () => {
    const { w, grant } = await buildDataset();
    const s = computeSummary(ctx.db, actorOf(w.auditor), april({ fundId: grant.id }));
    expect([s.total, s.disbursements, s.peopleCumulative, s.cases, s.peopleUnique]).toEqual([38_000, 2, 6, 2, 6]);
    expect(s.byFund.map((f) => f.id)).toEqual([grant.id]);
  });

  it('filters by organization', async () => {
    const { w } = await buildDataset();
    const s = computeSummary(ctx.db, actorOf(w.coordinator), april({ organizationId: w.osaka.id }));
    expect([s.total, s.disbursements, s.peopleCumulative, s.cases, s.peopleUnique]).toEqual([30_000, 1, 4, 1, 4]);
    expect(s.byOrganization.map((o) => o.id)).toEqual([w.osaka.id]);
  });

  it("keeps a supporter to their own group's money", async () => {
    const { w } = await buildDataset();
    const tokyo = computeSummary(ctx.db, actorOf(w.tokyoSupporter), april());
    expect([tokyo.total, tokyo.cases]).toEqual([81_000, 2]);
    expect(tokyo.byOrganization.map((o) => o.id)).toEqual([w.tokyo.id]);
    expect(tokyo.scope.organizationId).toBe(w.tokyo.id);
    const osaka = computeSummary(ctx.db, actorOf(w.osakaSupporter), april({ organizationId: w.osaka.id }));
    expect(osaka.total).toBe(30_000);
    expect(() => computeSummary(ctx.db, actorOf(w.tokyoSupporter), april({ organizationId: w.osaka.id }))).toThrow(NotFound);
  });

  it('answers 404 for an unknown organization or fund filter', async () => {
    const { w } = await buildDataset();
    expect(() => computeSummary(ctx.db, actorOf(w.coordinator), april({ organizationId: 9999 }))).toThrow(NotFound);
    expect(() => computeSummary(ctx.db, actorOf(w.coordinator), april({ fundId: 9999 }))).toThrow(NotFound);
  });

  it('lists every month of the period, empty ones as zero', async () => {
    const { w } = await buildDataset();
    const s = computeSummary(ctx.db, actorOf(w.coordinator), april({ from: '2025-03-01', to: '2025-06-30' }));
    expect(s.byMonth).toEqual([
      { month: '2025-03', amount: 77_777, disbursements: 1 },
      { month: '2025-04', amount: 111_000, disbursements: 4 },
      { month: '2025-05', amount: 99_999, disbursements: 1 },
      { month: '2025-06', amount: 0, disbursements: 0 },
    ]);
    expect(s.total).toBe(77_777 + 111_000 + 99_999);
    expect(s.cases).toBe(4);
  });

  it('gives zero shares, not NaN, for an empty period', async () => {
    const { w } = await buildDataset();
    const s = computeSummary(ctx.db, actorOf(w.coordinator), april({ from: '2020-01-01', to: '2020-01-31' }));
    expect(s.total).toBe(0);
    expect(s.byCategory.every((c) => c.share === 0 && c.amount === 0)).toBe(true);
    expect([s.disbursements, s.peopleCumulative, s.cases, s.peopleUnique]).toEqual([0, 0, 0, 0]);
  });

  it('runs inside a transaction too (the contract takes Db or Tx)', async () => {
    const { w } = await buildDataset();
    const total = ctx.db.transaction((tx) => computeSummary(tx, actorOf(w.coordinator), april()).total);
    expect(total).toBe(111_000);
  });
});

describe('the figure queries use the figures indexes (EXPLAIN QUERY PLAN)', () => {
  it.each([
    ['all groups', { organizationId: null, fundId: null, includePending: false }],
    ['one group, one fund, pending too', { organizationId: 2, fundId: 1, includePending: true }],
  ])('%s', (_name, filters) => {
    const q = figureQueries({ from: '2025-04-01', to: '2025-04-30', ...filters });
    const { params, ...queries } = q;
    for (const [name, text] of Object.entries(queries)) {
      const plan = (ctx.db.$client.prepare(`EXPLAIN QUERY PLAN ${text}`).all(...params) as { detail: string }[]).map((r) => r.detail);
      const table = name.startsWith('line') ? 'disbursement_lines' : 'disbursements';
      const index = name.startsWith('line') ? 'lines_figures_idx' : 'disbursements_figures_idx';
      expect(
        plan.some((d) => d.includes(`SEARCH ${table} USING`) && d.includes(index)),
        `${name}: ${plan.join(' | ')}`,
      ).toBe(true);
      expect(
        plan.some((d) => /^SCAN (disbursements|disbursement_lines)\b/.test(d)),
        `${name}: ${plan.join(' | ')}`,
      ).toBe(false);
    }
  });
});
