import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disbursementFlags, disbursements } from '../../db/schema.js';
import type { Actor } from '../../server/domain/actor.js';
import { newFormKey } from '../../server/domain/idempotency.js';
import { setCategoryCap } from '../../server/domain/limits.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn, type TestClient } from '../helpers/client.js';
import { makeWorld } from '../helpers/factories.js';
import { defaultFundId, makeCase, makeDisbursement } from '../helpers/money-factories.js';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof makeWorld>>;
let tokyo: TestClient;
let coordinator: TestClient;
let caseId: number;

beforeAll(async () => {
  ctx = await buildTestApp({ env: { RATE_LIMIT_PER_MINUTE: '1000000' } });
  world = await makeWorld(ctx.db);
  const admin: Actor = {
    userId: world.admin.id,
    role: 'coordinator',
    organizationId: world.admin.organizationId,
    isAdmin: true,
    displayName: 'a',
    locale: 'ja',
  };
  setCategoryCap(ctx.db, admin, { fundId: defaultFundId(ctx.db), categoryCode: 'shelter', amount: 100_000, periodDays: 90 }, ctx.clock.now());
  caseId = makeCase(ctx.db, { organizationId: world.tokyo.id, createdBy: world.tokyoSupporter.id, householdSize: 2 }).id;
  tokyo = await signedIn(ctx.app, world.tokyoSupporter);
  coordinator = await signedIn(ctx.app, world.coordinator);
});
afterAll(async () => ctx.close());

const form = (amount: string, overrides: Record<string, unknown> = {}) => ({
  caseId: String(caseId),
  idempotencyKey: newFormKey(),
  paidOn: '2025-06-10',
  fundId: String(defaultFundId(ctx.db)),
  method: 'cash',
  peopleCovered: '1',
  payee: '',
  note: '',
  lines: [{ category: 'shelter', amount }],
  ...overrides,
});

describe('cap and duplicate warnings on the form and in the queue', () => {
  it('over the cap re-renders 422 with the warning and a reason field; with a reason it saves, flagged', async () => {
    const warned = await tokyo.post('/disbursements', form('120,000'));
    expect(warned.statusCode).toBe(422);
    // The category is named in the reader's language, never by its code.
    expect(warned.body).toContain('上限超過: シェルター・住居費は1ケース90日間で¥100,000まで');
    expect(warned.body).not.toContain('shelterは');
    expect(warned.body).toContain('name="overCapReason"');
    expect(warned.body).toContain('value="120,000"');
    expect(ctx.db.select().from(disbursements).all()).toHaveLength(0);
    const saved = await tokyo.post('/disbursements', form('120,000', { overCapReason: 'Deposit and first month' }));
    expect(saved.statusCode).toBe(303);
    const id = Number(String(saved.headers.location).split('/').pop());
    expect(ctx.db.select().from(disbursementFlags).where(eq(disbursementFlags.disbursementId, id)).get()?.reason).toBe('Deposit and first month');

    const queue = await coordinator.get('/review');
    expect(queue.body).toContain('class="limit-flags"');
    expect(queue.body).toContain('理由: Deposit and first month');
    expect(queue.body).toContain('シェルター・住居費は1ケース90日間');
    expect(queue.body).not.toContain('shelterは');
    const page = await coordinator.get(`/disbursements/${id}`);
    expect(page.body).toContain('上限超過');
    expect(page.body).toContain('シェルター・住居費は1ケース90日間');
    expect(page.body).not.toContain('shelterは');
    const pending = JSON.parse((await coordinator.get('/reports/summary.json?from=2025-06-01&to=2025-06-30&includePending=1')).body) as {
      recordsOverCap: number;
    };
    const approvedOnly = JSON.parse((await coordinator.get('/reports/summary.json?from=2025-06-01&to=2025-06-30')).body) as { recordsOverCap: number };
    expect([pending.recordsOverCap, approvedOnly.recordsOverCap]).toEqual([1, 0]);
  });

  it('a possible duplicate asks for a tick before saving', async () => {
    makeDisbursement(ctx.db, {
      caseId,
      submittedBy: world.tokyoSupporter.id,
      paidOn: '2025-06-01',
      status: 'approved',
      lines: [{ category: 'food', amount: 8_000 }],
      decidedBy: world.admin.id,
    });
    const again = form('8,500', { lines: [{ category: 'food', amount: '8,500' }] });
    const warned = await tokyo.post('/disbursements', again);
    expect(warned.statusCode).toBe(422);
    expect(warned.body).toContain('重複の可能性');
    expect(warned.body).toContain('同じ区分（食料・消耗品費）');
    expect(warned.body).not.toContain('（food）');
    expect(warned.body).toContain('name="duplicateConfirmed"');
    const saved = await tokyo.post('/disbursements', { ...again, idempotencyKey: newFormKey(), duplicateConfirmed: '1' });
    expect(saved.statusCode).toBe(303);
  });
});
