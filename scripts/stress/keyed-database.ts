import path from 'node:path';
import { openDatabase, type Db } from '../../db/client.js';
import { loadConfig } from '../../server/config.js';
import { bindAuditKey } from '../../server/domain/audit-key.js';

/**
 * A connection to a stress or race database, keyed for the audit chain the way the app would be:
 * DATA_KEY from the environment the parent passes down, else the key file beside the database.
 */
export function openKeyedDatabase(dbPath: string): Db {
  const { dataKey } = loadConfig({ ...process.env, DATA_DIR: path.dirname(dbPath), LOG_LEVEL: 'silent' });
  return bindAuditKey(openDatabase(dbPath), dataKey);
}
