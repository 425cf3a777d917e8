import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

// Which receipts the replica holds verified copies of, kept across restarts: without it every
// start would read the whole receipt archive back from S3 or SFTP (gigabytes after a few years)
// to learn what it already knew. Bound to the replica it describes: a new REPLICA_URL starts empty.
// What is on the replica itself is checked by npm run restore:replica and the drills.

export const MIRROR_STATE_FILE = 'replica-receipts.verified';

/** The names verified on `replica` (its printable URL), or an empty set for another replica or none. */
export function loadVerifiedReceipts(dataDir: string, replica: string): Set<string> {
  let text: string;
  try {
    text = readFileSync(path.join(dataDir, MIRROR_STATE_FILE), 'utf8');
  } catch {
    return new Set();
  }
  const [first, ...names] = text.split('\n');
  return first === replica ? new Set(names.filter((n) => n !== '')) : new Set();
}

/** Write the set whole (temp file, then rename), so a crash leaves the old list or the new one. */
export function saveVerifiedReceipts(dataDir: string, replica: string, names: ReadonlySet<string>): void {
  const file = path.join(dataDir, MIRROR_STATE_FILE);
  writeFileSync(`${file}.tmp`, [replica, ...names].join('\n') + '\n', { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}
