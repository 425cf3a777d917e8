import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { Db } from './client.js';
import { seedReferenceData } from './reference-data.js';

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Apply every committed migration, then the idempotent reference data (categories, default fund). */
export function migrateDatabase(db: Db): void {
  migrate(db, { migrationsFolder });
  seedReferenceData(db);
}
