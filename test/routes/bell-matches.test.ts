import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newFormKey } from '../../server/domain/idempotency.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn, type TestClient } from '../helpers/client.js';
import { makeWorld } from '../helpers/factories.js';
import { bellCount } from '../helpers/bell.js';
import { makeCase, makeDisbursement } from '../helpers/money-factories.js';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof makeWorld>>;
let tokyo: TestClient;
let osaka: TestClient;
beforeEach(async () => {
  ctx = await buildTestApp();
  world = await makeWorld(ctx.db);
  tokyo = await signedIn(ctx.app, world.tokyoSupporter);
  osaka = await signedIn(ctx.app, world.osakaSupporter);
});
afterEach(async () => ctx.close());

const ALIAS = 'Tran Thi Bich';
const bellOf = (body: string) => /<a class="bell"[^]*?<\/a>/.exec(body)?.[0] ?? '';
async function newCase(client: TestClient, alias: string): Promise<number> {
  const response = await client.post('/cases', { householdSize: '1', nationality: 'VN', alias, idempotencyKey: newFormKey() });
  expect(response.statusCode).toBe(303);
  return Number(String(response.headers.location).split('/').pop());
}

describe("possible same person in the coordinator's bell (issue 14)", () => {
  it("a new case matching another group's case rings the bell, links to /person-matches and names no one", async () => {
    await newCase(tokyo, ALIAS);
    const coordinator = await signedIn(ctx.app, world.coordinator);
    expect(bellCount((await coordinator.get('/')).body)).toBe(0);
    await newCase(osaka, 'tran thi bich');
    await newCase(osaka, 'Someone Else');
    const home = (await coordinator.get('/')).body;
    expect(bellCount(home)).toBe(1);
    const bell = bellOf(home);
    expect(bell).toContain('href="/person-matches"');
    expect(bell).toContain('同一人物の可能性 1件');
    expect(home).not.toMatch(/tran|bich/i);
    // Groups never learn of it.
    expect(bellOf((await tokyo.get('/')).body)).not.toContain('同一人物');
    expect(bellOf((await osaka.get('/')).body)).not.toContain('同一人物');
  });

  it('opening /person-matches marks them read; a later match rings again; a decided one never counts', async () => {
    const a = await newCase(tokyo, ALIAS);
    const b = await newCase(osaka, ALIAS);
    const coordinator = await signedIn(ctx.app, world.coordinator);
    expect(bellCount((await coordinator.get('/person-matches')).body)).toBe(0);
    expect(bellCount((await coordinator.get('/')).body)).toBe(0);

    ctx.clock.advance(60_000);
    await newCase(osaka, ALIAS);
    // The third case matches the Tokyo one (Osaka's two are one group: no pair).
    expect(bellCount((await coordinator.get('/')).body)).toBe(1);

    // Another coordinator has not looked: both pairs, until one is decided.
    const admin = await signedIn(ctx.app, world.admin);
    expect(bellCount((await admin.get('/')).body)).toBe(2);
    expect((await admin.post('/person-matches/decide', { caseA: String(a), caseB: String(b), decision: 'different' })).statusCode).toBe(303);
    expect(bellCount((await admin.get('/')).body)).toBe(1);
  });

  it('with records pending too, the bell counts both and still leads to the queue first', async () => {
    // The factory's case first: it numbers its codes on its own.
    const c = makeCase(ctx.db, { organizationId: world.tokyo.id, createdBy: world.tokyoSupporter.id });
    makeDisbursement(ctx.db, { caseId: c.id, submittedBy: world.tokyoSupporter.id });
    await newCase(tokyo, ALIAS);
    await newCase(osaka, ALIAS);
    const coordinator = await signedIn(ctx.app, world.coordinator);
    const home = (await coordinator.get('/')).body;
    expect(bellCount(home)).toBe(2);
    expect(bellOf(home)).toContain('href="/review"');
    expect(bellOf(home)).toContain('確認待ち 1件');
    expect(bellOf(home)).toContain('同一人物の可能性 1件');
  });
});
