import { and, eq } from 'drizzle-orm';
import { writeTransaction, type Db } from '../../db/client.js';
import { mailPreferences, users } from '../../db/schema.js';
import type { Actor } from './actor.js';
import { todayInTokyo } from './dates.js';
import { digestMail, receiptReminderMail } from './mail-content.js';
import { enqueueMail, mailSettingsOf } from './mail-outbox.js';
import { listMissingReceipts } from './missing-receipts.js';
import { bellFor } from './notifications.js';

/** The day's mail waits for the morning in Japan (07:00), not midnight. */
export const DAILY_MAIL_HOUR = 7;
const tokyoHour = (now: Date) => (now.getUTCHours() + 9) % 24;

/**
 * The daily mail (issue 13 §4): a digest for each opted-in coordinator with something pending,
 * a missing-receipt reminder for each opted-in supporter with receipts due, from 07:00 Japan time.
 * Keyed by the Tokyo day, so running it every hour, or after every restart, enqueues each day's mail once.
 */
export function enqueueDailyMail(db: Db, now: Date): number {
  const settings = mailSettingsOf(db);
  if (!settings || tokyoHour(now) < DAILY_MAIL_HOUR) return 0;
  const day = todayInTokyo({ now: () => now });
  const recipients = db
    .select({
      userId: users.id,
      email: users.email,
      locale: users.locale,
      role: users.role,
      organizationId: users.organizationId,
      isAdmin: users.isAdmin,
      displayName: users.displayName,
    })
    .from(users)
    .innerJoin(mailPreferences, eq(mailPreferences.userId, users.id))
    .where(and(eq(users.isActive, true), eq(mailPreferences.isEnabled, true)))
    .all();
  let enqueued = 0;
  for (const user of recipients) {
    const actor: Actor = {
      userId: user.userId,
      role: user.role,
      organizationId: user.organizationId,
      isAdmin: user.isAdmin,
      displayName: user.displayName,
      locale: user.locale,
    };
    const recipient = { userId: user.userId, email: user.email, locale: user.locale };
    writeTransaction(db, (tx) => {
      if (actor.role === 'coordinator') {
        const parts = bellFor(tx, actor, now)?.parts ?? [];
        const pending = parts.find((p) => p.key === 'bell.pending')?.count ?? 0;
        const secondApproval = parts.find((p) => p.key === 'bell.secondApproval')?.count ?? 0;
        if (pending > 0 && enqueueMail(tx, digestMail(settings, recipient, { pending, secondApproval }, day), now)) enqueued += 1;
      } else if (actor.role === 'supporter') {
        const missing = listMissingReceipts(tx, actor, now).filter((m) => m.declarationId === null).length;
        if (missing > 0 && enqueueMail(tx, receiptReminderMail(settings, recipient, missing, day), now)) enqueued += 1;
      }
    });
  }
  return enqueued;
}
