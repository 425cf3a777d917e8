import fp from 'fastify-plugin';
import { Counter, Gauge } from 'prom-client';
import { countQueuedMail, bindMail } from '../domain/mail-outbox.js';
import { enqueueDailyMail } from '../domain/mail-schedule.js';
import { OutboxSender, smtpTransport, type MailTransport } from '../domain/mail-sender.js';

declare module 'fastify' {
  interface FastifyInstance {
    mail: {
      /** SMTP_URL is set: decisions enqueue mail and the account page offers the switch. */
      isEnabled: boolean;
      /** Start the background sender and the daily schedule (main.ts; tests that want them). */
      start(options?: { transport?: MailTransport; intervalMs?: number; baseDelayMs?: number }): OutboxSender | null;
    };
  }
}

const HOUR_MS = 3_600_000;

/**
 * E-mail (issue 13 §4). Building the app only binds the settings, so decisions write their
 * mail into the outbox; sending starts on start() and stops when the app closes.
 */
export const mailPlugin = fp(
  async (app) => {
    const mail = app.config.mail;
    if (mail) bindMail(app.db, { origin: mail.origin });
    const registers = [app.metrics.registry];
    new Gauge({
      name: 'mail_outbox_queued',
      help: 'Mails in the outbox waiting to be sent (including those waiting for a retry)',
      registers,
      collect() {
        this.set(countQueuedMail(app.db));
      },
    });
    const sends = new Counter({ name: 'mail_sends_total', help: 'Mails accepted by the SMTP server', registers });
    const failures = new Counter({ name: 'mail_send_failures_total', help: 'Failed send attempts (each is retried with backoff)', registers });

    let sender: OutboxSender | null = null;
    let schedule: NodeJS.Timeout | null = null;
    const runSchedule = () => {
      try {
        enqueueDailyMail(app.db, app.clock.now());
      } catch (error) {
        app.log.error(error, 'mail: daily schedule failed');
      }
    };
    app.decorate('mail', {
      isEnabled: mail !== null,
      start(options = {}) {
        if (!mail || sender) return sender;
        sender = new OutboxSender(app.db, {
          transport: options.transport ?? smtpTransport(mail.smtpUrl),
          from: mail.from,
          fromDomain: mail.fromDomain,
          now: () => app.clock.now(),
          ...(options.intervalMs === undefined ? {} : { intervalMs: options.intervalMs }),
          ...(options.baseDelayMs === undefined ? {} : { baseDelayMs: options.baseDelayMs }),
          observer: { sent: () => sends.inc(), failed: () => failures.inc() },
          log: app.log,
        });
        sender.start();
        // Hourly; the day's key makes repeats harmless, so the first run can be right away.
        runSchedule();
        schedule = setInterval(runSchedule, HOUR_MS).unref();
        return sender;
      },
    });
    app.addHook('onClose', async () => {
      if (schedule) clearInterval(schedule);
      await sender?.stop();
    });
  },
  { name: 'mail', dependencies: ['core', 'metrics'] },
);
