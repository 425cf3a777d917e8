import { chmodSync, existsSync, mkdirSync } from 'node:fs';

/**
 * The data directory holds people's records: nobody but the account that runs the app may read
 * it. The umask covers every file the process creates (SQLite's -wal and -shm, backups, receipts,
 * exports); the explicit modes below also fix what an older version created more openly.
 */
export const PRIVATE_UMASK = 0o077;
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Called first thing by every entry point (the server and each script). */
export function usePrivateUmask(): void {
  process.umask(PRIVATE_UMASK);
}

export function makePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodSync(dir, PRIVATE_DIR_MODE);
}

/** Each path that exists becomes 0600 (a missing -wal or -shm is not an error). */
export function makePrivateFiles(...files: string[]): void {
  for (const file of files) if (existsSync(file)) chmodSync(file, PRIVATE_FILE_MODE);
}
