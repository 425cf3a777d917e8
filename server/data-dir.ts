/** Error codes that mean "this directory or file cannot be written", from Node and from SQLite. */
const NOT_WRITABLE = new Set([
  'EACCES',
  'EPERM',
  'EROFS',
  'ENOTDIR',
  'ENOSPC',
  'SQLITE_READONLY',
  'SQLITE_CANTOPEN',
  'SQLITE_FULL',
  'SQLITE_IOERR_WRITE',
  'SQLITE_READONLY_DIRECTORY',
]);

/**
 * One sentence for an operator when the data directory cannot be used at start, instead of a
 * stack trace; null for any other failure (which keeps its trace: it is a bug to report).
 */
export function dataDirProblem(error: unknown, dataDir: string): string | null {
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  if (!NOT_WRITABLE.has(code) && !code.startsWith('SQLITE_READONLY')) return null;
  return `DATA_DIR ${dataDir} cannot be written (${code}): give the account that runs the app write access to it, free some disk space, or set DATA_DIR to a writable directory.`;
}
