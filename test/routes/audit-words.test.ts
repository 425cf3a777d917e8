import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditEvents } from '../../db/schema.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn } from '../helpers/client.js';
import { makeUser, makeWorld } from '../helpers/factories.js';
import { makeCase, makeDisbursement } from '../helpers/money-factories.js';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof makeWorld>>;
beforeEach(async () => {
  ctx = await buildTestApp();
  world = await makeWorld(ctx.db);
});
afterEach(async () => ctx.close());

async function approvedRecord() {
  const c = makeCase(ctx.db, { organizationId: world.tokyo.id, createdBy: world.tokyoSupporter.id, code: 'TKY-2025-0015' });
  const d = makeDisbursement(ctx.db, { caseId: c.id, submittedBy: world.tokyoSupporter.id, lines: [{ category: 'food', amount: 12_000 }] });
  const coordinator = await signedIn(ctx.app, world.coordinator);
  expect((await coordinator.post(`/disbursements/${d.id}/approve`, { version: '1' })).statusCode).toBe(303);
  return d;
}

describe('GET /audit in words', () => {
  it('says who (name and role), what with the record, the change in words, Japan time, and links the record', async () => {
    const d = await approvedRecord();
    const auditor = await signedIn(ctx.app, world.auditor);
    const body = (await auditor.get('/audit')).body;
    expect(body).toContain(`<a href="/disbursements/${d.id}">支給 #${d.id}（TKY-2025-0015、¥12,000）を承認</a>`);
    expect(body).toContain('Second Coordinator（コーディネーター）');
    expect(body).toContain('<tr><th scope="row">状態</th><td>承認待ち</td><td>承認済み</td></tr>');
    expect(body).toContain('2025年6月15日 12:00');
    expect(body).not.toContain('<code>disbursement.approved</code>');
    expect(body).toContain('<option value="disbursement.approved">支給を承認</option>');
  });

  it('speaks English to an English reader, and links users only for admins', async () => {
    const englishAuditor = await makeUser(ctx.db, { role: 'auditor', organizationId: world.office.id, locale: 'en', displayName: 'Eve Auditor' });
    const admin = await signedIn(ctx.app, world.admin);
    expect((await admin.post(`/admin/users/${world.tokyoSupporter.id}/deactivate`)).statusCode).toBe(303);
    await approvedRecord();
    const en = (await (await signedIn(ctx.app, englishAuditor)).get('/audit')).body;
    expect(en).toMatch(/Approved disbursement #[0-9]+ \(TKY-2025-0015, ¥12,000\)/);
    expect(en).toContain('Deactivated user “Tokyo Supporter”');
    expect(en).not.toContain(`href="/admin/users/${world.tokyoSupporter.id}"`);
    expect((await admin.get('/audit')).body).toContain(`href="/admin/users/${world.tokyoSupporter.id}"`);
  });
});

describe('GET /audit.csv', () => {
  it('exports raw codes with the same filter, neutralized, and records the export', async () => {
    const d = await approvedRecord();
    const auditor = await signedIn(ctx.app, world.auditor);
    const response = await auditor.get(`/audit.csv?entityType=disbursement&entityId=${d.id}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    const text = response.body.replace(/^\uFEFF/, '');
    const lines = text.trim().split('\r\n');
    expect(lines[0]).toBe('id,occurred_at,actor_user_id,actor_name,actor_role,action,entity_type,entity_id,before,after,prev_hash,hash');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(',disbursement.approved,disbursement,');
    expect(lines[1]).toContain('2025-06-15T03:00:00.000Z');
    const exported = ctx.db.select().from(auditEvents).where(eq(auditEvents.action, 'audit.exported')).all();
    expect(exported).toHaveLength(1);
    expect(JSON.parse(exported[0]!.after!)).toMatchObject({ entityType: 'disbursement', entityId: String(d.id), rows: 1 });
    expect((await (await signedIn(ctx.app, world.tokyoSupporter)).get('/audit.csv')).statusCode).toBe(403);
  });

  it('a cell that looks like a formula cannot run in a spreadsheet', async () => {
    const sly = await makeUser(ctx.db, { role: 'coordinator', organizationId: world.office.id, displayName: '=SUM(1,2)' });
    const c = makeCase(ctx.db, { organizationId: world.tokyo.id, createdBy: world.tokyoSupporter.id });
    const d = makeDisbursement(ctx.db, { caseId: c.id, submittedBy: world.tokyoSupporter.id });
    expect((await (await signedIn(ctx.app, sly)).post(`/disbursements/${d.id}/approve`, { version: '1' })).statusCode).toBe(303);
    const csv = (await (await signedIn(ctx.app, world.auditor)).get('/audit.csv?action=disbursement.approved')).body;
    expect(csv).toContain(',"\'=SUM(1,2)",coordinator,');
    expect(csv).not.toMatch(/,=SUM/);
  });
});
