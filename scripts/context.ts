import { openDatabase, type Db } from '../db/client.js';
import { makePrivateDir, usePrivateUmask } from '../db/private-files.js';
import { migrateDatabase } from '../db/migrate.js';
import { dataDirProblem } from '../server/data-dir.js';
import { ConfigError, loadConfig, readEnvironment, type Config } from '../server/config.js';
import { bindAuditKey } from '../server/domain/audit-key.js';

// Every script that imports this module creates files only its own account can read.
usePrivateUmask();

/** Scripts honour the same variables as the app (SPEC §9): config, then the migrated database. */
export async function openScriptContext(): Promise<{ config: Config; db: Db }> {
  let config: Config;
  try {
    config = loadConfig(await readEnvironment());
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  for (const warning of config.warnings) console.error(`warning: ${warning}`);
  try {
    makePrivateDir(config.dataDir);
    const db = bindAuditKey(openDatabase(config.databasePath), config.dataKey, config.previousDataKeys);
    migrateDatabase(db);
    return { config, db };
  } catch (error) {
    const sentence = dataDirProblem(error, config.dataDir);
    if (sentence) fail(sentence);
    throw error;
  }
}

export function fail(message: string): never {
  console.error(message);
  process.exit(1);
}
