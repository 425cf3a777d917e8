import { spawn } from 'node:child_process';
import { and, eq, inArray } from 'drizzle-orm';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../db/client.js';
import { auditEvents, disbursements } from '../../db/schema.js';
import { buildApp } from '../../server/app.js';
import { verifyAuditChain } from '../../server/domain/audit.js';
import { computeSummary } from '../../server/domain/figures.js';
import { newFormKey } from '../../server/domain/idempotency.js';
import { buildTestApp, TEST_DATA_KEY, type TestContext } from '../helpers/app.js';
import { signedIn, type TestClient } from '../helpers/client.js';
import { makeWorld } from '../helpers/factories.js';
import { defaultFundId, makeCase, makeDisbursement } from '../helpers/money-factories.js';
import { actorOf } from './world.js';

// Two app instances, each with its own connection to the same database file (the shape of two
// server processes), and many requests in flight together; then two real processes.
let ctx: TestContext;
let secondDb: Db;
let secondApp: FastifyInstance;
let world: Awaited<ReturnType<typeof makeWorld>>;

beforeEach(async () => {
  ctx = await buildTestApp({ env: { RATE_LIMIT_PER_MINUTE: '100000' } });
  secondDb = openDatabase(ctx.config.databasePath);
  secondApp = await buildApp({ config: ctx.config, db: secondDb, clock: ctx.clock, logger: false });
  await secondApp.ready();
  world = await makeWorld(ctx.db);
});
afterEach(async () => {
  await secondApp.close();
  secondDb.$client.close();
  await ctx.close();
});

const JUNE = { from: '2025-06-01', to: '2025-06-30', organizationId: null, fundId: null, includePending: false };
const approvedTotal = () => computeSummary(ctx.db, actorOf(ctx.db, world.admin.id), JUNE).total;
const sqlApprovedSum = () =>
  ctx.db.$client.prepare("SELECT coalesce(sum(amount), 0) FROM disbursement_lines WHERE status = 'approved'").pluck().get() as number;
const statusOf = (id: number) => ctx.db.select().from(disbursements).where(eq(disbursements.id, id)).get()!.status;
const decisionEvents = (id: number) =>
  ctx.db
    .select()
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.entityType, 'disbursement'),
        eq(auditEvents.entityId, String(id)),
        inArray(auditEvents.action, ['disbursement.approved', 'disbursement.rejected', 'disbursement.voided']),
      ),
    )
    .all();
const idFrom = (r: LightMyRequestResponse) => Number(/^\/disbursements\/(\d+)$/.exec(String(r.headers.location))?.[1]);

async function ready(app: FastifyInstance, user: { email: string; password: string }): Promise<TestClient> {
  const client = await signedIn(app, user);
  await client.csrf('/account');
  return client;
}

describe('many submissions and decisions at once, on two app instances', () => {
  it('no 5xx, one winner per decision, one record per form key, totals equal the committed records', async () => {
    const tokyoCase = makeCase(ctx.db, { organizationId: world.tokyo.id, createdBy: world.tokyoSupporter.id, householdSize: 4 });
    const osakaCase = makeCase(ctx.db, { organizationId: world.osaka.id, createdBy: world.osakaSupporter.id, householdSize: 4 });
    const fundId = String(defaultFundId(ctx.db));
    const [tokyoA, tokyoB, osakaB, adminA, coordinatorB] = [
      await ready(ctx.app, world.tokyoSupporter),
      await ready(secondApp, world.tokyoSupporter),
      await ready(secondApp, world.osakaSupporter),
      await ready(ctx.app, world.admin),
      await ready(secondApp, world.coordinator),
    ];
    const pending = Array.from({ length: 10 }, (_, i) =>
      makeDisbursement(ctx.db, { caseId: tokyoCase.id, submittedBy: world.tokyoSupporter.id, lines: [{ category: 'food', amount: 1000 * (i + 1) }] }),
    );
    const form = (caseId: number, amount: number, key = newFormKey()) => ({
      caseId: String(caseId),
      idempotencyKey: key,
      paidOn: '2025-06-10',
      fundId,
      method: 'cash',
      peopleCovered: '1',
      lines: [
        { category: 'shelter', amount: String(amount) },
        { category: 'food', amount: '500' },
      ],
      // Many near-identical payments to one case on purpose: past the duplicate warning (issue 14).
      duplicateConfirmed: '1',
    });

    // Round 1: 16 submissions, 2 double submissions across the instances, 10 contested decisions.
    const submissions = [
      ...Array.from({ length: 8 }, (_, i) => ({ amount: 20_000 + i, send: () => tokyoA.post('/disbursements', form(tokyoCase.id, 20_000 + i)) })),
      ...Array.from({ length: 8 }, (_, i) => ({ amount: 30_000 + i, send: () => osakaB.post('/disbursements', form(osakaCase.id, 30_000 + i)) })),
    ];
    const doubles = [newFormKey(), newFormKey()].map((key) => form(tokyoCase.id, 40_000, key));
    const contest = pending.map((d, i) => ({
      id: d.id,
      a: { action: 'approve', send: () => adminA.post(`/disbursements/${d.id}/approve`, { version: '1' }) },
      b:
        i % 2 === 0
          ? { action: 'approve', send: () => coordinatorB.post(`/disbursements/${d.id}/approve`, { version: '1' }) }
          : { action: 'reject', send: () => coordinatorB.post(`/disbursements/${d.id}/reject`, { version: '1', reason: '重複' }) },
    }));
    const all = await Promise.all([
      ...submissions.map((s) => s.send()),
      ...doubles.flatMap((body) => [tokyoA.post('/disbursements', body), tokyoB.post('/disbursements', body)]),
      ...contest.flatMap((c) => [c.a.send(), c.b.send()]),
    ]);
    expect(all.length).toBeGreaterThanOrEqual(40);
    expect(all.filter((r) => r.statusCode >= 500)).toEqual([]);
    const created = all.slice(0, 16);
    const doubled = all.slice(16, 20);
    const decided = all.slice(20);
    expect(created.map((r) => r.statusCode)).toEqual(Array(16).fill(303));
    const createdIds = created.map(idFrom);
    expect(new Set(createdIds).size).toBe(16);
    expect(doubled.map((r) => r.statusCode)).toEqual([303, 303, 303, 303]);
    expect(idFrom(doubled[0]!)).toBe(idFrom(doubled[1]!));
    expect(idFrom(doubled[2]!)).toBe(idFrom(doubled[3]!));
    for (const [i, c] of contest.entries()) {
      const [a, b] = [decided[2 * i]!, decided[2 * i + 1]!];
      expect([a.statusCode, b.statusCode].sort()).toEqual([303, 409]);
      const winner = a.statusCode === 303 ? c.a.action : c.b.action;
      expect(statusOf(c.id)).toBe(winner === 'approve' ? 'approved' : 'rejected');
      expect(decisionEvents(c.id)).toHaveLength(1);
    }
    // The lines stored are the lines the responses reported as committed.
    const linesOf = ctx.db.$client.prepare('SELECT coalesce(sum(amount), 0) FROM disbursement_lines WHERE disbursement_id = ?').pluck();
    for (const [i, id] of createdIds.entries()) expect(linesOf.get(id)).toBe(submissions[i]!.amount + 500);
    expect(ctx.db.select().from(disbursements).all()).toHaveLength(10 + 16 + 2);
    const approvedInRound1 = pending.filter((d) => statusOf(d.id) === 'approved');
    const round1Total = approvedInRound1.reduce((sum, d) => sum + (linesOf.get(d.id) as number), 0);
    expect(approvedTotal()).toBe(round1Total);

    // Round 2: both coordinators approve every new record and void half of the approved ones.
    const toApprove = [...createdIds, idFrom(doubled[0]!), idFrom(doubled[2]!)];
    const toVoid = approvedInRound1.slice(0, Math.ceil(approvedInRound1.length / 2)).map((d) => d.id);
    const round2 = await Promise.all([
      ...toApprove.flatMap((id) => [
        adminA.post(`/disbursements/${id}/approve`, { version: '1' }),
        coordinatorB.post(`/disbursements/${id}/approve`, { version: '1' }),
      ]),
      ...toVoid.flatMap((id) => [
        adminA.post(`/disbursements/${id}/void`, { version: '2', reason: '入力誤り' }),
        coordinatorB.post(`/disbursements/${id}/void`, { version: '2', reason: '入力誤り' }),
      ]),
    ]);
    expect(round2.filter((r) => r.statusCode >= 500)).toEqual([]);
    for (let i = 0; i < round2.length; i += 2) expect([round2[i]!.statusCode, round2[i + 1]!.statusCode].sort()).toEqual([303, 409]);
    for (const id of toVoid) {
      expect(statusOf(id)).toBe('voided');
      expect(decisionEvents(id).map((e) => e.action)).toEqual(['disbursement.approved', 'disbursement.voided']);
    }
    const committed = [...toApprove, ...approvedInRound1.map((d) => d.id).filter((id) => !toVoid.includes(id))];
    const expected = committed.reduce((sum, id) => sum + (linesOf.get(id) as number), 0);
    expect(approvedTotal()).toBe(expected);
    expect(sqlApprovedSum()).toBe(expected);
    expect(verifyAuditChain(ctx.db).ok).toBe(true);
  });
});

interface WriterReport {
  created: Map<number, number>;
  approved: number[];
  conflicts: number[];
  errors: string[];
  exitCode: number | null;
}

/** Two writer processes; both start on the same signal so their transactions overlap. */
async function runWriters(args: string[][]): Promise<WriterReport[]> {
  const children = args.map((a) =>
    spawn(process.execPath, ['--import', 'tsx', 'scripts/bench/concurrent-writer.ts', ...a], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, DATA_KEY: TEST_DATA_KEY },
    }),
  );
  const outputs = children.map(() => ({ text: '' }));
  const errors = children.map(() => [] as string[]);
  children.forEach((child, i) => {
    child.stdout.on('data', (chunk: Buffer) => (outputs[i]!.text += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => errors[i]!.push(chunk.toString()));
  });
  const exits = children.map((child) => new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code))));
  // Each child loads tsx and opens the database first; then both are told to go at once.
  const started = Date.now();
  while (!outputs.every((o) => o.text.startsWith('ready\n')) && Date.now() - started < 30_000 && children.every((c) => c.exitCode === null)) {
    await new Promise((r) => setTimeout(r, 20));
  }
  for (const child of children) child.stdin.end('go\n');
  const codes = await Promise.all(exits);
  return outputs.map((output, i) => {
    const report: WriterReport = { created: new Map(), approved: [], conflicts: [], errors: errors[i]!, exitCode: codes[i]! };
    for (const line of output.text.split('\n').filter((l) => l !== '' && l !== 'ready')) {
      const [kind, id, amount] = line.split(' ');
      if (kind === 'created') report.created.set(Number(id), Number(amount));
      else if (kind === 'approved') report.approved.push(Number(id));
      else if (kind === 'conflict') report.conflicts.push(Number(id));
      else report.errors.push(line);
    }
    return report;
  });
}

/** Every commit waits for fsync (synchronous=FULL): enough rounds to overlap, few enough to stay quick. */
const PER_WRITER = 100;

describe('two writer processes on the same database file', () => {
  it('no SQLITE_BUSY or other error, one winner per approval, totals equal what they reported', async () => {
    const tokyoCase = makeCase(ctx.db, { organizationId: world.tokyo.id, createdBy: world.tokyoSupporter.id });
    const osakaCase = makeCase(ctx.db, { organizationId: world.osaka.id, createdBy: world.osakaSupporter.id });
    const fundId = String(defaultFundId(ctx.db));
    const contested = Array.from({ length: 30 }, () => makeDisbursement(ctx.db, { caseId: tokyoCase.id, submittedBy: world.tokyoSupporter.id }).id);
    const path = ctx.config.databasePath;
    const [a, b] = await runWriters([
      [path, String(world.tokyoSupporter.id), String(world.admin.id), String(tokyoCase.id), fundId, String(PER_WRITER), 'a', contested.join(',')],
      [path, String(world.osakaSupporter.id), String(world.coordinator.id), String(osakaCase.id), fundId, String(PER_WRITER), 'bb', contested.join(',')],
    ]);
    expect([a!.errors, b!.errors]).toEqual([[], []]);
    expect([a!.exitCode, b!.exitCode]).toEqual([0, 0]);
    expect(a!.created.size + b!.created.size).toBe(2 * PER_WRITER);
    const approved = [...a!.approved, ...b!.approved];
    expect(new Set(approved).size).toBe(approved.length);
    // Each lost race was won by someone (the other process, or this one earlier on).
    for (const id of [...a!.conflicts, ...b!.conflicts]) expect(approved).toContain(id);
    // Every contested record: exactly one process approved it, the other was told.
    for (const id of contested) expect([a!.approved.includes(id), b!.approved.includes(id)].sort()).toEqual([false, true]);
    expect(a!.conflicts.length + b!.conflicts.length).toBeGreaterThanOrEqual(contested.length);
    // The two really wrote at the same time: their records interleave.
    const [idsA, idsB] = [[...a!.created.keys()], [...b!.created.keys()]];
    expect(Math.min(...idsB)).toBeLessThan(Math.max(...idsA));
    expect(Math.min(...idsA)).toBeLessThan(Math.max(...idsB));

    const rows = ctx.db.select().from(disbursements).all();
    expect(rows).toHaveLength(2 * PER_WRITER + contested.length);
    expect(
      rows
        .filter((d) => d.status === 'approved')
        .map((d) => d.id)
        .sort((x, y) => x - y),
    ).toEqual([...approved].sort((x, y) => x - y));
    const amounts = new Map([...a!.created, ...b!.created, ...contested.map((id) => [id, 10_000] as const)]);
    const expected = approved.reduce((sum, id) => sum + amounts.get(id)!, 0);
    expect(sqlApprovedSum()).toBe(expected);
    expect(approvedTotal()).toBe(expected);
    expect(ctx.db.$client.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(verifyAuditChain(ctx.db).ok).toBe(true);
  }, 60_000);
});
