import { eq } from 'drizzle-orm';
import { afterEach, expect, it } from 'vitest';
import { disbursements } from '../../db/schema.js';
import { enqueueDailyMail } from '../../server/domain/mail-schedule.js';
import type { TestContext } from '../helpers/app.js';
import { makeDisbursement } from '../helpers/money-factories.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { createCaseVia } from '../routes/case-test-helpers.js';
import { mailWorld, optIn, outboxRows } from './mail-world.js';
import { waitFor } from '../helpers/wait.js';

const SECRETS = { alias: 'グエン・ティ・ホア', contact: '090-8765-4321', notes: '入管の面会予定あり' };

let smtp: TestSmtp | null = null;
let ctx: TestContext | null = null;
afterEach(async () => {
  await ctx?.close();
  await smtp?.close();
});

it("no delivered mail, nor the outbox, holds a case's alias, contact or notes, or another group's amount", async () => {
  smtp = await startSmtp();
  const w = await mailWorld(smtp.url);
  ctx = w.ctx;
  const tokyo = await optIn(ctx, w.world.tokyoSupporter);
  await optIn(ctx, w.world.coordinator);
  const osaka = await optIn(ctx, w.world.osakaSupporter);
  const caseId = await createCaseVia(tokyo, SECRETS);
  const osakaCaseId = await createCaseVia(osaka, { alias: 'Osaka person' });
  // Rejected (mail to the submitter), approved long ago without a receipt (reminder), pending (digest).
  const rejected = makeDisbursement(ctx.db, { caseId, submittedBy: w.world.tokyoSupporter.id, lines: [{ category: 'food', amount: 12_000 }] });
  const old = makeDisbursement(ctx.db, { caseId, submittedBy: w.world.tokyoSupporter.id, status: 'approved', decidedBy: w.world.admin.id });
  ctx.db.update(disbursements).set({ decidedAt: '2025-05-01T00:00:00.000Z' }).where(eq(disbursements.id, old.id)).run();
  makeDisbursement(ctx.db, { caseId, submittedBy: w.world.tokyoSupporter.id });
  makeDisbursement(ctx.db, { caseId: osakaCaseId, submittedBy: w.world.osakaSupporter.id, lines: [{ category: 'food', amount: 98_765 }] });
  expect((await w.coordinator.post(`/disbursements/${rejected.id}/reject`, { version: '1', reason: '金額の確認をお願いします' })).statusCode).toBe(303);
  expect(enqueueDailyMail(ctx.db, ctx.clock.now())).toBe(2);

  ctx.app.mail.start({ intervalMs: 20 });
  await waitFor(() => smtp!.messages.length === 3);
  expect(smtp.messages.map((m) => m.to[0]).sort()).toEqual([w.world.coordinator.email, w.world.tokyoSupporter.email, w.world.tokyoSupporter.email].sort());
  const forbidden = [...Object.values(SECRETS), 'Osaka person', '98,765', '98765'];
  for (const message of smtp.messages) {
    for (const secret of forbidden) {
      expect(message.raw, secret).not.toContain(secret);
      expect(message.subject, secret).not.toContain(secret);
      expect(message.text, secret).not.toContain(secret);
    }
    // Every link is to a signed-in page of the configured origin.
    const links = message.text.match(/https?:\/\/\S+/g) ?? [];
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect(link).toMatch(/^https:\/\/aid\.example\.org\/(disbursements\/\d+|receipts\/missing|review|account)$/);
  }
  for (const row of outboxRows(ctx)) for (const secret of forbidden) expect(JSON.stringify(row)).not.toContain(secret);
});
