import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { disbursements } from '../../db/schema.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn } from '../helpers/client.js';
import { makeWorld } from '../helpers/factories.js';
import { bellCount } from '../helpers/bell.js';
import { makeCase, makeDisbursement } from '../helpers/money-factories.js';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof makeWorld>>;
beforeEach(async () => {
  ctx = await buildTestApp();
  world = await makeWorld(ctx.db);
});
afterEach(async () => ctx.close());

describe('the bell in the header', () => {
  it('counts pending records for coordinators, rejections and missing receipts for the supporter, nothing for auditors', async () => {
    const c = makeCase(ctx.db, { organizationId: world.tokyo.id, createdBy: world.tokyoSupporter.id });
    const a = makeDisbursement(ctx.db, { caseId: c.id, submittedBy: world.tokyoSupporter.id });
    makeDisbursement(ctx.db, { caseId: c.id, submittedBy: world.tokyoSupporter.id });
    const coordinator = await signedIn(ctx.app, world.coordinator);
    expect(bellCount((await coordinator.get('/')).body)).toBe(2);
    expect((await coordinator.get('/')).body).toContain('確認待ち 2件');

    const tokyo = await signedIn(ctx.app, world.tokyoSupporter);
    expect(bellCount((await tokyo.get('/')).body)).toBe(0);
    expect((await coordinator.post(`/disbursements/${a.id}/reject`, { version: '1', reason: '重複' })).statusCode).toBe(303);
    const after = (await tokyo.get('/')).body;
    expect(bellCount(after)).toBe(1);
    expect(after).toContain('却下された記録 1件');
    expect(bellCount((await coordinator.get('/')).body)).toBe(1);
    // An old approval without a receipt joins the supporter's count.
    const old = makeDisbursement(ctx.db, { caseId: c.id, submittedBy: world.tokyoSupporter.id, status: 'approved', decidedBy: world.admin.id });
    ctx.db.update(disbursements).set({ decidedAt: '2025-05-01T00:00:00.000Z' }).where(eq(disbursements.id, old.id)).run();
    const later = (await tokyo.get('/')).body;
    expect(bellCount(later)).toBe(2);
    expect(later).toContain('領収書未提出 1件');

    const auditor = await signedIn(ctx.app, world.auditor);
    expect((await auditor.get('/')).body).not.toContain('class="bell"');
  });
});
