import { eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { disbursementLines } from '../../db/schema.js';
import { translator, type Translate } from '../i18n/index.js';
import { formatYen } from './format.js';
import { enqueueMail, mailSettingsOf, optedInRecipient, type MailSettings, type OutgoingMail, type Recipient } from './mail-outbox.js';

// What may leave in a mail: record numbers, dates, the recipient's own group's amounts, counts,
// the reviewer's reason and links that need a sign-in. Never a case's alias, contact or notes.

function withFooter(t: Translate, settings: MailSettings, lines: string[]): string {
  return [...lines, '', '--', t('mail.footer', { url: `${settings.origin}/account` }), ''].join('\n');
}

/** One line per field: a reason typed with line breaks cannot forge a header or a link line. */
const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

export interface RejectedRecord {
  id: number;
  paidOn: string;
}

/** To the submitter: which record, the reason, a link to it. The amount is their own group's. */
export function rejectionMail(tx: Tx, settings: MailSettings, recipient: Recipient, record: RejectedRecord, reason: string): OutgoingMail {
  const t = translator(recipient.locale);
  const total =
    tx
      .select({ total: sql<number>`coalesce(sum(${disbursementLines.amount}), 0)` })
      .from(disbursementLines)
      .where(eq(disbursementLines.disbursementId, record.id))
      .get()?.total ?? 0;
  const note = t('mail.signInNote');
  return {
    kind: 'rejection',
    recipient,
    subject: t('mail.rejection.subject', { id: record.id }),
    body: withFooter(t, settings, [
      t('mail.rejection.body', { id: record.id, paidOn: record.paidOn, amount: formatYen(total) }),
      t('mail.rejection.reason', { reason: oneLine(reason) }),
      '',
      t('mail.rejection.open', { note, url: `${settings.origin}/disbursements/${record.id}` }),
    ]),
  };
}

export function receiptReminderMail(settings: MailSettings, recipient: Recipient, count: number, day: string): OutgoingMail {
  const t = translator(recipient.locale);
  return {
    kind: 'receiptReminder',
    recipient,
    subject: t('mail.reminder.subject', { count }),
    body: withFooter(t, settings, [
      t('mail.reminder.body', { count }),
      '',
      t('mail.reminder.open', { note: t('mail.signInNote'), url: `${settings.origin}/receipts/missing` }),
    ]),
    dedupeKey: `receiptReminder:${day}:${recipient.userId}`,
  };
}

/** Counts only: a coordinator's digest names no group and no amount. */
export function digestMail(settings: MailSettings, recipient: Recipient, counts: { pending: number; secondApproval: number }, day: string): OutgoingMail {
  const t = translator(recipient.locale);
  return {
    kind: 'digest',
    recipient,
    subject: t('mail.digest.subject', { date: day, pending: counts.pending }),
    body: withFooter(t, settings, [
      t('mail.digest.pending', { count: counts.pending }),
      t('mail.digest.second', { count: counts.secondApproval }),
      '',
      t('mail.digest.open', { note: t('mail.signInNote'), url: `${settings.origin}/review` }),
    ]),
    dedupeKey: `digest:${day}:${recipient.userId}`,
  };
}

/** Inside the rejection's transaction: the mail commits with the decision or not at all. */
export function enqueueRejectionMail(db: Db, tx: Tx, record: RejectedRecord & { submittedBy: number }, reason: string, now: Date): void {
  const settings = mailSettingsOf(db);
  if (!settings) return;
  const recipient = optedInRecipient(tx, record.submittedBy);
  if (recipient) enqueueMail(tx, rejectionMail(tx, settings, recipient, record, reason), now);
}
