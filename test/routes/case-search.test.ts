import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditEvents, cases } from '../../db/schema.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn, type TestClient } from '../helpers/client.js';
import { makeWorld } from '../helpers/factories.js';
import { makeCase, makeDisbursement } from '../helpers/money-factories.js';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof makeWorld>>;
let coordinator: TestClient;
beforeEach(async () => {
  ctx = await buildTestApp({ env: { RATE_LIMIT_PER_MINUTE: '1000000' } });
  world = await makeWorld(ctx.db);
  coordinator = await signedIn(ctx.app, world.coordinator);
});
afterEach(async () => ctx.close());

const codesOn = (body: string) => [...body.matchAll(/<a href="\/cases\/[0-9]+">([A-Z]+-[0-9]{4}-[0-9]{4})<\/a>/g)].map((m) => m[1]);

function seed() {
  const t15 = makeCase(ctx.db, {
    organizationId: world.tokyo.id,
    createdBy: world.tokyoSupporter.id,
    code: 'TKY-2025-0015',
    householdSize: 4,
    nationality: 'VN',
    residenceStatus: 'refugee_applicant',
  });
  const t7 = makeCase(ctx.db, {
    organizationId: world.tokyo.id,
    createdBy: world.tokyoSupporter.id,
    code: 'TKY-2024-0007',
    householdSize: 1,
    nationality: 'PH',
    residenceStatus: 'no_status',
  });
  const o15 = makeCase(ctx.db, {
    organizationId: world.osaka.id,
    createdBy: world.osakaSupporter.id,
    code: 'OSK-2025-0150',
    householdSize: 6,
    nationality: 'VN',
  });
  ctx.db.update(cases).set({ prefecture: '27', status: 'closed', closedOn: '2025-06-20' }).where(eq(cases.id, o15.id)).run();
  makeDisbursement(ctx.db, { caseId: t15.id, submittedBy: world.tokyoSupporter.id, paidOn: '2025-05-01', status: 'approved', decidedBy: world.admin.id });
  makeDisbursement(ctx.db, { caseId: t7.id, submittedBy: world.tokyoSupporter.id, paidOn: '2025-06-10' });
  // A rejected record is not aid given: it does not move the last aid date.
  makeDisbursement(ctx.db, { caseId: o15.id, submittedBy: world.osakaSupporter.id, paidOn: '2025-06-12', status: 'rejected', decidedBy: world.admin.id });
  return { t15, t7, o15 };
}

describe('GET /cases: find anything', () => {
  it('matches any part of the code: digits anywhere, the group code, full-width input', async () => {
    seed();
    expect(codesOn((await coordinator.get('/cases?q=0015')).body)).toEqual(['TKY-2025-0015']);
    expect(codesOn((await coordinator.get('/cases?q=15')).body).sort()).toEqual(['OSK-2025-0150', 'TKY-2025-0015']);
    expect(codesOn((await coordinator.get('/cases?q=tky')).body).sort()).toEqual(['TKY-2024-0007', 'TKY-2025-0015']);
    expect(codesOn((await coordinator.get(`/cases?q=${encodeURIComponent('００１５')}`)).body)).toEqual(['TKY-2025-0015']);
    // A supporter finds only their own group's.
    const osaka = await signedIn(ctx.app, world.osakaSupporter);
    expect(codesOn((await osaka.get('/cases?q=15')).body)).toEqual(['OSK-2025-0150']);
  });

  it('filters by status, household size, nationality, residence status, prefecture, last aid date and group', async () => {
    seed();
    const list = async (q: string) => codesOn((await coordinator.get(`/cases?${q}`)).body).sort();
    expect(await list('status=closed')).toEqual(['OSK-2025-0150']);
    expect(await list('household=5plus')).toEqual(['OSK-2025-0150']);
    expect(await list('household=1')).toEqual(['TKY-2024-0007']);
    expect(await list('nationality=VN')).toEqual(['OSK-2025-0150', 'TKY-2025-0015']);
    expect(await list('residence=no_status')).toEqual(['TKY-2024-0007']);
    expect(await list('prefecture=27')).toEqual(['OSK-2025-0150']);
    expect(await list('aidFrom=2025-06-01')).toEqual(['TKY-2024-0007']);
    expect(await list('aidTo=2025-05-31')).toEqual(['TKY-2025-0015']);
    expect(await list(`org=${world.osaka.id}`)).toEqual(['OSK-2025-0150']);
    expect(await list('nationality=VN&q=TKY')).toEqual(['TKY-2025-0015']);
  });

  it('sorts by code, last aid and household size, and keeps filters in page links', async () => {
    seed();
    expect(codesOn((await coordinator.get('/cases?sort=code')).body)).toEqual(['OSK-2025-0150', 'TKY-2024-0007', 'TKY-2025-0015']);
    expect(codesOn((await coordinator.get('/cases?sort=last_aid')).body)).toEqual(['TKY-2024-0007', 'TKY-2025-0015', 'OSK-2025-0150']);
    expect(codesOn((await coordinator.get('/cases?sort=household')).body)).toEqual(['OSK-2025-0150', 'TKY-2025-0015', 'TKY-2024-0007']);
    for (let i = 0; i < 26; i += 1)
      makeCase(ctx.db, {
        organizationId: world.tokyo.id,
        createdBy: world.tokyoSupporter.id,
        code: `TKY-2023-${String(i + 1).padStart(4, '0')}`,
        nationality: 'VN',
      });
    const body = (await coordinator.get('/cases?nationality=VN&sort=code')).body;
    expect(body).toContain('href="/cases?nationality=VN&amp;sort=code&amp;page=2"');
  });

  it('answers 400 to malformed filters', async () => {
    for (const q of ['household=9', 'nationality=XX', 'residence=tourist', 'prefecture=48', 'aidFrom=2025-13-01', 'sort=alias', 'org=abc']) {
      expect((await coordinator.get(`/cases?${q}`)).statusCode, q).toBe(400);
    }
  });
});

describe('POST /cases/search: by alias, never in a URL', () => {
  it('finds the exact alias through its fingerprint, writes no alias anywhere, and needs the CSRF token', async () => {
    const tokyo = await signedIn(ctx.app, world.tokyoSupporter);
    const form = await tokyo.get('/cases/new');
    expect(form.statusCode).toBe(200);
    const created = await tokyo.post('/cases', {
      householdSize: '2',
      alias: 'Ana Souza',
      idempotencyKey: /name="idempotencyKey" value="([^"]+)"/.exec(form.body)![1]!,
    });
    expect(created.statusCode).toBe(303);
    const listPage = (await tokyo.get('/cases')).body;
    expect(listPage).toContain('<form method="post" action="/cases/search"');
    const found = await tokyo.post('/cases/search', { alias: 'ana souza' });
    expect(found.statusCode).toBe(200);
    expect(codesOn(found.body)).toHaveLength(1);
    expect(found.body).not.toContain('ana souza');
    const events = ctx.db.select().from(auditEvents).all();
    expect(JSON.stringify(events)).not.toMatch(/ana souza/i);
    expect((await tokyo.post('/cases/search', { alias: 'Ana Souza' }, { csrf: null })).statusCode).toBe(403);
    expect((await tokyo.post('/cases/search', { alias: ['a', 'b'] })).statusCode).toBe(400);
  });
});
