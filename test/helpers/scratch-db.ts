import { rmSync } from 'node:fs';
import { makeTestConfig, makeTestDb } from './app.js';

/**
 * A database migrated by the real migrations in a fresh temp directory, with no app and no seed:
 * for domain tests that call the domain directly. `close()` closes it and removes the directory.
 */
export function openScratchDb() {
  const { config, dataDir } = makeTestConfig();
  const db = makeTestDb(config);
  return {
    db,
    config,
    dataDir,
    close: () => {
      db.$client.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
