import Database from 'better-sqlite3';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { disbursements } from '../../db/schema.js';
import { bellFor } from '../../server/domain/notifications.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn } from '../helpers/client.js';
import { makeWorld } from '../helpers/factories.js';
import { bellCount } from '../helpers/bell.js';
import { makeCase, makeDisbursement, makeRecordOnNewCase } from '../helpers/money-factories.js';
import { actorOf } from '../security/world.js';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof makeWorld>>;
beforeEach(async () => {
  ctx = await buildTestApp();
  world = await makeWorld(ctx.db);
});
afterEach(async () => ctx.close());

function pendingAt(submittedAt: string) {
  const d = makeRecordOnNewCase(ctx.db, world.tokyoSupporter);
  ctx.db.update(disbursements).set({ submittedAt }).where(eq(disbursements.id, d.id)).run();
  return d;
}

describe("the bell's read state", () => {
  it('a coordinator who opened the queue is told only of records submitted since; each coordinator has their own', async () => {
    pendingAt('2025-06-14T01:00:00.000Z');
    pendingAt('2025-06-14T02:00:00.000Z');
    const coordinator = await signedIn(ctx.app, world.coordinator);
    expect(bellCount((await coordinator.get('/')).body)).toBe(2);
    expect(bellCount((await coordinator.get('/review')).body)).toBe(0);
    expect(bellCount((await coordinator.get('/')).body)).toBe(0);

    ctx.clock.advance(60_000);
    pendingAt(new Date(ctx.clock.now().getTime()).toISOString());
    expect(bellCount((await coordinator.get('/')).body)).toBe(1);
    // Another coordinator has not opened the queue: all three.
    const admin = await signedIn(ctx.app, world.admin);
    expect(bellCount((await admin.get('/')).body)).toBe(3);
    // The digest and the queue itself still count everything pending.
    expect(bellFor(ctx.db, actorOf(ctx.db, world.coordinator.id), ctx.clock.now())?.total).toBe(3);
    expect((await coordinator.get('/review')).body.match(/class="review-item"/g)).toHaveLength(3);
  });

  it('while an import holds the write lock the queue still opens, and is marked read on a later visit', async () => {
    pendingAt('2025-06-14T01:00:00.000Z');
    const coordinator = await signedIn(ctx.app, world.coordinator);
    const importer = new Database(ctx.config.databasePath);
    importer.exec('BEGIN IMMEDIATE');
    try {
      expect((await coordinator.get('/review')).statusCode).toBe(200);
    } finally {
      importer.exec('ROLLBACK');
      importer.close();
    }
    expect(bellCount((await coordinator.get('/')).body)).toBe(1);
    await coordinator.get('/review');
    expect(bellCount((await coordinator.get('/')).body)).toBe(0);
  });

  it("a supporter's rejections and missing receipts are marked read by the page each links to", async () => {
    const c = makeCase(ctx.db, { organizationId: world.tokyo.id, createdBy: world.tokyoSupporter.id });
    const a = makeDisbursement(ctx.db, { caseId: c.id, submittedBy: world.tokyoSupporter.id });
    const old = makeDisbursement(ctx.db, { caseId: c.id, submittedBy: world.tokyoSupporter.id, status: 'approved', decidedBy: world.admin.id });
    ctx.db.update(disbursements).set({ decidedAt: '2025-05-01T00:00:00.000Z' }).where(eq(disbursements.id, old.id)).run();
    const coordinator = await signedIn(ctx.app, world.coordinator);
    expect((await coordinator.post(`/disbursements/${a.id}/reject`, { version: '1', reason: '重複' })).statusCode).toBe(303);

    const tokyo = await signedIn(ctx.app, world.tokyoSupporter);
    expect(bellCount((await tokyo.get('/')).body)).toBe(2);
    await tokyo.get('/disbursements?status=rejected');
    const afterRejected = (await tokyo.get('/')).body;
    expect(bellCount(afterRejected)).toBe(1);
    expect(afterRejected).toContain('href="/receipts/missing"'); // what is left is the missing receipt
    await tokyo.get('/receipts/missing');
    expect(bellCount((await tokyo.get('/')).body)).toBe(0);

    // A new rejection later rings again.
    ctx.clock.advance(60_000);
    const b = makeDisbursement(ctx.db, { caseId: c.id, submittedBy: world.tokyoSupporter.id });
    expect((await coordinator.post(`/disbursements/${b.id}/reject`, { version: '1', reason: '重複' })).statusCode).toBe(303);
    expect(bellCount((await tokyo.get('/')).body)).toBe(1);
  });
});
