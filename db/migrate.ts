import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { Db } from './client.js';
import { seedReferenceData } from './reference-data.js';

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/**
 * Apply every committed migration, then the idempotent reference data (categories, default fund).
 * A table rebuild (how SQLite changes a CHECK) must run with foreign keys OFF, or dropping the old
 * table would cascade-delete its children; the migrator's own transaction makes the PRAGMA in the
 * .sql a no-op, so it is switched here (SQLite's 12-step procedure), then the keys are re-checked.
 */
export function migrateDatabase(db: Db, folder = migrationsFolder): void {
  const sqlite = db.$client;
  const wasOn = sqlite.pragma('foreign_keys', { simple: true }) === 1;
  sqlite.pragma('foreign_keys = OFF');
  try {
    migrate(db, { migrationsFolder: folder });
    const broken = sqlite.pragma('foreign_key_check') as unknown[];
    if (broken.length > 0) throw new Error(`Migration left ${broken.length} broken foreign keys`);
  } finally {
    if (wasOn) sqlite.pragma('foreign_keys = ON');
  }
  seedReferenceData(db);
}
