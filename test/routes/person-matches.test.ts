import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { cases, funds, personMatchDecisions } from '../../db/schema.js';
import type { Actor } from '../../server/domain/actor.js';
import { applyToRound } from '../../server/domain/round-applications.js';
import { createRound } from '../../server/domain/rounds.js';
import { newFormKey } from '../../server/domain/idempotency.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn, type TestClient } from '../helpers/client.js';
import { makeWorld } from '../helpers/factories.js';

let ctx: TestContext;
let tokyo: TestClient;
let osaka: TestClient;
let coordinator: TestClient;
let world: Awaited<ReturnType<typeof makeWorld>>;

beforeAll(async () => {
  ctx = await buildTestApp({ env: { RATE_LIMIT_PER_MINUTE: '1000000' } });
  world = await makeWorld(ctx.db);
  tokyo = await signedIn(ctx.app, world.tokyoSupporter);
  osaka = await signedIn(ctx.app, world.osakaSupporter);
  coordinator = await signedIn(ctx.app, world.coordinator);
});
afterAll(async () => ctx.close());

const caseForm = (alias: string) => ({ householdSize: '1', nationality: 'VN', alias, idempotencyKey: newFormKey() });
const idOf = (location: unknown) => Number(String(location).split('/').pop());

describe('possible same person across groups, over HTTP', () => {
  it('the coordinator sees both codes and decides; no page shows the name; groups cannot look', async () => {
    const a = idOf((await tokyo.post('/cases', caseForm('Ｎｇｕｙｅｎ Ｖａｎ Ａ'))).headers.location);
    const b = idOf((await osaka.post('/cases', caseForm('nguyen van a'))).headers.location);
    const page = await coordinator.get('/person-matches');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`href="/cases/${a}"`);
    expect(page.body).toContain(`href="/cases/${b}"`);
    expect(page.body).not.toMatch(/nguyen/i);
    expect((await tokyo.get('/person-matches')).statusCode).toBe(403);
    expect((await osaka.post('/person-matches/decide', { caseA: String(a), caseB: String(b), decision: 'same' })).statusCode).toBe(403);
    expect((await coordinator.post('/person-matches/decide', { caseA: String(a), caseB: 'x', decision: 'same' })).statusCode).toBe(400);
    const done = await coordinator.post('/person-matches/decide', { caseA: String(a), caseB: String(b), decision: 'different' });
    expect([done.statusCode, done.headers.location]).toEqual([303, '/person-matches']);
    expect(
      ctx.db
        .select()
        .from(personMatchDecisions)
        .all()
        .map((d) => [d.caseA, d.caseB, d.decision]),
    ).toEqual([[a, b, 'different']]);
    expect((await coordinator.get('/person-matches')).body).toContain('別人');

    // A round application with that case: the coordinator sees the possible match by code; the group does not.
    const fundId = ctx.db.insert(funds).values({ name: 'Match round fund' }).returning().get().id;
    const admin: Actor = {
      userId: world.admin.id,
      role: 'coordinator',
      organizationId: world.admin.organizationId,
      isAdmin: true,
      displayName: 'a',
      locale: 'ja',
    };
    const supporter: Actor = {
      userId: world.tokyoSupporter.id,
      role: 'supporter',
      organizationId: world.tokyo.id,
      isAdmin: false,
      displayName: 's',
      locale: 'ja',
    };
    const roundId = createRound(
      ctx.db,
      admin,
      { fundId, name: 'R', categoryCode: 'food', amount: 10_000, unit: 'person', startsOn: '2025-06-01', endsOn: '2025-06-30', maxPeoplePerGroup: null },
      ctx.clock.now(),
    );
    const applied = applyToRound(
      ctx.db,
      supporter,
      roundId,
      { paidOn: '2025-06-10', method: 'cash', entries: [{ caseId: a, peopleCovered: 1 }], idempotencyKey: newFormKey() },
      ctx.clock.now(),
    );
    const osakaCode = ctx.db.select().from(cases).where(eq(cases.id, b)).get()!.code;
    const seen = await coordinator.get(applied.location);
    expect(seen.body).toContain(`Osaka groupのケース ${osakaCode} と同一人物の可能性`);
    const own = await tokyo.get(applied.location);
    expect(own.statusCode).toBe(200);
    expect(own.body).not.toContain(osakaCode);
    expect(own.body).not.toContain('同一人物の可能性');
  });
});
