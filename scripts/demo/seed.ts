import { rmSync } from 'node:fs';
import { openDatabase, type Db } from '../../db/client.js';
import { migrateDatabase } from '../../db/migrate.js';
import { bindAuditKey } from '../../server/domain/audit-key.js';
import { hashDemoPasswords } from './accounts.js';
import { countRecords, holdsRecords, isDemoDatabase } from '../../server/domain/demo/marker.js';
import { planDemo } from './plan.js';
import type { DemoTargets } from './targets.js';
import { DemoSeedRefused, writeDemoDatabase, type DemoSeedSummary } from './write.js';

function openMigrated(databasePath: string, dataKey: Buffer): Db {
  const db = bindAuditKey(openDatabase(databasePath), dataKey);
  migrateDatabase(db);
  return db;
}

/**
 * Make `databasePath` a fresh demonstration database. An earlier demo database is deleted and
 * created again (approved money can never be deleted row by row); a database holding anything
 * else is refused with DemoSeedRefused and left untouched.
 */
export async function seedDemoFile(databasePath: string, now: Date, options: { dataKey: Buffer; targets?: DemoTargets; seed?: number }): Promise<DemoSeedSummary> {
  const plan = planDemo(options.targets, options.seed);
  let db = openMigrated(databasePath, options.dataKey);
  try {
    if (isDemoDatabase(db)) {
      db.$client.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${databasePath}${suffix}`, { force: true });
      db = openMigrated(databasePath, options.dataKey);
    } else {
      const counts = countRecords(db);
      if (holdsRecords(counts)) throw new DemoSeedRefused(counts, false);
    }
    const hashes = await hashDemoPasswords();
    return writeDemoDatabase(db, plan, hashes, now);
  } finally {
    db.$client.close();
  }
}
