import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { restoreDatabase } from '../server/domain/backup.js';
import { loadConfigOrExit } from '../server/bootstrap.js';
import { fail } from './context.js';

const file = process.argv[2];
if (!file) fail('usage: npm run restore -- FILE   (a backup made by npm run backup; stop the app first)');

const config = await loadConfigOrExit();
// The running app writes its pid here; restoring under a live process would lose its writes.
const pidFile = path.join(config.dataDir, 'app.pid');
if (existsSync(pidFile)) {
  const pid = Number(readFileSync(pidFile, 'utf8'));
  let alive = false;
  try {
    process.kill(pid, 0);
    alive = true;
  } catch {
    alive = false;
  }
  if (alive) fail(`The app is running (pid ${pid}). Stop it first, then restore.`);
}
try {
  const result = await restoreDatabase({
    backupFile: path.resolve(file),
    databasePath: config.databasePath,
    dataDir: config.dataDir,
    dataKey: config.dataKey,
    now: new Date(),
  });
  console.log(`Restored ${file} into ${config.databasePath}.`);
  if (result.keptAside) console.log(`  the previous database was kept as ${result.keptAside}`);
  console.log(`  ${result.stats.counts.disbursements} disbursements, ${result.stats.counts.audit_events} audit events; audit chain and ledger verified.`);
  console.log(
    result.checkpoint
      ? `  the backup reaches its checkpoint (event ${result.checkpoint.seq}).`
      : '  no checkpoint file beside the backup: only the chain itself was checked.',
  );
} catch (error) {
  fail((error as Error).message);
}
