import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditEvents, cases } from '../../db/schema.js';
import { createFieldCipher } from '../../server/domain/field-crypto.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn, type TestClient } from '../helpers/client.js';
import { makeWorld } from '../helpers/factories.js';
import { createCaseVia } from './case-test-helpers.js';

let ctx: TestContext;
let world: Awaited<ReturnType<typeof makeWorld>>;
let caseId: number;
let coordinator: TestClient;
beforeEach(async () => {
  ctx = await buildTestApp();
  world = await makeWorld(ctx.db);
  caseId = await createCaseVia(await signedIn(ctx.app, world.tokyoSupporter), { alias: 'Mai Nguyen', contact: '090-1234-5678', notes: 'NOTE-SECRET' });
  coordinator = await signedIn(ctx.app, world.coordinator);
});
afterEach(async () => ctx.close());

const events = (action: string) => ctx.db.select().from(auditEvents).where(eq(auditEvents.action, action)).all();
const SECRETS = ['Mai Nguyen', '090-1234-5678', 'NOTE-SECRET'];

describe('「本人情報を表示」', () => {
  it('shows identity for this response only and records the reason, never the values', async () => {
    const hidden = await coordinator.get(`/cases/${caseId}`);
    expect(hidden.statusCode).toBe(200);
    expect(hidden.body).toContain(`action="/cases/${caseId}/reveal"`);
    for (const secret of SECRETS) expect(hidden.body).not.toContain(secret);

    const shown = await coordinator.post(`/cases/${caseId}/reveal`, { reason: 'review', reasonText: '支給 #12 の審査' });
    expect(shown.statusCode).toBe(200);
    expect(shown.headers.location).toBeUndefined();
    for (const secret of SECRETS) expect(shown.body).toContain(secret);
    const [event] = events('case.identity_revealed');
    expect(event).toMatchObject({ actorUserId: world.coordinator.id, entityType: 'case', entityId: String(caseId) });
    expect(JSON.parse(event!.after!)).toEqual({ reason: 'review', reasonText: '支給 #12 の審査', fields: ['alias', 'contact', 'notes'] });
    for (const secret of SECRETS) expect(JSON.stringify(ctx.db.select().from(auditEvents).all())).not.toContain(secret);

    const again = await coordinator.get(`/cases/${caseId}`);
    expect(again.statusCode).toBe(200);
    for (const secret of SECRETS) expect(again.body).not.toContain(secret);
  });

  it('refuses a missing reason, “other” without words, and a reason that quotes the person', async () => {
    const none = await coordinator.post(`/cases/${caseId}/reveal`, {});
    expect(none.statusCode).toBe(422);
    const other = await coordinator.post(`/cases/${caseId}/reveal`, { reason: 'other', reasonText: ' ' });
    expect(other.statusCode).toBe(422);
    expect(other.body).toContain('理由を書いてください');
    const quoting = await coordinator.post(`/cases/${caseId}/reveal`, { reason: 'other', reasonText: 'ＭＡＩ ＮＧＵＹＥＮ さんの件' });
    expect(quoting.statusCode).toBe(422);
    expect(quoting.body).toContain('本人の氏名や連絡先を書かないでください');
    for (const response of [none, other, quoting]) for (const secret of SECRETS.slice(1)) expect(response.body).not.toContain(secret);
    expect(events('case.identity_revealed')).toEqual([]);
    // A refused guess is itself on the record, without the words.
    expect(events('case.identity_reveal_refused').map((e) => JSON.parse(e.after!))).toEqual([{ reason: 'other' }]);
  });

  it('is not offered to the owning group (they see identity) nor to auditors (never)', async () => {
    const owner = await signedIn(ctx.app, world.tokyoSupporter);
    expect((await owner.get(`/cases/${caseId}`)).body).toContain('Mai Nguyen');
    expect((await owner.post(`/cases/${caseId}/reveal`, { reason: 'review' })).statusCode).toBe(403);
    const auditor = await signedIn(ctx.app, world.auditor);
    expect((await auditor.post(`/cases/${caseId}/reveal`, { reason: 'review' }, { csrf: await auditor.csrf('/cases') })).statusCode).toBe(403);
    expect(events('case.identity_revealed')).toEqual([]);
  });

  it('gives a coordinator write-only identity fields: blank keeps, text replaces', async () => {
    const edit = await coordinator.get(`/cases/${caseId}/edit`);
    expect(edit.statusCode).toBe(200);
    for (const secret of SECRETS) expect(edit.body).not.toContain(secret);
    const saved = await coordinator.post(`/cases/${caseId}`, { householdSize: '4', status: 'open', alias: '', contact: '', notes: '' });
    expect(saved.statusCode).toBe(303);
    const row = ctx.db.select().from(cases).where(eq(cases.id, caseId)).get()!;
    expect(row.householdSize).toBe(4);
    const cipher = createFieldCipher(ctx.config.dataKey);
    expect(cipher.decrypt(row.aliasEnc!, { table: 'cases', column: 'alias_enc', rowId: caseId })).toBe('Mai Nguyen');
    expect(row.contactEnc).not.toBeNull();
    // Typing a value replaces it without ever showing the old one.
    expect((await coordinator.post(`/cases/${caseId}`, { householdSize: '4', status: 'open', contact: '070-9999-0000' })).statusCode).toBe(303);
    const replaced = ctx.db.select().from(cases).where(eq(cases.id, caseId)).get()!;
    expect(cipher.decrypt(replaced.contactEnc!, { table: 'cases', column: 'contact_enc', rowId: caseId })).toBe('070-9999-0000');
    expect(cipher.decrypt(replaced.aliasEnc!, { table: 'cases', column: 'alias_enc', rowId: caseId })).toBe('Mai Nguyen');
  });
});

describe('an organization that asks its own supporters for a reason too', () => {
  it('hides identity from the owning supporter until a reveal; the admin switches it, audited', async () => {
    const admin = await signedIn(ctx.app, world.admin);
    expect((await admin.get(`/admin/organizations/${world.tokyo.id}`)).body).toContain('name="ownerNeedsReason"');
    expect((await admin.post(`/admin/organizations/${world.tokyo.id}/reveal-policy`, { ownerNeedsReason: '1' })).statusCode).toBe(303);
    const owner = await signedIn(ctx.app, world.tokyoSupporter);
    for (const url of [`/cases/${caseId}`, `/cases/${caseId}/edit`]) {
      const page = await owner.get(url);
      expect(page.statusCode).toBe(200);
      for (const secret of SECRETS) expect(page.body).not.toContain(secret);
    }
    const shown = await owner.post(`/cases/${caseId}/reveal`, { reason: 'contact_person' });
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain('Mai Nguyen');
    expect(events('case.identity_revealed').map((e) => e.actorUserId)).toEqual([world.tokyoSupporter.id]);
    // Other groups are not affected; switching it off restores the default.
    expect((await admin.post(`/admin/organizations/${world.tokyo.id}/reveal-policy`, {})).statusCode).toBe(303);
    expect((await owner.get(`/cases/${caseId}`)).body).toContain('Mai Nguyen');
    expect(events('reveal_policy.updated').map((e) => JSON.parse(e.after!))).toEqual([{ ownerNeedsReason: true }, { ownerNeedsReason: false }]);
  });
});

describe('the reveals report', () => {
  it('counts reveals per user per month in Japan time, with reasons, for admins and auditors only', async () => {
    ctx.clock.set('2025-06-10T03:00:00Z');
    expect((await coordinator.post(`/cases/${caseId}/reveal`, { reason: 'duplicate_check' })).statusCode).toBe(200);
    ctx.clock.set('2025-06-30T16:00:00Z'); // already July 1st in Tokyo
    const july = await signedIn(ctx.app, world.coordinator);
    expect((await july.post(`/cases/${caseId}/reveal`, { reason: 'review' })).statusCode).toBe(200);
    expect((await july.post(`/cases/${caseId}/reveal`, { reason: 'other', reasonText: '電話での問い合わせ' })).statusCode).toBe(200);

    for (const user of [world.admin, world.auditor]) {
      const page = await (await signedIn(ctx.app, user)).get('/admin/reveals');
      expect(page.statusCode).toBe(200);
      expect(page.body).toMatch(/2025-07<\/a><\/td>\s*<td>Second Coordinator<\/td>\s*<td class="num">2<\/td>/);
      expect(page.body).toMatch(/2025-06<\/a><\/td>\s*<td>Second Coordinator<\/td>\s*<td class="num">1<\/td>/);
      expect(page.body).toContain('電話での問い合わせ'); // newest month's details by default
      for (const secret of SECRETS) expect(page.body).not.toContain(secret);
      const june = await (await signedIn(ctx.app, user)).get('/admin/reveals?month=2025-06');
      expect(june.body).toContain('重複登録の確認のため');
      expect(june.body).not.toContain('電話での問い合わせ');
    }
    expect((await july.get('/admin/reveals')).statusCode).toBe(403);
    expect((await (await signedIn(ctx.app, world.admin)).get('/admin/reveals?month=2025-13')).statusCode).toBe(400);
  });
});
