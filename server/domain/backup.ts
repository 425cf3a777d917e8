import { copyFileSync, cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { bindAuditKey } from './audit-key.js';
import { FieldDecryptError } from './field-crypto.js';
import { formatCheckpoint, parseCheckpoint, readCheckpoint, type AuditCheckpoint } from './audit-checkpoint.js';
import { describeTrailProblems, verifyAuditTrail } from './audit-verify.js';
import { openDatabase, type Db } from '../../db/client.js';
import { makePrivateDir, makePrivateFiles } from '../../db/private-files.js';

const COUNTED_TABLES = [
  'organizations',
  'users',
  'cases',
  'categories',
  'funds',
  'disbursements',
  'disbursement_lines',
  'receipts',
  'audit_events',
  'period_locks',
  'share_links',
  'second_factors',
  'recovery_codes',
  'retention_policies',
  'case_purges',
  'receipt_erasures',
  'reveal_policies',
] as const;

/** What a copy must agree on with its source: row counts and the ledger's money by status. */
export interface DatabaseStats {
  counts: Record<string, number>;
  ledger: Record<string, number>;
}

export function databaseStats(sqlite: Database.Database): DatabaseStats {
  const counts: Record<string, number> = {};
  for (const table of COUNTED_TABLES) {
    counts[table] = (sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  }
  const ledger: Record<string, number> = {};
  for (const row of sqlite.prepare('SELECT status, sum(amount) AS total FROM disbursement_lines GROUP BY status').all() as {
    status: string;
    total: number;
  }[]) {
    ledger[row.status] = row.total;
  }
  return { counts, ledger };
}

export interface CheckResult {
  ok: boolean;
  problems: string[];
  stats: DatabaseStats | null;
}

/** The checkpoint line a backup carries beside it: the head of the chain in that snapshot. */
export const checkpointFileOf = (backupFile: string) => backupFile.replace(/\.sqlite$/, '.checkpoint.json');

/**
 * A file fit to restore: SQLite that passes integrity_check and foreign_key_check, migrated, and
 * whose audit trail verifies under `dataKey` (chain, ledger, and the checkpoint when one is given).
 */
export function checkDatabaseFile(
  filePath: string,
  dataKey: Buffer,
  checkpoint: AuditCheckpoint | null = null,
  previousKeys: readonly Buffer[] = [],
): CheckResult {
  const problems: string[] = [];
  if (!existsSync(filePath)) return { ok: false, problems: [`${filePath} does not exist`], stats: null };
  let db: Db;
  try {
    db = openDatabase(filePath, { readonly: true });
  } catch (error) {
    return { ok: false, problems: [`not a usable database: ${(error as Error).message}`], stats: null };
  }
  try {
    const sqlite = db.$client;
    const integrity = sqlite.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') problems.push(`integrity_check: ${String(integrity)}`);
    const fk = sqlite.pragma('foreign_key_check') as unknown[];
    if (fk.length > 0) problems.push(`foreign_key_check: ${fk.length} violations`);
    const migrated = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'").get();
    if (!migrated) return { ok: false, problems: [...problems, 'not a database of this application (no migrations table)'], stats: null };
    let keyed: Db;
    try {
      keyed = bindAuditKey(db, dataKey, previousKeys);
    } catch (error) {
      if (!(error instanceof FieldDecryptError)) throw error;
      return { ok: false, problems: [...problems, "DATA_KEY does not open this database's audit key"], stats: null };
    }
    problems.push(...describeTrailProblems(verifyAuditTrail(keyed, { checkpoint })));
    return { ok: problems.length === 0, problems, stats: databaseStats(sqlite) };
  } finally {
    db.$client.close();
  }
}

const sameStats = (a: DatabaseStats, b: DatabaseStats) => JSON.stringify(a) === JSON.stringify(b);

export interface BackupResult {
  file: string;
  /** The snapshot's chain head, also written beside the backup as `checkpointFile`. */
  checkpoint: AuditCheckpoint;
  checkpointFile: string;
  receiptsDir: string | null;
  stats: DatabaseStats;
}

/**
 * Online backup with better-sqlite3's backup API while the app keeps writing. The copy is taken
 * inside one read transaction, so it is exactly the snapshot whose stats we read first; the copy
 * is then checked and compared with them. Receipts are copied beside it.
 */
export async function backupDatabase(input: {
  databasePath: string;
  dataDir: string;
  dataKey: Buffer;
  previousDataKeys?: readonly Buffer[];
  now: Date;
}): Promise<BackupResult> {
  const backupsDir = path.join(input.dataDir, 'backups');
  makePrivateDir(backupsDir);
  const stamp = input.now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const file = path.join(backupsDir, `app-${stamp}.sqlite`);
  if (existsSync(file)) throw new Error(`${file} already exists`);

  const source = new Database(input.databasePath, { fileMustExist: true });
  let snapshot: DatabaseStats;
  let checkpoint: AuditCheckpoint;
  try {
    source.pragma('busy_timeout = 5000');
    source.exec('BEGIN');
    try {
      snapshot = databaseStats(source);
      checkpoint = readCheckpoint(source, input.now);
      await source.backup(file);
      makePrivateFiles(file);
    } finally {
      source.exec('COMMIT');
    }
  } finally {
    source.close();
  }

  const check = checkDatabaseFile(file, input.dataKey, checkpoint, input.previousDataKeys);
  if (!check.ok || !check.stats) throw new Error(`backup ${file} failed its check: ${check.problems.join('; ')}`);
  if (!sameStats(check.stats, snapshot)) throw new Error(`backup ${file} differs from the source snapshot`);
  const checkpointFile = checkpointFileOf(file);
  writeFileSync(checkpointFile, `${formatCheckpoint(checkpoint)}\n`, { mode: 0o600, flag: 'wx' });

  // Receipt files are never changed once written, so a copy after the snapshot holds every file it references.
  const receipts = path.join(input.dataDir, 'receipts');
  let receiptsDir: string | null = null;
  if (existsSync(receipts)) {
    receiptsDir = file.replace(/\.sqlite$/, '-receipts');
    cpSync(receipts, receiptsDir, { recursive: true });
    makePrivateDir(receiptsDir);
    for (const name of readdirSync(receiptsDir)) makePrivateFiles(path.join(receiptsDir, name));
  }
  return { file, checkpoint, checkpointFile, receiptsDir, stats: snapshot };
}

/**
 * Put a checked backup in place of a stopped instance's database; the old file is kept aside.
 * When the backup's checkpoint line lies beside it, the backup must still reach it.
 */
export async function restoreDatabase(input: {
  backupFile: string;
  databasePath: string;
  dataDir: string;
  dataKey: Buffer;
  now: Date;
}): Promise<{ keptAside: string | null; stats: DatabaseStats; checkpoint: AuditCheckpoint | null }> {
  const checkpointFile = checkpointFileOf(input.backupFile);
  const checkpoint = existsSync(checkpointFile) ? parseCheckpoint(readFileSync(checkpointFile, 'utf8')) : null;
  const check = checkDatabaseFile(input.backupFile, input.dataKey, checkpoint);
  if (!check.ok || !check.stats) throw new Error(`refusing to restore ${input.backupFile}: ${check.problems.join('; ')}`);
  const stamp = input.now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  let keptAside: string | null = null;
  if (existsSync(input.databasePath)) {
    // Fold the WAL into the old file so the copy kept aside is complete.
    const old = new Database(input.databasePath);
    old.pragma('wal_checkpoint(TRUNCATE)');
    old.close();
    keptAside = `${input.databasePath}.before-restore-${stamp}`;
    copyFileSync(input.databasePath, keptAside);
    makePrivateFiles(keptAside);
  }
  // The backup API writes the pages through SQLite, so the live file and its WAL stay consistent.
  const from = new Database(input.backupFile, { readonly: true, fileMustExist: true });
  try {
    await from.backup(input.databasePath);
  } finally {
    from.close();
  }
  const receiptsBackup = input.backupFile.replace(/\.sqlite$/, '-receipts');
  if (existsSync(receiptsBackup)) {
    const receipts = path.join(input.dataDir, 'receipts');
    makePrivateDir(receipts);
    for (const name of readdirSync(receiptsBackup)) copyFileSync(path.join(receiptsBackup, name), path.join(receipts, name));
  }
  const after = checkDatabaseFile(input.databasePath, input.dataKey, checkpoint);
  if (!after.ok || !after.stats || !sameStats(after.stats, check.stats)) throw new Error('the restored database does not match the backup');
  return { keptAside, stats: after.stats, checkpoint };
}
