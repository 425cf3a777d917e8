import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../db/client.js';
import { disbursements } from '../../db/schema.js';
import { buildApp } from '../../server/app.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn, type TestClient } from '../helpers/client.js';
import { makeWorld } from '../helpers/factories.js';
import { makeCase, makeDisbursement } from '../helpers/money-factories.js';
import { disbursementEvents } from '../helpers/review-queue.js';

// Two coordinators on two app instances, each with its own connection to the same database
// file: the shape of two server processes. Both requests are in flight together.
let ctx: TestContext;
let secondDb: Db;
let secondApp: FastifyInstance;
let world: Awaited<ReturnType<typeof makeWorld>>;
let first: TestClient;
let second: TestClient;

beforeEach(async () => {
  ctx = await buildTestApp();
  secondDb = openDatabase(ctx.config.databasePath);
  secondApp = await buildApp({ config: ctx.config, db: secondDb, clock: ctx.clock, logger: false });
  await secondApp.ready();
  world = await makeWorld(ctx.db);
  first = await signedIn(ctx.app, world.admin);
  second = await signedIn(secondApp, world.coordinator);
  // each page the coordinators had open carries a CSRF token
  await first.csrf('/account');
  await second.csrf('/account');
});
afterEach(async () => {
  await secondApp.close();
  secondDb.$client.close();
  await ctx.close();
});

function pending(status: 'pending' | 'approved' = 'pending') {
  const c = makeCase(ctx.db, { organizationId: world.tokyo.id, createdBy: world.tokyoSupporter.id });
  return makeDisbursement(ctx.db, { caseId: c.id, submittedBy: world.tokyoSupporter.id, status, decidedBy: world.admin.id });
}
const rowOf = (id: number) => ctx.db.select().from(disbursements).where(eq(disbursements.id, id)).get()!;
const eventsFor = (id: number) => disbursementEvents(ctx.db, id);

describe('two coordinators acting on the same record at once', () => {
  it('approve / approve: one 303, one 409 naming the winner, one audit event', async () => {
    const d = pending();
    const [a, b] = await Promise.all([
      first.post(`/disbursements/${d.id}/approve`, { version: '1' }),
      second.post(`/disbursements/${d.id}/approve`, { version: '1' }),
    ]);
    const statuses = [a.statusCode, b.statusCode].sort();
    expect(statuses).toEqual([303, 409]);
    const winner = a.statusCode === 303 ? world.admin : world.coordinator;
    const loser = a.statusCode === 303 ? b : a;
    const winnerName = winner === world.admin ? 'Admin Coordinator' : 'Second Coordinator';
    expect(loser.body).toContain(`${winnerName} さんが 2025年6月15日 12:00 に承認済み`);
    expect(rowOf(d.id)).toMatchObject({ status: 'approved', version: 2, decidedBy: winner.id });
    const events = eventsFor(d.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'disbursement.approved', actorUserId: winner.id });
  });

  it('approve / reject: the winner sets the status, the other is told', async () => {
    const d = pending();
    const [a, b] = await Promise.all([
      first.post(`/disbursements/${d.id}/approve`, { version: '1' }),
      second.post(`/disbursements/${d.id}/reject`, { version: '1', reason: '重複登録' }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([303, 409]);
    const expected = a.statusCode === 303 ? 'approved' : 'rejected';
    expect(rowOf(d.id).status).toBe(expected);
    expect(eventsFor(d.id).map((e) => e.action)).toEqual([`disbursement.${expected}`]);
  });

  it('approve / void on a pending record: the approval wins, the void is refused', async () => {
    const d = pending();
    const [a, b] = await Promise.all([
      first.post(`/disbursements/${d.id}/approve`, { version: '1' }),
      second.post(`/disbursements/${d.id}/void`, { version: '1', reason: '誤登録' }),
    ]);
    expect([a.statusCode, b.statusCode]).toEqual([303, 409]);
    expect(rowOf(d.id)).toMatchObject({ status: 'approved', version: 2, voidedBy: null });
    expect(eventsFor(d.id).map((e) => e.action)).toEqual(['disbursement.approved']);
  });

  it('approve from a stale page / void on an approved record: the void wins, the approval hears who voided it', async () => {
    const d = pending('approved');
    const [a, b] = await Promise.all([
      first.post(`/disbursements/${d.id}/approve`, { version: '1' }),
      second.post(`/disbursements/${d.id}/void`, { version: '1', reason: '金額の誤り' }),
    ]);
    expect([a.statusCode, b.statusCode]).toEqual([409, 303]);
    expect(rowOf(d.id)).toMatchObject({ status: 'voided', voidedBy: world.coordinator.id });
    expect(eventsFor(d.id).map((e) => e.action)).toEqual(['disbursement.voided']);
  });

  it('void / void: exactly one', async () => {
    const d = pending('approved');
    const [a, b] = await Promise.all([
      first.post(`/disbursements/${d.id}/void`, { version: '1', reason: 'A' }),
      second.post(`/disbursements/${d.id}/void`, { version: '1', reason: 'B' }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([303, 409]);
    const loser = a.statusCode === 409 ? a : b;
    expect(loser.body).toContain('に取り消し済みです');
    expect(rowOf(d.id).voidReason).toBe(a.statusCode === 303 ? 'A' : 'B');
    expect(eventsFor(d.id)).toHaveLength(1);
  });

  it('many at once, across both apps: one approval', async () => {
    const d = pending();
    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? first : second).post(`/disbursements/${d.id}/approve`, { version: '1' })),
    );
    expect(responses.filter((r) => r.statusCode === 303)).toHaveLength(1);
    expect(responses.filter((r) => r.statusCode === 409)).toHaveLength(7);
    expect(eventsFor(d.id)).toHaveLength(1);
  });
});
