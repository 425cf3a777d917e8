// npm run bench:receipts-replica -- [--count=5000] [--kb=300]
// What keeping receipts inside app.sqlite would cost Litestream, against copying them to the
// replica as files: database size, the time of one full snapshot, and the per-upload copy.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { findLitestreamBinary } from '../server/litestream.js';

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const count = arg('count', 5000);
const bytes = arg('kb', 300) * 1024;
const dir = mkdtempSync(path.join(os.tmpdir(), 'eacm-bench-receipts-'));
const dbPath = path.join(dir, 'app.sqlite');
console.log(
  `machine: ${os.availableParallelism()} cores, node ${process.version}; ${count} receipts of ${bytes / 1024} KiB (random bytes: JPEG does not compress)`,
);

try {
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE receipt_blobs (id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL, bytes BLOB NOT NULL)');
  const insert = db.prepare('INSERT INTO receipt_blobs (sha256, bytes) VALUES (?, ?)');
  let started = performance.now();
  for (let i = 0; i < count; i += 1) {
    const blob = randomBytes(bytes);
    insert.run(createHash('sha256').update(blob).digest('hex'), blob);
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  console.log(`in the database: ${(statSync(dbPath).size / 2 ** 20).toFixed(0)} MiB written in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  // One full Litestream snapshot of that file (what every new generation and daily snapshot costs).
  const config = path.join(dir, 'litestream.yml');
  writeFileSync(config, `dbs:\n  - path: ${JSON.stringify(dbPath)}\n    replicas:\n      - url: ${JSON.stringify(`file://${dir}/replica`)}\n`);
  started = performance.now();
  const elapsed = await new Promise<number>((resolve, reject) => {
    // Litestream 0.3 logs to stdout.
    const child = spawn(findLitestreamBinary(), ['replicate', '-config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stderr.on('data', (c: Buffer) => (log += c.toString()));
    child.stdout.on('data', (c: Buffer) => {
      log += c.toString();
      if (log.includes('snapshot written')) {
        child.kill('SIGTERM');
        resolve(performance.now() - started);
      }
    });
    child.on('exit', () => reject(new Error(`litestream stopped before a snapshot:\n${log}`)));
  });
  console.log(`one Litestream snapshot of it: ${(elapsed / 1000).toFixed(1)} s`);

  // The alternative: each upload copied to the replica's receipts/ and read back to compare hashes.
  const files = path.join(dir, 'files');
  const remote = path.join(dir, 'replica-receipts');
  mkdirSync(files);
  mkdirSync(remote);
  const sample = Math.min(count, 200);
  for (let i = 0; i < sample; i += 1) writeFileSync(path.join(files, `r${i}`), randomBytes(bytes));
  started = performance.now();
  for (let i = 0; i < sample; i += 1) {
    const from = path.join(files, `r${i}`);
    const to = path.join(remote, `r${i}`);
    copyFileSync(from, to);
    const same = createHash('sha256').update(readFileSync(from)).digest('hex') === createHash('sha256').update(readFileSync(to)).digest('hex');
    if (!same) throw new Error('copy differs');
  }
  console.log(
    `as files: ${((performance.now() - started) / sample).toFixed(1)} ms per upload to copy and verify (file:// target; a network store adds its round trip)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
