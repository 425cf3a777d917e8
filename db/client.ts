import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { makePrivateFiles } from './private-files.js';
import * as schema from './schema.js';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };
/** What a domain function receives: the database or a transaction on it. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0] | Db;

export class DatabaseIntegrityError extends Error {}

/**
 * Open the SQLite file with the pragmas SPEC §7 promises and check that they took:
 * WAL, synchronous=FULL, foreign keys, a busy timeout. Refuses a file that fails integrity_check.
 * `replicated`: the file is replicated by Litestream, which then owns checkpoints.
 */
export function openDatabase(filePath: string, options: { readonly?: boolean; replicated?: boolean } = {}): Db {
  const sqlite = new Database(filePath, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  try {
    const isFile = !options.readonly && filePath !== ':memory:';
    // SQLite gives -wal and -shm the main file's mode: make it private before they exist.
    if (isFile) makePrivateFiles(filePath);
    if (isFile) sqlite.pragma('journal_mode = WAL');
    if (isFile) makePrivateFiles(`${filePath}-wal`, `${filePath}-shm`);
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    // Litestream holds a read transaction open and checkpoints itself (passive at 1,000 WAL
    // pages, forced at 10,000); an app checkpoint could only race it, so under it we make none.
    if (options.replicated) sqlite.pragma('wal_autocheckpoint = 0');
    assertPragmas(sqlite, filePath === ':memory:' || options.readonly === true);
    const integrity = sqlite.pragma('quick_check', { simple: true });
    if (integrity !== 'ok') throw new DatabaseIntegrityError(`Database ${filePath} failed its integrity check: ${String(integrity)}`);
  } catch (error) {
    sqlite.close();
    throw error;
  }
  return drizzle({ client: sqlite, schema, casing: 'snake_case' }) as Db;
}

function assertPragmas(sqlite: Database.Database, skipWal: boolean): void {
  const mode = sqlite.pragma('journal_mode', { simple: true });
  if (!skipWal && mode !== 'wal') throw new DatabaseIntegrityError(`journal_mode is ${String(mode)}, expected wal`);
  if (sqlite.pragma('synchronous', { simple: true }) !== 2) throw new DatabaseIntegrityError('synchronous is not FULL');
  if (sqlite.pragma('foreign_keys', { simple: true }) !== 1) throw new DatabaseIntegrityError('foreign_keys is not ON');
  if (sqlite.pragma('busy_timeout', { simple: true }) !== 5000) throw new DatabaseIntegrityError('busy_timeout is not set');
}

/**
 * SQLite's error code (SQLITE_BUSY, SQLITE_FULL …) of a failed statement, also when Drizzle has
 * wrapped better-sqlite3's error (as its `cause`); '' when the error carries none.
 */
export function sqliteCode(error: unknown): string {
  for (let e = error, depth = 0; e instanceof Error && depth < 3; e = e.cause, depth++) if ('code' in e && typeof e.code === 'string') return e.code;
  return '';
}

/** Another connection held the write lock past the busy timeout (SQLITE_BUSY and its extended codes): nothing was written. */
export const isSqliteBusy = (error: unknown) => sqliteCode(error).startsWith('SQLITE_BUSY');

/**
 * Run a write that can wait for the next request: with the busy timeout off for its length, so
 * while another connection holds the write lock (an import's one long transaction) it is skipped
 * at once instead of stalling the request for five seconds. True when it ran.
 */
export function writeIfFree(db: Db, write: () => void): boolean {
  const sqlite = db.$client;
  sqlite.pragma('busy_timeout = 0');
  try {
    write();
    return true;
  } catch (error) {
    if (isSqliteBusy(error)) return false;
    throw error;
  } finally {
    sqlite.pragma('busy_timeout = 5000');
  }
}

/** Told how long each committed write transaction took (for /metrics); one per database. */
const writeObservers = new WeakMap<Database.Database, (seconds: number) => void>();
export function observeWriteTransactions(db: Db, observer: (seconds: number) => void): void {
  writeObservers.set(db.$client, observer);
}

/**
 * Run `fn` in one synchronous write transaction taken with BEGIN IMMEDIATE, so concurrent writers
 * wait on busy_timeout instead of failing when a read turns into a write (SPEC §7).
 */
export function writeTransaction<T>(db: Db, fn: (tx: Tx) => T): T {
  const observer = writeObservers.get(db.$client);
  if (!observer) return db.transaction((tx) => fn(tx), { behavior: 'immediate' });
  const started = process.hrtime.bigint();
  const result = db.transaction((tx) => fn(tx), { behavior: 'immediate' });
  observer(Number(process.hrtime.bigint() - started) / 1e9);
  return result;
}
