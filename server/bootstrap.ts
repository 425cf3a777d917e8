import { openDatabase, type Db } from '../db/client.js';
import { migrateDatabase } from '../db/migrate.js';
import { makePrivateDir } from '../db/private-files.js';
import { ConfigError, loadConfig, readEnvironment, type Config } from './config.js';
import { dataDirProblem } from './data-dir.js';
import { bindAuditKey } from './domain/audit-key.js';

/**
 * How every entry point starts — the app (`main.ts`), `npm start` (`start.ts`) and the scripts
 * (`scripts/context.ts`): one place, so an operator gets the same sentence from each.
 */

/** The environment as a Config, or its one-sentence problem on stderr and exit 1. */
export async function loadConfigOrExit(): Promise<Config> {
  try {
    return loadConfig(await readEnvironment());
  } catch (error) {
    if (error instanceof ConfigError) exitWith(error.message);
    throw error;
  }
}

/** DATA_DIR made private, the database opened with the audit key and migrated; or one sentence about DATA_DIR and exit 1. */
export function openDatabaseOrExit(config: Config, options: { replicated?: boolean } = {}): Db {
  try {
    makePrivateDir(config.dataDir);
    const db = bindAuditKey(openDatabase(config.databasePath, options), config.dataKey, config.previousDataKeys);
    migrateDatabase(db);
    return db;
  } catch (error) {
    const sentence = dataDirProblem(error, config.dataDir);
    if (sentence) exitWith(sentence);
    throw error;
  }
}

export function exitWith(message: string): never {
  console.error(message);
  process.exit(1);
}
