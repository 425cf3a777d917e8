import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.js';
import { migrateDatabase } from '../../db/migrate.js';
import type { Actor } from '../../server/domain/actor.js';
import { NotFound } from '../../server/domain/errors.js';
import { computeSummary, type ReportQuery } from '../../server/domain/figures.js';
import { createFiguresRunner, type FiguresRunner } from '../../server/domain/figures-pool.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { makeWorld } from '../helpers/factories.js';
import { makeCase, makeDisbursement } from '../helpers/money-factories.js';

let ctx: TestContext;
let runner: FiguresRunner | null = null;
beforeEach(async () => {
  ctx = await buildTestApp();
});
afterEach(async () => {
  await runner?.close();
  runner = null;
  await ctx.close();
});

const june: ReportQuery = { from: '2025-06-01', to: '2025-06-30', organizationId: null, fundId: null, includePending: false };

async function world() {
  const w = await makeWorld(ctx.db);
  const actor = (u: typeof w.coordinator): Actor => ({
    userId: u.id,
    role: u.role,
    organizationId: u.organizationId,
    isAdmin: false,
    displayName: 'x',
    locale: 'ja',
  });
  const c = makeCase(ctx.db, { organizationId: w.tokyo.id, createdBy: w.tokyoSupporter.id, householdSize: 2 });
  const pay = (amount: number) =>
    makeDisbursement(ctx.db, {
      caseId: c.id,
      submittedBy: w.tokyoSupporter.id,
      paidOn: '2025-06-10',
      status: 'approved',
      lines: [{ category: 'food', amount }],
    });
  return { w, actor, pay };
}

describe('figures off the main thread (issue 5, part 7)', () => {
  it('runs on a worker thread and gives exactly what computeSummary gives in process', async () => {
    const { w, actor, pay } = await world();
    pay(12_345);
    runner = createFiguresRunner(ctx.db);
    expect(runner.mode).toBe('worker');
    const viaWorker = await runner.run({ kind: 'summary', actor: actor(w.coordinator), query: june });
    expect(viaWorker).toEqual(computeSummary(ctx.db, actor(w.coordinator), june));
    expect(viaWorker.total).toBe(12_345);
  });

  it('sees what the main thread committed after the worker started', async () => {
    const { w, actor, pay } = await world();
    runner = createFiguresRunner(ctx.db);
    expect((await runner.run({ kind: 'summary', actor: actor(w.auditor), query: june })).total).toBe(0);
    pay(5_000);
    expect((await runner.run({ kind: 'summary', actor: actor(w.auditor), query: june })).total).toBe(5_000);
  });

  it('brings a domain error back as the same class, and CSV bytes intact', async () => {
    const { w, actor, pay } = await world();
    pay(7_000);
    runner = createFiguresRunner(ctx.db);
    await expect(runner.run({ kind: 'summary', actor: actor(w.tokyoSupporter), query: { ...june, organizationId: w.osaka.id } })).rejects.toBeInstanceOf(
      NotFound,
    );
    const csv = await runner.run({ kind: 'ledgerCsv', actor: actor(w.coordinator), query: june, locale: 'en', encoding: 'utf8' });
    if (!csv.ok) throw new Error('expected a file');
    expect(csv.rows).toBe(1);
    expect(Buffer.from(csv.body).toString('utf8')).toMatch(/^\ufeffDisbursement ID,Line,Case code,/);
    // A workbook is written after the snapshot, on the worker, and crosses back as bytes.
    const xlsx = await runner.run({ kind: 'ledgerXlsx', actor: actor(w.coordinator), query: june, locale: 'ja', now: '2025-06-15T03:00:00.000Z' });
    expect(xlsx.rows).toBe(1);
    expect(Buffer.from(xlsx.body).subarray(0, 2).toString('latin1')).toBe('PK');
  });

  it('serves several requests at once, in order, and stops on close', async () => {
    const { w, actor, pay } = await world();
    pay(1_000);
    runner = createFiguresRunner(ctx.db);
    const results = await Promise.all(
      [1, 2, 3, 4].map((i) => runner!.run({ kind: 'summary', actor: actor(w.coordinator), query: { ...june, includePending: i % 2 === 0 } })),
    );
    expect(results.map((r) => r.total)).toEqual([1_000, 1_000, 1_000, 1_000]);
    await runner.close();
    // Closing twice is harmless; the app's onClose hook does it once.
    await runner.close();
  });

  it('runs in process for an in-memory database, which another thread cannot open', async () => {
    const memory = openDatabase(':memory:');
    migrateDatabase(memory);
    runner = createFiguresRunner(memory);
    expect(runner.mode).toBe('in-process');
    const actor: Actor = { userId: 1, role: 'auditor', organizationId: 1, isAdmin: false, displayName: 'x', locale: 'ja' };
    expect((await runner.run({ kind: 'summary', actor, query: june })).byCategory).toHaveLength(7);
    memory.$client.close();
  });
});
