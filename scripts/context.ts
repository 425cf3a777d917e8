import type { Db } from '../db/client.js';
import { usePrivateUmask } from '../db/private-files.js';
import { exitWith, loadConfigOrExit, openDatabaseOrExit } from '../server/bootstrap.js';
import type { Config } from '../server/config.js';

// Every script that imports this module creates files only its own account can read.
usePrivateUmask();

/** Scripts honour the same variables as the app (SPEC §9): config, then the migrated database (server/bootstrap.ts). */
export async function openScriptContext(): Promise<{ config: Config; db: Db }> {
  const config = await loadConfigOrExit();
  for (const warning of config.warnings) console.error(`warning: ${warning}`);
  return { config, db: openDatabaseOrExit(config) };
}

export function fail(message: string): never {
  return exitWith(message);
}
