import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personMatchDecisions } from '../../db/schema.js';
import { newFormKey } from '../../server/domain/idempotency.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn, type TestClient } from '../helpers/client.js';
import { makeWorld } from '../helpers/factories.js';

let ctx: TestContext;
let tokyo: TestClient;
let osaka: TestClient;
let coordinator: TestClient;

beforeAll(async () => {
  ctx = await buildTestApp({ env: { RATE_LIMIT_PER_MINUTE: '1000000' } });
  const world = await makeWorld(ctx.db);
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
    expect(ctx.db.select().from(personMatchDecisions).all().map((d) => [d.caseA, d.caseB, d.decision])).toEqual([[a, b, 'different']]);
    expect((await coordinator.get('/person-matches')).body).toContain('別人');
  });
});
