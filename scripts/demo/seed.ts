import { rmSync } from 'node:fs';
import { openDatabase, type Db } from '../../db/client.js';
import { migrateDatabase } from '../../db/migrate.js';
import { bindAuditKey } from '../../server/domain/audit-key.js';
import { countRecords, holdsRecords, isDemoDatabase } from '../../server/domain/demo/marker.js';
import { planDemo } from './plan.js';
import type { DemoTargets } from './targets.js';
import { DemoSeedRefused, writeDemoDatabase, type DemoSeedSummary } from './write.js';

function openMigrated(databasePath: string, dataKey: Buffer): Db {
  const db = bindAuditKey(openDatabase(databasePath), dataKey);
  migrateDatabase(db);
  return db;
}

const removeFile = (databasePath: string) => {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${databasePath}${suffix}`, { force: true });
};

/**
 * Make `databasePath` a fresh demonstration database. An earlier demo database is deleted and
 * created again (approved money can never be deleted row by row); a database holding anything
 * else is refused with DemoSeedRefused and left untouched. A seed that fails half-way (the
 * accounts are written before the rest) removes the file it started.
 */
export async function seedDemoFile(
  databasePath: string,
  now: Date,
  options: { dataKey: Buffer; targets?: DemoTargets; seed?: number },
): Promise<DemoSeedSummary> {
  const plan = planDemo(options.targets, options.seed);
  let db = openMigrated(databasePath, options.dataKey);
  let started = false;
  try {
    if (isDemoDatabase(db)) {
      db.$client.close();
      removeFile(databasePath);
      db = openMigrated(databasePath, options.dataKey);
    } else {
      const counts = countRecords(db);
      if (holdsRecords(counts)) throw new DemoSeedRefused(counts, false);
    }
    started = true;
    return await writeDemoDatabase(db, plan, { dataKey: options.dataKey, now });
  } catch (error) {
    if (started) {
      db.$client.close();
      removeFile(databasePath);
    }
    throw error;
  } finally {
    if (db.$client.open) db.$client.close();
  }
}
