import { backupDatabase } from '../server/domain/backup.js';
import { openScriptContext } from './context.js';

// Online: safe while the app runs and writes (SPEC §7).
const { config, db } = await openScriptContext();
db.$client.close();
const result = await backupDatabase({
  databasePath: config.databasePath,
  dataDir: config.dataDir,
  dataKey: config.dataKey,
  previousDataKeys: config.previousDataKeys,
  now: new Date(),
});
const lines = result.stats.counts.disbursement_lines ?? 0;
const approved = result.stats.ledger.approved ?? 0;
console.log(`Backup written and checked: ${result.file}`);
console.log(
  `  ${result.stats.counts.disbursements} disbursements, ${lines} lines, approved ledger ¥${approved.toLocaleString('en-US')}, ${result.stats.counts.audit_events} audit events`,
);
console.log(`  audit checkpoint of this snapshot (event ${result.checkpoint.seq}) written to ${result.checkpointFile}`);
console.log(result.receiptsDir ? `  receipts copied to ${result.receiptsDir}` : '  no receipts directory to copy');
console.log('  DATA_KEY is NOT in the backup: keep it separately, or the identifying fields cannot be read after a restore.');
