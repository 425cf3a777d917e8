import { statfsSync } from 'node:fs';
import { isSqliteBusy, sqliteCode, type Db } from './client.js';

export type DatabaseHealth = { status: 'ok' } | { status: 'degraded' | 'unavailable'; reason: string };

/** Below this, the next few writes (and their WAL frames) may not fit: say so before they fail. */
export const MIN_FREE_BYTES = 16 * 1024 * 1024;

const freeBytesOf = (dir: string) => {
  const stats = statfsSync(dir);
  return Number(stats.bavail) * Number(stats.bsize);
};
const codeOf = (error: unknown) => sqliteCode(error) || 'unknown';

/**
 * Whether the database answers and can still be written. The write probe rewrites the header's
 * user_version with its own value and commits: one page through the WAL, so a read-only file,
 * a read-only mount or a full disk shows up here before a person's form fails. It never waits
 * for another writer: a held lock means someone is writing, which is healthy.
 */
export function probeDatabase(db: Db, dataDir: string, freeBytes: (dir: string) => number = freeBytesOf): DatabaseHealth {
  const sqlite = db.$client;
  try {
    sqlite.prepare('SELECT 1').get();
  } catch (error) {
    return { status: 'unavailable', reason: codeOf(error) };
  }
  const busyTimeout = sqlite.pragma('busy_timeout', { simple: true }) as number;
  try {
    sqlite.pragma('busy_timeout = 0');
    sqlite.exec('BEGIN IMMEDIATE');
    try {
      const version = sqlite.pragma('user_version', { simple: true }) as number;
      sqlite.pragma(`user_version = ${Number(version)}`);
      sqlite.exec('COMMIT');
    } finally {
      if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
    }
  } catch (error) {
    if (!isSqliteBusy(error)) return { status: 'degraded', reason: codeOf(error) };
  } finally {
    sqlite.pragma(`busy_timeout = ${busyTimeout}`);
  }
  try {
    if (freeBytes(dataDir) < MIN_FREE_BYTES) return { status: 'degraded', reason: 'disk nearly full' };
  } catch (error) {
    return { status: 'degraded', reason: codeOf(error) };
  }
  return { status: 'ok' };
}
