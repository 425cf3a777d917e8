import { and, asc, eq, lte } from 'drizzle-orm';
import { createTransport } from 'nodemailer';
import { writeTransaction, type Db } from '../../db/client.js';
import { mailOutbox } from '../../db/schema.js';
import { messageIdFor } from './mail-outbox.js';

export interface OutgoingMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  messageId: string;
}

export interface MailTransport {
  send(message: OutgoingMessage): Promise<void>;
  close(): void;
}

/** nodemailer over SMTP_URL, with timeouts short enough that a dead server does not stall the queue. */
export function smtpTransport(url: string): MailTransport {
  const transport = createTransport({ url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 });
  return {
    send: async (m) => {
      await transport.sendMail({ from: m.from, to: m.to, subject: m.subject, text: m.text, messageId: m.messageId });
    },
    close: () => transport.close(),
  };
}

export interface SenderOptions {
  transport: MailTransport;
  from: string;
  fromDomain: string;
  now?: () => Date;
  batchSize?: number;
  /** How often the loop looks for due mail. */
  intervalMs?: number;
  /** The first retry waits this long, each next one twice as long, up to maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** After this many attempts the row is marked failed and left for an operator. */
  maxAttempts?: number;
  observer?: { sent(): void; failed(): void };
  log?: { warn(fields: object, message: string): void };
}

/** Only the error's code: an SMTP server's text may repeat the recipient's address. */
export function describeSendError(error: unknown): string {
  const e = error as { code?: unknown; responseCode?: unknown };
  const code = typeof e?.code === 'string' && /^[A-Z_]{2,32}$/.test(e.code) ? e.code : 'ERROR';
  return typeof e?.responseCode === 'number' ? `${code} ${e.responseCode}` : code;
}

export function backoffMs(attempts: number, baseDelayMs: number, maxDelayMs: number): number {
  return Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attempts - 1));
}

/**
 * The background sender: sends due outbox rows one by one. The attempt is counted before the
 * send, and the row marked sent after it; a crash in between leaves the row queued, so it is
 * sent again with the same Message-ID (at-least-once, duplicates recognisable).
 */
export class OutboxSender {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = false;
  private readonly o: Required<Omit<SenderOptions, 'observer' | 'log'>> & Pick<SenderOptions, 'observer' | 'log'>;

  constructor(
    private readonly db: Db,
    options: SenderOptions,
  ) {
    this.o = { now: () => new Date(), batchSize: 20, intervalMs: 5_000, baseDelayMs: 30_000, maxDelayMs: 3_600_000, maxAttempts: 10, ...options };
  }

  /** One pass over the mail due now. */
  async drain(): Promise<{ sent: number; failed: number }> {
    const now = this.o.now().getTime();
    const due = this.db
      .select()
      .from(mailOutbox)
      .where(and(eq(mailOutbox.status, 'queued'), lte(mailOutbox.nextAttemptAt, now)))
      .orderBy(asc(mailOutbox.nextAttemptAt), asc(mailOutbox.id))
      .limit(this.o.batchSize)
      .all();
    let sent = 0;
    let failed = 0;
    for (const row of due) {
      if (this.stopped) break;
      const attempts = row.attempts + 1;
      writeTransaction(this.db, (tx) => tx.update(mailOutbox).set({ attempts }).where(eq(mailOutbox.id, row.id)).run());
      try {
        const messageId = messageIdFor(this.db, row.id, this.o.fromDomain);
        await this.o.transport.send({ from: this.o.from, to: row.toAddress, subject: row.subject, text: row.body, messageId });
        writeTransaction(this.db, (tx) =>
          tx.update(mailOutbox).set({ status: 'sent', sentAt: this.o.now().getTime(), lastError: null }).where(eq(mailOutbox.id, row.id)).run(),
        );
        this.o.observer?.sent();
        sent += 1;
      } catch (error) {
        const lastError = describeSendError(error);
        const isGivingUp = attempts >= this.o.maxAttempts;
        const nextAttemptAt = this.o.now().getTime() + backoffMs(attempts, this.o.baseDelayMs, this.o.maxDelayMs);
        writeTransaction(this.db, (tx) =>
          tx
            .update(mailOutbox)
            .set({ lastError, nextAttemptAt, ...(isGivingUp ? { status: 'failed' as const } : {}) })
            .where(eq(mailOutbox.id, row.id))
            .run(),
        );
        this.o.observer?.failed();
        this.o.log?.warn(
          { outboxId: row.id, attempts, error: lastError },
          isGivingUp ? 'mail: giving up after repeated failures' : 'mail: send failed, will retry',
        );
        failed += 1;
      }
    }
    return { sent, failed };
  }

  /** Start the loop (the app's process): one pass at a time, then wait intervalMs. */
  start(): void {
    this.stopped = false;
    const tick = () => {
      this.running = this.drain()
        .catch((error: unknown) => this.o.log?.warn({ error: describeSendError(error) }, 'mail: sender pass failed'))
        .finally(() => {
          this.running = null;
          if (!this.stopped) this.timer = setTimeout(tick, this.o.intervalMs).unref();
        });
    };
    tick();
  }

  /** Stop after the message in flight; nothing is left half-marked. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
    this.o.transport.close();
  }
}
