import { and, count, eq } from 'drizzle-orm';
import { writeTransaction, type Db, type Tx } from '../../db/client.js';
import { mailInstall, mailOutbox, mailPreferences, users, type Locale, type MailKind } from '../../db/schema.js';
import type { Actor } from './actor.js';
import { recordAudit } from './audit.js';
import { Conflict } from './errors.js';

/** What the domain needs to write mail: where links point. Bound per database when mail is on. */
export interface MailSettings {
  readonly origin: string;
}

const boundSettings = new WeakMap<object, MailSettings>();

/** Mail is on for this database (SMTP_URL set): decisions now enqueue mail for users who opted in. */
export function bindMail(db: Db, settings: MailSettings): void {
  boundSettings.set(db.$client, settings);
}

export function mailSettingsOf(db: Db): MailSettings | null {
  return boundSettings.get(db.$client) ?? null;
}

export interface Recipient {
  userId: number;
  email: string;
  locale: Locale;
}

/** The user, if active and opted in; otherwise no mail is written for them. */
export function optedInRecipient(tx: Tx, userId: number): Recipient | null {
  const row = tx
    .select({ userId: users.id, email: users.email, locale: users.locale })
    .from(users)
    .innerJoin(mailPreferences, eq(mailPreferences.userId, users.id))
    .where(and(eq(users.id, userId), eq(users.isActive, true), eq(mailPreferences.isEnabled, true)))
    .get();
  return row ?? null;
}

export interface OutgoingMail {
  kind: MailKind;
  recipient: Recipient;
  subject: string;
  body: string;
  /** For scheduled mail: the same key is enqueued once, however often the scheduler runs. */
  dedupeKey?: string;
}

/** Write one mail into the outbox, inside the caller's transaction. False when the key was already used. */
export function enqueueMail(tx: Tx, mail: OutgoingMail, now: Date): boolean {
  const inserted = tx
    .insert(mailOutbox)
    .values({
      kind: mail.kind,
      recipientUserId: mail.recipient.userId,
      toAddress: mail.recipient.email,
      subject: mail.subject,
      body: mail.body,
      dedupeKey: mail.dedupeKey ?? null,
      nextAttemptAt: now.getTime(),
      createdAt: now.getTime(),
    })
    .onConflictDoNothing({ target: mailOutbox.dedupeKey })
    .returning({ id: mailOutbox.id })
    .get();
  return inserted !== undefined;
}

/** `<outbox-42.<install-id>@<domain>>`: the same message keeps the same id through any resend. */
export function messageIdFor(tx: Tx, outboxId: number, fromDomain: string): string {
  const installId = tx.select({ id: mailInstall.installId }).from(mailInstall).where(eq(mailInstall.id, 1)).get()?.id ?? 'install';
  return `<outbox-${outboxId}.${installId}@${fromDomain}>`;
}

export function countQueuedMail(tx: Tx): number {
  return tx.select({ n: count() }).from(mailOutbox).where(eq(mailOutbox.status, 'queued')).get()?.n ?? 0;
}

export function isMailOptedIn(tx: Tx, userId: number): boolean {
  return tx.select({ on: mailPreferences.isEnabled }).from(mailPreferences).where(eq(mailPreferences.userId, userId)).get()?.on ?? false;
}

/** The account page's switch. Refused while mail is off, so nobody believes they will get any. */
export function setOwnMailOptIn(db: Db, actor: Actor, isEnabled: boolean, now: Date): void {
  if (!mailSettingsOf(db)) throw new Conflict('mail.off');
  writeTransaction(db, (tx) => {
    const before = isMailOptedIn(tx, actor.userId);
    tx.insert(mailPreferences)
      .values({ userId: actor.userId, isEnabled, updatedAt: now.toISOString() })
      .onConflictDoUpdate({ target: mailPreferences.userId, set: { isEnabled, updatedAt: now.toISOString() } })
      .run();
    if (before === isEnabled) return;
    recordAudit(tx, {
      action: 'user.mail_changed',
      actorUserId: actor.userId,
      entityType: 'user',
      entityId: actor.userId,
      before: { mail: before },
      after: { mail: isEnabled },
      at: now,
    });
  });
}
