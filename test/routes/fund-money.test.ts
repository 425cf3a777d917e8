import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categoryBudgets, categoryCaps, fundTargets, funds, moneyIn } from '../../db/schema.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn, type TestClient } from '../helpers/client.js';
import { makeWorld } from '../helpers/factories.js';

let ctx: TestContext;
let admin: TestClient;
let coordinator: TestClient;
let fundId: number;
let base: string;

beforeAll(async () => {
  ctx = await buildTestApp({ env: { RATE_LIMIT_PER_MINUTE: '1000000' } });
  const world = await makeWorld(ctx.db);
  fundId = ctx.db.insert(funds).values({ name: 'Winter campaign', budget: 3_000_000 }).returning().get().id;
  base = `/admin/funds/${fundId}`;
  admin = await signedIn(ctx.app, world.admin);
  coordinator = await signedIn(ctx.app, world.coordinator);
});
afterAll(async () => ctx.close());

describe("the treasurer's fund page", () => {
  it('records money in; bad input is 422 with the input kept; a coordinator without the flag gets 403', async () => {
    const bad = await admin.post(`${base}/money-in`, { receivedOn: '2025-06-01', amount: '12.5', source: 'grant', label: 'Foundation' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('value="12.5"');
    const ok = await admin.post(`${base}/money-in`, { receivedOn: '2025-06-01', amount: '¥1,000,000', source: 'grant', label: 'Foundation' });
    expect([ok.statusCode, ok.headers.location]).toEqual([303, `${base}/money`]);
    expect(
      ctx.db
        .select()
        .from(moneyIn)
        .all()
        .map((r) => [r.amount, r.source]),
    ).toEqual([[1_000_000, 'grant']]);
    expect((await coordinator.get(`${base}/money`)).statusCode).toBe(403);
  });

  it('sets a category budget, a cap and a public target; the page and the public summary show them', async () => {
    expect((await admin.post(`${base}/budgets`, { categoryCode: 'food', amount: '500,000' })).statusCode).toBe(303);
    expect((await admin.post(`${base}/caps`, { categoryCode: 'shelter', amount: '100000', periodDays: '' })).statusCode).toBe(422);
    expect((await admin.post(`${base}/caps`, { categoryCode: 'shelter', amount: '100000', periodDays: '90' })).statusCode).toBe(303);
    expect((await admin.post(`${base}/target`, { amount: '3,000,000', dueOn: '2026-03-31', isPublic: '1' })).statusCode).toBe(303);
    expect(
      ctx.db
        .select()
        .from(categoryBudgets)
        .all()
        .map((b) => b.amount),
    ).toEqual([500_000]);
    expect(
      ctx.db
        .select()
        .from(categoryCaps)
        .all()
        .map((c) => [c.amount, c.periodDays]),
    ).toEqual([[100_000, 90]]);
    expect(ctx.db.select().from(fundTargets).get()).toEqual({ fundId, amount: 3_000_000, dueOn: '2026-03-31', isPublic: true });
    expect((await admin.post(`${base}/money-in`, { receivedOn: '2025-06-02', amount: '2,000', source: 'individual', label: '' })).statusCode).toBe(303);
    const page = await admin.get(`${base}/money`);
    expect(page.body).toContain('300万円の目標に対し100万2,000円（33.4%）');
    expect(page.body).toContain('シェルター・住居費: 90日間で¥100,000まで');
    const pub = await coordinator.get('/reports/public?from=2025-06-01&to=2025-06-30');
    expect(pub.body).toContain('Winter campaign');
    expect((await admin.post(`${base}/caps`, { categoryCode: 'shelter', amount: '', periodDays: '' })).statusCode).toBe(303);
    expect(ctx.db.select().from(categoryCaps).all()).toHaveLength(0);
  });
});
