// npm run restore:replica -- [--to DIR] [--timestamp ISO]
// Bring back the newest copy (or the copy as it was at a moment) from REPLICA_URL into a fresh
// data directory, check it like `npm run restore` does, and print last month's figures so the
// operator can compare them with what they know.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { checkDatabaseFile } from '../server/domain/backup.js';
import { openDatabase } from '../db/client.js';
import { ConfigError, loadConfig, printableReplicaUrl, readEnvironment } from '../server/config.js';
import { todayInTokyo } from '../server/domain/dates.js';
import { computeSummary } from '../server/domain/figures.js';
import { lastMonth } from '../server/domain/periods.js';
import { saveVerifiedReceipts } from '../server/domain/receipt-mirror-state.js';
import { restoreReceipts, restoreReport } from '../server/domain/receipt-mirror.js';
import { receiptsDir } from '../server/domain/receipts.js';
import { findLitestreamBinary, writeLitestreamConfig } from '../server/litestream.js';
import { fail } from './context.js';

const { values } = parseArgs({ options: { to: { type: 'string' }, timestamp: { type: 'string' } } });
let config;
try {
  config = loadConfig({ ...(await readEnvironment()), ...(values.to ? { DATA_DIR: values.to } : {}) });
} catch (error) {
  if (error instanceof ConfigError) fail(error.message);
  throw error;
}
if (!config.replica) fail('REPLICA_URL is not set: say which replica to restore from (the same value the app runs with).');
let at: Date | null = null;
if (values.timestamp !== undefined) {
  at = new Date(values.timestamp);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(values.timestamp) || Number.isNaN(at.getTime())) fail('--timestamp must be an ISO time such as 2025-06-15T03:00:00Z');
}

// A fresh directory only: never write over a database someone may still need.
const target = config.databasePath;
const leftovers = existsSync(config.dataDir) ? readdirSync(config.dataDir).filter((n) => n.startsWith('app.sqlite')) : [];
if (leftovers.length > 0) fail(`${config.dataDir} already holds ${leftovers.join(', ')}: restore into a fresh directory (--to DIR), or move it aside first.`);
mkdirSync(config.dataDir, { recursive: true });

let binary: string;
try {
  binary = findLitestreamBinary();
} catch (error) {
  fail((error as Error).message);
}
const configFile = writeLitestreamConfig(config, { metrics: false });
const args = ['restore', '-config', configFile, '-o', target, ...(at ? ['-timestamp', at.toISOString()] : []), target];
const restored = spawnSync(binary, args, { stdio: ['ignore', 'inherit', 'inherit'] });
rmSync(configFile, { force: true });
if (restored.status !== 0 || !existsSync(target))
  fail(`litestream restore failed (exit ${restored.status ?? 'signal'}); nothing was written to ${config.dataDir}.`);

const check = checkDatabaseFile(target, config.dataKey);
if (!check.ok || !check.stats) fail(`The restored database at ${target} failed its checks: ${check.problems.join('; ')}`);
console.log(`Restored ${at ? `the state at ${at.toISOString()}` : 'the newest state'} of ${printableReplicaUrl(config.replica.url)} into ${target}.`);
console.log(
  `  integrity, foreign keys and the audit chain verified: ${check.stats.counts.disbursements} disbursements, ${check.stats.counts.audit_events} audit events.`,
);

// Receipt files: back from the replica's receipts/ (file://, s3:// or sftp://), each checked against the hash the database holds.
const restoredDb = openDatabase(target, { readonly: true });
let receiptsOk = true;
try {
  const verified = new Set<string>();
  const report = restoreReport(await restoreReceipts(restoredDb, config.replica.receipts, receiptsDir(config.dataDir), verified));
  saveVerifiedReceipts(config.dataDir, printableReplicaUrl(config.replica.url), verified);
  for (const line of report.lines) console.log(line);
  receiptsOk = report.ok;
} catch (error) {
  console.log(`  receipt files could not be read from the replica (${(error as Error).message}): copy receipts/ from the latest npm run backup.`);
  receiptsOk = false;
} finally {
  restoredDb.$client.close();
}

// Last complete month before the restore point, network-wide, as an auditor sees it.
const month = lastMonth(todayInTokyo({ now: () => at ?? new Date() }));
const db = openDatabase(target, { readonly: true });
const auditor = { userId: 0, role: 'auditor' as const, organizationId: 0, isAdmin: false, displayName: 'restore', locale: 'ja' as const };
const summary = computeSummary(db, auditor, { ...month, organizationId: null, fundId: null, includePending: false });
db.$client.close();
console.log(
  `  ${month.from}..${month.to} (approved): ${summary.disbursements} disbursements, ¥${summary.total.toLocaleString('en-US')}, ${summary.cases} cases.`,
);
console.log(`Compare with what you know, then start the app with DATA_DIR=${config.dataDir} and the same DATA_KEY.`);
if (!receiptsOk) {
  console.log('The database is restored, but not every receipt file: fetch the ones named above before anyone relies on them.');
  process.exitCode = 1;
}
