// The background sender alone, in its own process, for the kill -9 test: drains the outbox of the
// database at argv[2] into the SMTP server at argv[3], then exits 0 when nothing is left queued.
import { openDatabase } from '../../db/client.js';
import { countQueuedMail } from '../../server/domain/mail-outbox.js';
import { OutboxSender, smtpTransport } from '../../server/domain/mail-sender.js';

const [databasePath, smtpUrl] = process.argv.slice(2);
if (!databasePath || !smtpUrl) throw new Error('usage: sender-child <database> <smtp-url>');
const db = openDatabase(databasePath);
const sender = new OutboxSender(db, { transport: smtpTransport(smtpUrl), from: 'aid@example.org', fromDomain: 'example.org', batchSize: 100, baseDelayMs: 10 });
while (countQueuedMail(db) > 0) {
  await sender.drain();
  await new Promise((resolve) => setTimeout(resolve, 20));
}
await sender.stop();
db.$client.close();
process.exit(0);
