import { afterEach, describe, expect, it } from 'vitest';
import { OutboxSender, smtpTransport } from '../../server/domain/mail-sender.js';
import { enqueueMail } from '../../server/domain/mail-outbox.js';
import type { TestContext } from '../helpers/app.js';
import { makeRecordOnNewCase } from '../helpers/money-factories.js';
import { freePort } from '../helpers/ports.js';
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

describe('when the SMTP server is down', () => {
  it('keeps the mail, retries after the backoff, and delivers it once the server is up', async () => {
    const port = await freePort();
    const logLines: string[] = [];
    const w = await mailWorld(`smtp://127.0.0.1:${port}`, { logLines });
    ctx = w.ctx;
    await optIn(ctx, w.world.tokyoSupporter);
    const d = makeRecordOnNewCase(ctx.db, w.world.tokyoSupporter);
    expect((await w.coordinator.post(`/disbursements/${d.id}/reject`, { version: '1', reason: '重複' })).statusCode).toBe(303);
    const id = outboxRows(ctx)[0]!.id;
    const startedAt = ctx.clock.now().getTime();

    ctx.app.mail.start({ intervalMs: 20, baseDelayMs: 60_000 });
    await waitFor(() => outboxRow(ctx!, id).attempts === 1 && outboxRow(ctx!, id).lastError !== null);
    const failed = outboxRow(ctx, id);
    expect(failed).toMatchObject({ status: 'queued', nextAttemptAt: startedAt + 60_000 });
    expect(failed.lastError).toMatch(/^[A-Z_]+( \d+)?$/); // a code, never the server's words

    smtp = await startSmtp({ port });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(smtp.messages).toEqual([]); // not due yet: the backoff holds
    expect(outboxRow(ctx, id).attempts).toBe(1);

    ctx.clock.advance(60_000);
    await waitFor(() => outboxRow(ctx!, id).status === 'sent');
    expect(smtp.messages).toHaveLength(1);
    expect(outboxRow(ctx, id)).toMatchObject({ attempts: 2, lastError: null });
    expect(await ctx.app.metrics.registry.metrics()).toMatch(/^mail_send_failures_total 1$/m);
    // The failure was logged by outbox id: no address, no subject.
    expect(logLines.some((l) => l.includes('"outboxId":' + String(id)))).toBe(true);
    expect(logLines.filter((l) => l.includes(w.world.tokyoSupporter.email) || l.includes('却下'))).toEqual([]);
  });

  it('waits twice as long after each failure and gives up (failed) after the last attempt', async () => {
    const port = await freePort();
    const w = await mailWorld(`smtp://127.0.0.1:${port}`);
    ctx = w.ctx;
    const recipient = { userId: w.world.tokyoSupporter.id, email: w.world.tokyoSupporter.email, locale: 'ja' as const };
    let now = new Date('2025-06-15T03:00:00Z');
    enqueueMail(ctx.db, { kind: 'digest', recipient, subject: 's', body: 'b' }, now);
    const id = outboxRows(ctx)[0]!.id;
    const sender = new OutboxSender(ctx.db, {
      transport: smtpTransport(`smtp://127.0.0.1:${port}`),
      from: 'aid@example.org',
      fromDomain: 'example.org',
      now: () => now,
      baseDelayMs: 1_000,
      maxAttempts: 3,
    });
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      expect(await sender.drain()).toEqual({ sent: 0, failed: 1 });
      const row = outboxRow(ctx, id);
      waits.push(row.nextAttemptAt - now.getTime());
      expect(await sender.drain()).toEqual({ sent: 0, failed: 0 }); // not due again yet
      now = new Date(row.nextAttemptAt);
    }
    expect(waits).toEqual([1_000, 2_000, 4_000]);
    expect(outboxRow(ctx, id)).toMatchObject({ status: 'failed', attempts: 3 });
    expect(await sender.drain()).toEqual({ sent: 0, failed: 0 });
    await sender.stop();
  });
});
