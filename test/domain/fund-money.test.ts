import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { funds } from '../../db/schema.js';
import type { Actor } from '../../server/domain/actor.js';
import { createDisbursement } from '../../server/domain/disbursements.js';
import { fundOverview, listPublicTargets, recordMoneyIn, setCategoryBudget, setFundTarget } from '../../server/domain/fund-money.js';
import { newFormKey } from '../../server/domain/idempotency.js';
import { WarningsUnacknowledged } from '../../server/domain/limits.js';
import { moneyInHeaders, planMoneyIn, rowKeyOf } from '../../server/domain/money-in-import/plan.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { makeWorld, type MadeUser } from '../helpers/factories.js';
import { makeCase, makeDisbursement } from '../helpers/money-factories.js';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof makeWorld>>;
let fundId: number;
const now = new Date('2025-06-15T03:00:00Z');
const actorOf = (u: MadeUser): Actor => ({ userId: u.id, role: u.role, organizationId: u.organizationId, isAdmin: u.isAdmin, displayName: 'x', locale: 'ja' });

beforeEach(async () => {
  ctx = await buildTestApp();
  world = await makeWorld(ctx.db);
  fundId = ctx.db.insert(funds).values({ name: '2025-26 campaign', budget: 300_000 }).returning().get().id;
});
afterEach(async () => ctx.close());

describe('money in, budgets and the fund page', () => {
  it('shows raised, budgeted, approved, pending and remaining by category', () => {
    const admin = actorOf(world.admin);
    recordMoneyIn(
      ctx.db,
      admin,
      fundId,
      [
        { receivedOn: '2025-05-01', amount: 200_000, source: 'grant', label: 'Foundation X' },
        { receivedOn: '2025-05-03', amount: 500, source: 'individual', label: null },
      ],
      now,
    );
    setCategoryBudget(ctx.db, admin, fundId, 'food', 100_000, now);
    const c = makeCase(ctx.db, { organizationId: world.tokyo.id, createdBy: world.tokyoSupporter.id });
    makeDisbursement(ctx.db, { caseId: c.id, submittedBy: world.tokyoSupporter.id, fundId, status: 'approved', lines: [{ category: 'food', amount: 30_000 }] });
    makeDisbursement(ctx.db, {
      caseId: c.id,
      submittedBy: world.tokyoSupporter.id,
      fundId,
      status: 'pending',
      paidOn: '2025-05-01',
      lines: [
        { category: 'food', amount: 20_000 },
        { category: 'medical', amount: 5_000 },
      ],
    });
    makeDisbursement(ctx.db, { caseId: c.id, submittedBy: world.tokyoSupporter.id, fundId, status: 'rejected', lines: [{ category: 'food', amount: 99_000 }] });
    const o = fundOverview(ctx.db, admin, fundId);
    expect([o.raised, o.budgeted, o.approved, o.pending, o.available, o.budgetRemaining]).toEqual([200_500, 300_000, 30_000, 25_000, 145_500, 245_000]);
    expect(o.categories.map((r) => [r.code, r.budget, r.approved, r.pending, r.remaining])).toEqual([
      ['food', 100_000, 30_000, 20_000, 50_000],
      ['medical', null, 0, 5_000, null],
    ]);
  });

  it('a disbursement that would overdraw its category or fund needs a reason, and is flagged', () => {
    setCategoryBudget(ctx.db, actorOf(world.admin), fundId, 'food', 50_000, now);
    const c = makeCase(ctx.db, { organizationId: world.tokyo.id, createdBy: world.tokyoSupporter.id });
    makeDisbursement(ctx.db, {
      caseId: c.id,
      submittedBy: world.tokyoSupporter.id,
      fundId,
      status: 'approved',
      paidOn: '2025-04-01',
      lines: [{ category: 'food', amount: 40_000 }],
    });
    const submit = (amount: number, reason: string | null) =>
      createDisbursement(
        ctx.db,
        actorOf(world.tokyoSupporter),
        {
          caseId: c.id,
          paidOn: '2025-06-10',
          fundId,
          method: 'cash',
          peopleCovered: 1,
          payee: null,
          note: null,
          lines: [{ category: 'food', amount }],
          receipts: [],
          idempotencyKey: newFormKey(),
          acknowledgement: { overCapReason: reason, duplicateConfirmed: false },
        },
        now,
      );
    expect(submit(10_000, null).replayed).toBe(false); // exactly the budget
    let warned: WarningsUnacknowledged | null = null;
    try {
      submit(1, null);
    } catch (error) {
      warned = error as WarningsUnacknowledged;
    }
    expect(warned?.warnings).toEqual([{ kind: 'overdraw', scope: 'category', category: 'food', budget: 50_000, committed: 50_000, adding: 1 }]);
    expect(submit(1, 'Agreed with the treasurer').replayed).toBe(false);
  });

  it('a campaign target shows progress, and reaches the public list only when opted in', () => {
    const admin = actorOf(world.admin);
    recordMoneyIn(ctx.db, admin, fundId, [{ receivedOn: '2025-06-01', amount: 1_234_500, source: 'individual', label: null }], now);
    setFundTarget(ctx.db, admin, fundId, { amount: 3_000_000, dueOn: '2026-03-31', isPublic: false }, now);
    expect(fundOverview(ctx.db, admin, fundId).targetProgress).toEqual({ raised: 1_234_500, target: 3_000_000, percent: 41.1 });
    expect(listPublicTargets(ctx.db)).toEqual([]);
    setFundTarget(ctx.db, admin, fundId, { amount: 3_000_000, dueOn: '2026-03-31', isPublic: true }, now);
    expect(listPublicTargets(ctx.db)).toEqual([{ fundId, amount: 3_000_000, dueOn: '2026-03-31', raised: 1_234_500, name: '2025-26 campaign' }]);
    expect(() =>
      recordMoneyIn(ctx.db, actorOf(world.coordinator), fundId, [{ receivedOn: '2025-06-01', amount: 1, source: 'other', label: null }], now),
    ).toThrow();
  });
});

describe('money-in import plan', () => {
  const labels = {
    individual: ['個人の寄付', 'Individual donation'],
    grant: ['助成金', 'Grant'],
    corporate: ['法人', 'Corporate'],
    other: ['その他', 'Other'],
  };
  const mapping = {
    columns: { receivedOn: 0, amount: 1, source: 2, label: 3 },
    sourceWords: { マンスリー会員: 'individual' as const },
    defaultSource: 'individual' as const,
  };
  const rows = (...cells: string[][]) => cells.map((c, i) => ({ rowNumber: i + 2, cells: c }));

  it("reads 年号 and slashed dates, ¥ and full-width amounts, the user's own words and the page's labels", () => {
    const { outcomes, summary } = planMoneyIn(
      1,
      rows(['2025/6/1', '¥1,000', '', '春'], ['令和7年6月2日', '５００', '法人', ''], ['2025-06-03', '3000', 'マンスリー会員', '']),
      mapping,
      labels,
      () => 0,
    );
    expect(outcomes.map((o) => (o.status === 'error' ? o.problem : o.value))).toEqual([
      { receivedOn: '2025-06-01', amount: 1000, source: 'individual', label: '春' },
      { receivedOn: '2025-06-02', amount: 500, source: 'corporate', label: null },
      { receivedOn: '2025-06-03', amount: 3000, source: 'individual', label: null },
    ]);
    expect(summary).toMatchObject({ rows: 3, ok: 3, errors: 0, duplicates: 0, total: 4500 });
  });

  it('reports every bad row with its sheet row number and field, guessing nothing', () => {
    const { outcomes, summary } = planMoneyIn(
      1,
      rows(['2025/2/30', '100', '', ''], ['2025-06-01', '-5', '', ''], ['2025-06-01', '100', 'mystery', '']),
      mapping,
      labels,
      () => 0,
    );
    expect(outcomes.map((o) => (o.status === 'error' ? [o.rowNumber, o.problem.field, o.problem.key] : null))).toEqual([
      [2, 'receivedOn', 'imports.date.notADate'],
      [3, 'amount', 'money.invalid'],
      [4, 'source', 'fundsMore.import.sourceUnknown'],
    ]);
    expect(summary.errors).toBe(3);
  });

  it('the n-th identical row is new only when fewer than n are already in: an overlapping export adds what is new', () => {
    const same = ['2025-06-01', '500', '', 'spring'];
    const key = rowKeyOf(1, { receivedOn: '2025-06-01', amount: 500, source: 'individual', label: 'spring' });
    const { outcomes, summary } = planMoneyIn(1, rows(same, same, same), mapping, labels, (k) => (k === key ? 2 : 0));
    expect(outcomes.map((o) => o.status)).toEqual(['duplicate', 'duplicate', 'ok']);
    expect([summary.ok, summary.duplicates, summary.total]).toEqual([1, 2, 500]);
    expect(rowKeyOf(2, { receivedOn: '2025-06-01', amount: 500, source: 'individual', label: 'spring' })).not.toBe(key);
  });

  it("proposes columns from a platform export's Japanese and English headers", () => {
    expect(moneyInHeaders.proposeMapping(['決済日時', '寄付金額（円）', '寄付種別', 'プロジェクト名', 'メール'])).toEqual({
      receivedOn: 0,
      amount: 1,
      source: 2,
      label: 3,
    });
    expect(moneyInHeaders.proposeMapping(['Date', 'Amount', 'Type', 'Campaign'])).toEqual({ receivedOn: 0, amount: 1, source: 2, label: 3 });
  });
});
