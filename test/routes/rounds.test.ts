import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, categories, disbursements, funds, roundEntries, rounds } from '../../db/schema.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn, type TestClient } from '../helpers/client.js';
import { makeWorld } from '../helpers/factories.js';
import { makeCase } from '../helpers/money-factories.js';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof makeWorld>>;
let admin: TestClient;
let coordinator: TestClient;
let tokyo: TestClient;
let osaka: TestClient;
let fundId: number;

beforeAll(async () => {
  ctx = await buildTestApp({ env: { RATE_LIMIT_PER_MINUTE: '1000000' } });
  world = await makeWorld(ctx.db);
  fundId = ctx.db.insert(funds).values({ name: '2025 emergency round fund' }).returning().get().id;
  admin = await signedIn(ctx.app, world.admin);
  coordinator = await signedIn(ctx.app, world.coordinator);
  tokyo = await signedIn(ctx.app, world.tokyoSupporter);
  osaka = await signedIn(ctx.app, world.osakaSupporter);
});
afterAll(async () => ctx.close());

const roundForm = (overrides: Record<string, string> = {}) => ({
  name: 'Summer round',
  fundId: String(fundId),
  categoryCode: 'food',
  amount: '30,000',
  unit: 'person',
  startsOn: '2025-06-01',
  endsOn: '2025-06-30',
  maxPeoplePerGroup: '',
  ...overrides,
});

describe('grant rounds over HTTP', () => {
  let roundId: number;
  let applicationPath: string;

  it('an admin opens a round; bad input re-renders 422 with the input kept', async () => {
    const bad = await admin.post('/rounds', roundForm({ amount: '3万', endsOn: '2025-05-01' }));
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('value="3万"');
    expect(ctx.db.select().from(rounds).all()).toHaveLength(0);
    const ok = await admin.post('/rounds', roundForm());
    expect(ok.statusCode).toBe(303);
    roundId = Number(String(ok.headers.location).split('/').pop());
    expect(ok.headers.location).toBe(`/rounds/${roundId}`);
    const row = ctx.db.select().from(rounds).where(eq(rounds.id, roundId)).get()!;
    expect([row.amount, row.unit, row.isOpen]).toEqual([30_000, 'person', true]);
    expect(ctx.db.select().from(auditEvents).where(eq(auditEvents.action, 'round.created')).all()).toHaveLength(1);
    expect((await coordinator.post('/rounds', roundForm({ name: 'x' }))).statusCode).toBe(403);
  });

  it('a group ticks cases, sees the running total without JavaScript, and applies once', async () => {
    const a = makeCase(ctx.db, { organizationId: world.tokyo.id, createdBy: world.tokyoSupporter.id, householdSize: 3, code: 'TKY-2025-0101' });
    const b = makeCase(ctx.db, { organizationId: world.tokyo.id, createdBy: world.tokyoSupporter.id, householdSize: 1, code: 'TKY-2025-0102' });
    const form = await tokyo.get(`/rounds/${roundId}/apply`);
    expect(form.statusCode).toBe(200);
    const key = /name="idempotencyKey" value="([^"]+)"/.exec(form.body)![1]!;
    const body = {
      idempotencyKey: key,
      paidOn: '2025-06-10',
      method: 'bank_transfer',
      entries: [
        { id: String(a.id), caseId: String(a.id), people: '3' },
        { id: String(b.id), caseId: String(b.id), people: '1' },
      ],
    };
    const preview = await tokyo.post(`/rounds/${roundId}/apply`, { ...body, preview: '1' });
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('選択中: 2ケース・4人・合計¥120,000');
    // The optional script fills the same sentence as the user ticks.
    expect(preview.body).toContain('data-template="選択中: {cases}ケース・{people}人・合計{total}"');
    expect(ctx.db.select().from(disbursements).all()).toHaveLength(0);

    const tooMany = await tokyo.post(`/rounds/${roundId}/apply`, { ...body, entries: [{ id: String(b.id), caseId: String(b.id), people: '2' }] });
    expect(tooMany.statusCode).toBe(422);
    expect(tooMany.body).toContain('対象人数が世帯人数を超えています。');

    const sent = await tokyo.post(`/rounds/${roundId}/apply`, body);
    expect(sent.statusCode).toBe(303);
    applicationPath = String(sent.headers.location);
    expect(applicationPath).toMatch(/^\/round-applications\/\d+$/);
    const again = await tokyo.post(`/rounds/${roundId}/apply`, body);
    expect(again.headers.location).toBe(applicationPath);
    expect(
      ctx.db
        .select()
        .from(roundEntries)
        .all()
        .map((e) => e.amount),
    ).toEqual([90_000, 30_000]);
    const lines = ctx.db.select().from(disbursements).all();
    expect(lines.map((d) => d.status)).toEqual(['pending', 'pending']);
  });

  it("another group gets the same 404 as a missing application, and cannot apply for the other group's case", async () => {
    const theirs = await osaka.get(applicationPath);
    expect(theirs.statusCode).toBe(404);
    expect((await coordinator.get(`/rounds/${roundId}/apply`)).statusCode).toBe(403);
    const tokyoCase = ctx.db.select().from(roundEntries).all()[0]!.caseId;
    const form = await osaka.get(`/rounds/${roundId}/apply`);
    const key = /name="idempotencyKey" value="([^"]+)"/.exec(form.body)![1]!;
    const refused = await osaka.post(`/rounds/${roundId}/apply`, {
      idempotencyKey: key,
      paidOn: '2025-06-10',
      method: 'cash',
      entries: [{ id: String(tokyoCase), caseId: String(tokyoCase), people: '1' }],
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('このケースは申請できません');
  });

  it('the supporter cannot decide; a coordinator approves all, and the round shows its figures', async () => {
    const id = applicationPath.split('/').pop();
    const page = await coordinator.get(applicationPath);
    const versions = [...page.body.matchAll(/name="(version\[e\d+\])" value="(\d+)"/g)].map((m) => [m[1]!, m[2]!]);
    expect(versions).toHaveLength(2);
    const form = Object.fromEntries(versions);
    expect((await tokyo.post(`/round-applications/${id}/decide`, { ...form, all: 'approve' })).statusCode).toBe(403);
    expect((await coordinator.post(`/round-applications/${id}/decide`, { ...form, all: 'reject' })).statusCode).toBe(422);
    const done = await coordinator.post(`/round-applications/${id}/decide`, { ...form, all: 'approve' });
    expect(done.statusCode).toBe(303);
    expect(
      ctx.db
        .select()
        .from(disbursements)
        .all()
        .map((d) => d.status),
    ).toEqual(['approved', 'approved']);

    const round = await tokyo.get(`/rounds/${roundId}`);
    expect(round.body).toContain('4人に1人3万円、総額12万円');
    const json = await coordinator.get(`/reports/summary.json?from=2025-06-01&to=2025-06-30&round=${roundId}`);
    const summary = JSON.parse(json.body) as { total: number; peopleCumulative: number; scope: { roundId?: number } };
    expect([summary.total, summary.peopleCumulative, summary.scope.roundId]).toEqual([120_000, 4, roundId]);
    const food = ctx.db.select().from(categories).where(eq(categories.code, 'food')).get()!;
    expect(food.id).toBeGreaterThan(0);
    expect((await coordinator.get('/reports/summary.json?from=2025-06-01&to=2025-06-30&round=999')).statusCode).toBe(404);
    expect((await coordinator.get('/reports/summary.json?from=2025-06-01&to=2025-06-30&round=abc')).statusCode).toBe(400);
    const report = await coordinator.get(`/reports?preset=custom&from=2025-06-01&to=2025-06-30&round=${roundId}`);
    expect(report.statusCode).toBe(200);
    expect(report.body).toContain('Summer round');
  });

  it('an admin closes the round: applying answers 409', async () => {
    expect((await admin.post(`/rounds/${roundId}/close`)).statusCode).toBe(303);
    expect((await tokyo.get(`/rounds/${roundId}/apply`)).statusCode).toBe(409);
    expect((await tokyo.get('/rounds')).body).toContain('受付終了');
  });
});
