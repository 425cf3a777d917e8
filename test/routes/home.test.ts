import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn } from '../helpers/client.js';
import { makeWorld } from '../helpers/factories.js';
import { makeCase, makeDisbursement } from '../helpers/money-factories.js';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof makeWorld>>;
let tokyoCase: { id: number; code: string };
let osakaCase: { id: number; code: string };

beforeEach(async () => {
  ctx = await buildTestApp();
  world = await makeWorld(ctx.db);
  tokyoCase = makeCase(ctx.db, { organizationId: world.tokyo.id, createdBy: world.tokyoSupporter.id, code: 'TKY-2025-0001' });
  osakaCase = makeCase(ctx.db, { organizationId: world.osaka.id, createdBy: world.osakaSupporter.id, code: 'OSK-2025-0001' });
  makeDisbursement(ctx.db, { caseId: tokyoCase.id, submittedBy: world.tokyoSupporter.id, lines: [{ category: 'food', amount: 4321 }] });
  makeDisbursement(ctx.db, { caseId: tokyoCase.id, submittedBy: world.tokyoSupporter.id, status: 'rejected', decidedBy: world.coordinator.id });
  makeDisbursement(ctx.db, { caseId: osakaCase.id, submittedBy: world.osakaSupporter.id, lines: [{ category: 'medical', amount: 777 }] });
});
afterEach(async () => ctx.close());

describe('home (SPEC §6)', () => {
  it('gives a supporter the big entry and their own group’s recent records with status and rejection reason', async () => {
    const page = await (await signedIn(ctx.app, world.tokyoSupporter)).get('/');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<a class="button button-primary button-big" href="/disbursements/new">支給を記録</a>');
    expect(page.body).toContain('<form method="get" action="/cases"');
    expect(page.body).toContain('TKY-2025-0001');
    expect(page.body).toContain('¥4,321');
    expect(page.body).toContain('承認待ち');
    expect(page.body).toContain('差し戻し');
    expect(page.body).toContain('test rejection');
    expect(page.body).not.toContain('OSK-2025-0001');
    expect(page.body).not.toContain('¥777');
  });

  it('shows at most the 20 latest', async () => {
    for (let i = 0; i < 25; i += 1) makeDisbursement(ctx.db, { caseId: tokyoCase.id, submittedBy: world.tokyoSupporter.id });
    const page = await (await signedIn(ctx.app, world.tokyoSupporter)).get('/');
    expect(page.body.match(/class="recent-item/g)).toHaveLength(20);
  });

  it('gives a coordinator the pending count, the review link and network-wide records', async () => {
    const page = await (await signedIn(ctx.app, world.coordinator)).get('/');
    expect(page.body).toContain('承認待ちの支給記録: 2件');
    expect(page.body).toContain('href="/review"');
    expect(page.body).toContain('TKY-2025-0001');
    expect(page.body).toContain('OSK-2025-0001');
    expect(page.body).toContain('Osaka group');
  });

  it('gives an auditor the reports and audit trail, and no entry form', async () => {
    const page = await (await signedIn(ctx.app, world.auditor)).get('/');
    expect(page.body).toContain('href="/reports"');
    expect(page.body).toContain('href="/audit"');
    expect(page.body).not.toContain('button-big');
    expect(page.body).not.toContain('TKY-2025-0001');
  });

  it('is in English for an English-speaking user', async () => {
    ctx.db.$client.prepare("UPDATE users SET locale = 'en' WHERE id = ?").run(world.tokyoSupporter.id);
    const page = await (await signedIn(ctx.app, world.tokyoSupporter)).get('/');
    expect(page.body).toContain('Log aid');
    expect(page.body).toContain('Rejected');
  });
});
