import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { usePrivateUmask } from '../db/private-files.js';
import { buildApp } from './app.js';
import { loadConfigOrExit, openDatabaseOrExit } from './bootstrap.js';
import { isDemoDatabase } from './domain/demo/marker.js';
import { createFieldCipher } from './domain/field-crypto.js';
import { backfillFingerprints } from './domain/fingerprint-backfill.js';
import { purgeExpiredHeldReceipts } from './domain/held-receipts.js';
import { purgeExpiredReceiptFiles } from './domain/receipt-retention.js';
import { purgeExpiredIdentity } from './domain/retention.js';
import { countUsers } from './domain/users.js';

/** The only entry that listens: config from the environment, database migrated, then serve. */
async function main(): Promise<void> {
  // Before any file exists: the database, its -wal and -shm, receipts and backups are private.
  usePrivateUmask();
  let config = await loadConfigOrExit();
  const db = openDatabaseOrExit(config, { replicated: config.replica !== null });
  // A demo database says so on every page, however the app was started.
  const isDemo = config.isDemo || isDemoDatabase(db);
  // Demo accounts have published passwords and no authenticator: the demo never asks for a second factor.
  config = Object.freeze({ ...config, isDemo, requireSecondFactor: config.requireSecondFactor && !isDemo });
  const app = await buildApp({ config, db });
  for (const warning of config.warnings) app.log.warn(warning);
  // The retention job (issue 18 §3): a minute after start, then daily; idempotent, so restarts are harmless.
  const runRetention = async () => {
    try {
      const { purged } = purgeExpiredIdentity(db, new Date());
      if (purged > 0) app.log.info({ purged }, 'identity retention: erased the identity of closed cases past retention');
      const { erased } = await purgeExpiredReceiptFiles(db, config.dataDir, new Date());
      if (erased > 0) app.log.info({ erased }, 'receipt retention: deleted receipt files past retention');
    } catch (error) {
      app.log.error(error, 'retention job failed');
    }
  };
  setTimeout(() => void runRetention(), 60_000).unref();
  // The outbox sender and the daily digest/reminders; stopped by app.close() on shutdown.
  if (app.mail.start()) app.log.info('mail: sending through SMTP_URL');
  // Missing person fingerprints (cases from before they existed): filled in the background in
  // short batches, yielding between them; a no-op once every case has one.
  void backfillFingerprints(db, createFieldCipher(config.dataKey, config.previousDataKeys), new Date(), { pause: () => new Promise((r) => setImmediate(r)) })
    .then(
      (counts) =>
        counts.created > 0 && app.log.info({ created: counts.created, unreadable: counts.unreadable }, 'person fingerprints: filled the missing ones'),
    )
    .catch((error: unknown) => app.log.error(error, 'person fingerprint backfill failed'));
  setInterval(() => void runRetention(), 24 * 3_600_000).unref();
  // Receipts held across a form error live an hour; sweep them every quarter hour.
  setInterval(() => {
    purgeExpiredHeldReceipts(db, config.dataDir, new Date()).catch((error: unknown) => app.log.error(error, 'held receipt cleanup failed'));
  }, 15 * 60_000).unref();

  if (countUsers(db) === 0) {
    console.log(
      [
        '',
        'No users yet. Create the first coordinator (admin) with:',
        '',
        '  npm run user:create -- --email you@example.org --role coordinator --admin --org NET --org-name "ネットワーク事務局" --password-stdin',
        '',
        'then type the password (12 to 256 characters) and press Enter.',
        '',
      ].join('\n'),
    );
  }

  // `npm run restore` refuses to run while this process is alive.
  const pidFile = path.join(config.dataDir, 'app.pid');
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    await app.close();
    db.$client.close();
    rmSync(pidFile, { force: true });
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  writeFileSync(pidFile, String(process.pid));
  console.log(`緊急支援ケース管理 is serving on http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`);
}

await main();
