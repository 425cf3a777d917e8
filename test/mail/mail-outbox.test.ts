import { and, eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { auditEvents, disbursements, mailPreferences } from '../../db/schema.js';
import { enqueueDailyMail } from '../../server/domain/mail-schedule.js';
import { en } from '../../server/i18n/en.js';
import { ja } from '../../server/i18n/ja.js';
import { buildTestApp, type TestContext } from '../helpers/app.js';
import { signedIn } from '../helpers/client.js';
import { makeCase, makeDisbursement, makeRecordOnNewCase } from '../helpers/money-factories.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { mailWorld, optIn, outboxRow, outboxRows } from './mail-world.js';
import { waitFor } from '../helpers/wait.js';

let smtp: TestSmtp | null = null;
let ctx: TestContext | null = null;
afterEach(async () => {
  await ctx?.close();
  await smtp?.close();
  ctx = null;
  smtp = null;
});

describe('rejection mail through the outbox and a real SMTP server', () => {
  it('is enqueued with the rejection and delivered with the reason, a sign-in link and a Message-ID from the outbox id', async () => {
    smtp = await startSmtp();
    const w = await mailWorld(smtp.url);
    ctx = w.ctx;
    await optIn(ctx, w.world.tokyoSupporter);
    const d = makeRecordOnNewCase(ctx.db, w.world.tokyoSupporter, { lines: [{ category: 'food', amount: 12_000 }] });

    // A refused decision (stale page) writes no mail: the mail lives and dies with the decision.
    expect((await w.coordinator.post(`/disbursements/${d.id}/reject`, { version: '9', reason: '古い画面' })).statusCode).toBe(409);
    expect(outboxRows(ctx)).toEqual([]);

    expect((await w.coordinator.post(`/disbursements/${d.id}/reject`, { version: '1', reason: '領収書の金額が\r\n記録と違います' })).statusCode).toBe(303);
    const [row] = outboxRows(ctx);
    expect(row).toMatchObject({ kind: 'rejection', status: 'queued', attempts: 0, toAddress: w.world.tokyoSupporter.email });
    expect(smtp.messages).toEqual([]); // nothing leaves until the sender runs

    ctx.app.mail.start({ intervalMs: 20 });
    await waitFor(() => smtp!.messages.length === 1 && outboxRow(ctx!, row!.id).status === 'sent');
    const [message] = smtp.messages;
    expect(message!.to).toEqual([w.world.tokyoSupporter.email]);
    expect(message!.messageId).toMatch(new RegExp(`^<outbox-${row!.id}\\.[0-9a-f]{16}@example\\.org>$`));
    expect(message!.subject).toBe(ja['mail.rejection.subject'].replace('{id}', String(d.id)));
    expect(message!.text).toContain('理由: 領収書の金額が 記録と違います');
    expect(message!.text).toContain('¥12,000');
    expect(message!.text).toContain(`https://aid.example.org/disbursements/${d.id}`);
    expect(outboxRow(ctx, row!.id)).toMatchObject({ status: 'sent', attempts: 1, lastError: null });

    const metrics = await ctx.app.metrics.registry.metrics();
    expect(metrics).toMatch(/^mail_sends_total 1$/m);
    expect(metrics).toMatch(/^mail_outbox_queued 0$/m);
  });

  it('is enqueued once per record by a bulk rejection, each in its own decision', async () => {
    smtp = await startSmtp();
    const w = await mailWorld(smtp.url);
    ctx = w.ctx;
    await optIn(ctx, w.world.tokyoSupporter);
    const c = makeCase(ctx.db, { organizationId: w.world.tokyo.id, createdBy: w.world.tokyoSupporter.id });
    const records = [1, 2].map(() => makeDisbursement(ctx!.db, { caseId: c.id, submittedBy: w.world.tokyoSupporter.id }));
    const own = makeDisbursement(ctx.db, {
      caseId: makeCase(ctx.db, { organizationId: w.world.office.id, createdBy: w.world.coordinator.id }).id,
      submittedBy: w.world.coordinator.id,
    });
    const response = await w.coordinator.post('/review/reject', { items: [...records, own].map((d) => `${d.id}:1`), reason: '日付の誤り' });
    expect(response.statusCode).toBe(200);
    const rows = outboxRows(ctx);
    expect(rows.map((r) => r.subject)).toEqual(records.map((d) => ja['mail.rejection.subject'].replace('{id}', String(d.id))));
    expect(rows.every((r) => r.body.includes('理由: 日付の誤り'))).toBe(true);
  });

  it("is written in the recipient's language", async () => {
    smtp = await startSmtp();
    const w = await mailWorld(smtp.url);
    ctx = w.ctx;
    const tokyo = await optIn(ctx, w.world.tokyoSupporter);
    expect((await tokyo.post('/account/locale', { locale: 'en' })).statusCode).toBe(303);
    const d = makeRecordOnNewCase(ctx.db, w.world.tokyoSupporter);
    await w.coordinator.post(`/disbursements/${d.id}/reject`, { version: '1', reason: 'Duplicate' });
    expect(outboxRows(ctx)[0]!.subject).toBe(en['mail.rejection.subject'].replace('{id}', String(d.id)));
    expect(outboxRows(ctx)[0]!.body).toContain('Reason: Duplicate');
  });

  it('sends nothing to a user who has not opted in, or opted out again', async () => {
    smtp = await startSmtp();
    const w = await mailWorld(smtp.url);
    ctx = w.ctx;
    const osaka = await optIn(ctx, w.world.osakaSupporter);
    expect((await osaka.post('/account/mail', {})).statusCode).toBe(303); // unticked: off again
    for (const user of [w.world.tokyoSupporter, w.world.osakaSupporter]) {
      const d = makeRecordOnNewCase(ctx.db, user);
      expect((await w.coordinator.post(`/disbursements/${d.id}/reject`, { version: '1', reason: '重複' })).statusCode).toBe(303);
    }
    ctx.app.mail.start({ intervalMs: 20 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(outboxRows(ctx)).toEqual([]);
    expect(smtp.messages).toEqual([]);
    const changes = ctx.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'user.mail_changed'), eq(auditEvents.entityId, String(w.world.osakaSupporter.id))))
      .all();
    expect(changes.map((e) => JSON.parse(e.after ?? '{}') as unknown)).toEqual([{ mail: true }, { mail: false }]);
  });
});

describe("the account page's switch", () => {
  it('is off by default and saves the opt-in', async () => {
    smtp = await startSmtp();
    const w = await mailWorld(smtp.url);
    ctx = w.ctx;
    const tokyo = await signedIn(ctx.app, w.world.tokyoSupporter);
    const before = (await tokyo.get('/account')).body;
    expect(before).toContain(ja['mail.enabled']);
    expect(before).not.toMatch(/name="enabled" value="1" checked/);
    await optIn(ctx, w.world.tokyoSupporter);
    expect((await tokyo.get('/account')).body).toMatch(/name="enabled" value="1" checked/);
    expect(ctx.db.select().from(mailPreferences).where(eq(mailPreferences.userId, w.world.tokyoSupporter.id)).get()?.isEnabled).toBe(true);
    expect((await tokyo.post('/account/mail', { enabled: ['1', '2'] })).statusCode).toBe(400);
  });

  it('says mail is off when SMTP_URL is unset, refuses the switch, and decisions write no mail', async () => {
    ctx = await buildTestApp();
    const { makeWorld } = await import('../helpers/factories.js');
    const world = await makeWorld(ctx.db);
    const tokyo = await signedIn(ctx.app, world.tokyoSupporter);
    const page = (await tokyo.get('/account')).body;
    expect(page).toContain(ja['mail.off']);
    expect(page).not.toContain('action="/account/mail"');
    expect((await tokyo.post('/account/mail', { enabled: '1' })).statusCode).toBe(409);
    expect(ctx.db.select().from(mailPreferences).all()).toEqual([]);
    const d = makeRecordOnNewCase(ctx.db, world.tokyoSupporter);
    const coordinator = await signedIn(ctx.app, world.coordinator);
    expect((await coordinator.post(`/disbursements/${d.id}/reject`, { version: '1', reason: '重複' })).statusCode).toBe(303);
    expect(outboxRows(ctx)).toEqual([]);
    expect(ctx.app.mail.start()).toBeNull();
  });
});

describe('the daily digest and missing-receipt reminders', () => {
  it('enqueue one digest per coordinator and one reminder per supporter a day, however often the schedule runs', async () => {
    smtp = await startSmtp();
    const w = await mailWorld(smtp.url);
    ctx = w.ctx;
    await optIn(ctx, w.world.coordinator);
    await optIn(ctx, w.world.tokyoSupporter);
    await optIn(ctx, w.world.osakaSupporter); // nothing missing: no reminder
    const c = makeCase(ctx.db, { organizationId: w.world.tokyo.id, createdBy: w.world.tokyoSupporter.id });
    makeDisbursement(ctx.db, { caseId: c.id, submittedBy: w.world.tokyoSupporter.id });
    const old = makeDisbursement(ctx.db, { caseId: c.id, submittedBy: w.world.tokyoSupporter.id, status: 'approved', decidedBy: w.world.admin.id });
    ctx.db.update(disbursements).set({ decidedAt: '2025-05-01T00:00:00.000Z' }).where(eq(disbursements.id, old.id)).run();

    expect(enqueueDailyMail(ctx.db, ctx.clock.now())).toBe(2);
    expect(enqueueDailyMail(ctx.db, ctx.clock.now())).toBe(0);
    const rows = outboxRows(ctx);
    expect(rows.map((r) => [r.kind, r.recipientUserId, r.dedupeKey])).toEqual([
      ['digest', w.world.coordinator.id, `digest:2025-06-15:${w.world.coordinator.id}`],
      ['receiptReminder', w.world.tokyoSupporter.id, `receiptReminder:2025-06-15:${w.world.tokyoSupporter.id}`],
    ]);
    expect(rows[0]!.subject).toBe('[緊急支援] 2025年6月15日 の承認待ち 1 件');
    expect(rows[1]!.body).toContain('https://aid.example.org/receipts/missing');

    // The sender delivers them; the schedule run again (as after a restart) enqueues nothing new.
    ctx.app.mail.start({ intervalMs: 20 });
    await waitFor(() => smtp!.messages.length === 2);
    expect(enqueueDailyMail(ctx.db, ctx.clock.now())).toBe(0);
    // The next Tokyo day is a new digest, from 07:00 Japan time.
    ctx.clock.set('2025-06-15T21:59:00Z'); // 06:59 on the 16th in Tokyo
    expect(enqueueDailyMail(ctx.db, ctx.clock.now())).toBe(0);
    ctx.clock.set('2025-06-15T22:00:00Z');
    expect(enqueueDailyMail(ctx.db, ctx.clock.now())).toBe(2);
    expect(outboxRows(ctx).at(-1)!.dedupeKey).toBe(`receiptReminder:2025-06-16:${w.world.tokyoSupporter.id}`);
  });
});
