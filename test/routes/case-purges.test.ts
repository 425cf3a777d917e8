import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditEvents, casePurges, cases, retentionPolicies } from '../../db/schema.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn } from '../helpers/client.js';
import { makeWorld } from '../helpers/factories.js';
import { makeCase, makeDisbursement } from '../helpers/money-factories.js';
import { createCaseVia } from './case-test-helpers.js';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof makeWorld>>;
beforeEach(async () => {
  ctx = await buildTestApp();
  world = await makeWorld(ctx.db);
});
afterEach(async () => ctx.close());

describe('erasing a case’s identity on request', () => {
  it('needs a coordinator and a reason; erases identity, keeps the case, audits the fact and the reason', async () => {
    const supporter = await signedIn(ctx.app, world.tokyoSupporter);
    const id = await createCaseVia(supporter, { alias: 'Ana Santos', contact: 'ana@example.org', notes: 'n' });
    expect((await supporter.post(`/cases/${id}/purge`, { purgeReason: 'asked' })).statusCode).toBe(403);

    const coordinator = await signedIn(ctx.app, world.coordinator);
    expect((await coordinator.get(`/cases/${id}`)).body).toContain(`action="/cases/${id}/purge"`);
    const empty = await coordinator.post(`/cases/${id}/purge`, { purgeReason: ' ' });
    expect(empty.statusCode).toBe(422);
    const quoting = await coordinator.post(`/cases/${id}/purge`, { purgeReason: 'Ana Santos asked by phone' });
    expect(quoting.statusCode).toBe(422);
    expect(ctx.db.select().from(cases).where(eq(cases.id, id)).get()!.aliasEnc).not.toBeNull();

    const done = await coordinator.post(`/cases/${id}/purge`, { purgeReason: '本人から電話で削除の請求' });
    expect([done.statusCode, done.headers.location]).toEqual([303, `/cases/${id}`]);
    expect(ctx.db.select().from(cases).where(eq(cases.id, id)).get()).toMatchObject({ aliasEnc: null, contactEnc: null, notesEnc: null, aliasIndex: null });
    expect(ctx.db.select().from(casePurges).all()).toMatchObject([{ caseId: id, kind: 'request', purgedBy: world.coordinator.id }]);
    const event = ctx.db.select().from(auditEvents).where(eq(auditEvents.action, 'case.identity_purged')).get()!;
    expect(JSON.parse(event.after!)).toEqual({ kind: 'request', fields: ['alias', 'contact', 'notes'], reason: '本人から電話で削除の請求' });
    expect((await supporter.get(`/cases/${id}`)).body).not.toContain('Ana Santos');
  });
});

describe('the retention period per organization', () => {
  it('is set by an admin to 1–50 years, audited, and refused outside that range', async () => {
    const admin = await signedIn(ctx.app, world.admin);
    const page = await admin.get(`/admin/organizations/${world.tokyo.id}`);
    expect(page.body).toMatch(/name="identityYears"[^>]*value="3"|value="3"[^>]*name="identityYears"/);
    expect(page.body).toMatch(/name="receiptYears"[^>]*value="7"|value="7"[^>]*name="receiptYears"/);
    for (const bad of ['0', '51', '2.5', '']) {
      const refused = await admin.post(`/admin/organizations/${world.tokyo.id}/retention`, { identityYears: bad, receiptYears: '7' });
      expect(refused.statusCode, bad).toBe(422);
    }
    // Receipts: separately set, never below the 7-year bookkeeping duty; the typed values come back.
    for (const bad of ['6', '51', '']) {
      const refused = await admin.post(`/admin/organizations/${world.tokyo.id}/retention`, { identityYears: '5', receiptYears: bad });
      expect(refused.statusCode, bad).toBe(422);
      expect(refused.body).toMatch(/name="identityYears"[^>]*value="5"|value="5"[^>]*name="identityYears"/);
    }
    expect(ctx.db.select().from(retentionPolicies).all()).toEqual([]);
    const saved = await admin.post(`/admin/organizations/${world.tokyo.id}/retention`, { identityYears: '5', receiptYears: '10' });
    expect([saved.statusCode, saved.headers.location]).toEqual([303, `/admin/organizations/${world.tokyo.id}`]);
    expect(ctx.db.select().from(retentionPolicies).all()).toEqual([{ organizationId: world.tokyo.id, identityYears: 5, receiptYears: 10 }]);
    expect((await admin.get(`/admin/organizations/${world.tokyo.id}`)).body).toMatch(/name="receiptYears"[^>]*value="10"|value="10"[^>]*name="receiptYears"/);
    const event = ctx.db.select().from(auditEvents).where(eq(auditEvents.action, 'retention.updated')).get()!;
    expect([JSON.parse(event.before!), JSON.parse(event.after!)]).toEqual([
      { identityYears: 3, receiptYears: 7 },
      { identityYears: 5, receiptYears: 10 },
    ]);
  });
});

describe('開示請求: everything held about one case', () => {
  it('lists identity, money, receipts and who read the identity; coordinators only; audited', async () => {
    const supporter = await signedIn(ctx.app, world.tokyoSupporter);
    const id = await createCaseVia(supporter, { alias: 'Ana Santos', contact: 'ana@example.org', notes: 'shelter needed' });
    await supporter.get(`/cases/${id}`);
    expect((await supporter.get(`/cases/${id}/disclosure`)).statusCode).toBe(403);
    const coordinator = await signedIn(ctx.app, world.coordinator);
    await coordinator.post(`/cases/${id}/reveal`, { reason: 'person_request' });
    const page = await coordinator.get(`/cases/${id}/disclosure`);
    expect(page.statusCode).toBe(200);
    for (const text of [
      'Ana Santos',
      'ana@example.org',
      'shelter needed',
      'Tokyo Supporter',
      'Second Coordinator',
      '閲覧（登録団体）',
      '理由を記録して表示',
      '本人からの請求',
    ]) {
      expect(page.body).toContain(text);
    }
    const exported = ctx.db.select().from(auditEvents).where(eq(auditEvents.action, 'case.disclosure_exported')).all();
    expect(exported.map((e) => [e.actorUserId, e.after])).toEqual([[world.coordinator.id, null]]);
  });

  it('lists each disbursement by date with its own lines, named by category, in the order they were entered', async () => {
    const caseId = makeCase(ctx.db, { organizationId: world.tokyo.id, createdBy: world.tokyoSupporter.id }).id;
    const other = makeCase(ctx.db, { organizationId: world.tokyo.id, createdBy: world.tokyoSupporter.id }).id;
    const submittedBy = world.tokyoSupporter.id;
    makeDisbursement(ctx.db, {
      caseId,
      submittedBy,
      paidOn: '2025-06-01',
      lines: [
        { category: 'medical', amount: 8800 },
        { category: 'food', amount: 3000 },
      ],
    });
    makeDisbursement(ctx.db, { caseId: other, submittedBy, paidOn: '2025-05-15', lines: [{ category: 'tuition', amount: 7000 }] });
    makeDisbursement(ctx.db, { caseId, submittedBy, paidOn: '2025-05-01', lines: [{ category: 'shelter', amount: 50000 }] });
    const coordinator = await signedIn(ctx.app, world.coordinator);
    const page = await coordinator.get(`/cases/${caseId}/disclosure`);
    expect(page.statusCode).toBe(200);
    const cards = [...page.body.matchAll(/<li class="card">([\s\S]*?)<\/ul>\s*<\/li>/g)].map((m) => [...m[1]!.matchAll(/<li>([^<]*)<\/li>/g)].map((l) => l[1]));
    expect(cards).toEqual([['シェルター・住居費: ¥50,000'], ['医療費: ¥8,800', '食料・消耗品費: ¥3,000']]);
  });
});
